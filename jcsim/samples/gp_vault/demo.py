"""``jcsim demo gp-vault``: an applet that protects its commands with the issuer security
domain's secure channel, driven by jcsim's GlobalPlatform host client, step by step."""

from __future__ import annotations

from jcsim.cli.demo import DemoError
from jcsim.gp.client import GPClient
from jcsim.samples.gp_vault.vault import Vault

AID = "F0 00 00 00 0A 01"
SECRET = b"open sesame"
PUT = b"\x80\x10\x00\x00" + bytes((len(SECRET),)) + SECRET
GET = b"\x80\x20\x00\x00\x00"


def run(walk) -> None:  # walk: jcsim.cli.demo.Walkthrough
    sim = walk.simulator()
    walk.step("Install", f"Install the Vault applet (jcsim.samples.gp_vault.vault) under {AID}. "
              "The card manager is SECURED with the test keys 40..4F (SCP03 key set 30, "
              "SCP02 key set 20).")
    sim.install(Vault, AID)
    client = GPClient(sim)
    client.select(AID)
    walk.step("Refused in clear", "PUT SECRET in plain CLA 80: the vault asks the secure "
              "channel for its security level, finds none, and answers 6982.")
    data, sw = client.send(PUT)
    if sw != 0x6982:
        raise DemoError(f"expected 6982, got {sw:04X}")
    walk.step("Open SCP03", "The host sends INITIALIZE UPDATE and EXTERNAL AUTHENTICATE to the "
              "vault, which forwards them to SecureChannel.processSecurity. The card "
              "challenge is derived from the sequence counter and the vault's own AID. Level "
              "33: C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION.")
    client.open_secure_channel(security_level=0x33, scp=3)
    walk.note("The trace shows the wrapped commands: CLA 84, encrypted data, an 8-byte MAC.")
    walk.step("Store the secret", "PUT SECRET goes encrypted and MACed; the vault unwraps it "
              "with SecureChannel.unwrap and checks the level includes C-DECRYPTION.")
    data, sw = client.send(PUT)
    if sw != 0x9000:
        raise DemoError(f"PUT SECRET answered {sw:04X}")
    walk.step("Read it back", "GET SECRET: the vault wraps its answer (encrypted, with an "
              "R-MAC) and the host client checks and decrypts it.")
    data, sw = client.send(GET)
    if (data, sw) != (SECRET, 0x9000):
        raise DemoError(f"GET SECRET answered {data.hex()} {sw:04X}")
    walk.note(f"The secret: {data.decode()!r}")
    walk.step("Another channel, another session", "A second logical channel selects the "
              "vault again: the session of channel 0 does not reach it, so GET SECRET there "
              "needs its own session (SCP02 this time, level 01).")
    channel = sim.open_channel()
    other = GPClient(sim, channel=channel)
    other.select(AID)
    get_there = bytes((0x80 | channel,)) + GET[1:]  # the class byte names the channel
    data, sw = other.send(get_there)
    if sw != 0x6982:
        raise DemoError(f"expected 6982 on channel {channel}, got {sw:04X}")
    other.open_secure_channel(security_level=0x01, scp=2)
    data, sw = other.send(get_there)
    if (data, sw) != (SECRET, 0x9000):
        raise DemoError(f"GET SECRET on channel {channel} answered {sw:04X}")
    walk.done("The vault's commands pass only through the issuer security domain's secure "
              "channel, one session per logical channel.")
