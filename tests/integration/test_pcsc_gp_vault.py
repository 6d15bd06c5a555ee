"""An applet behind the issuer security domain's secure channel, through pcscd: the vault
sample on two logical channels of a card served by vpcd, driven by the host client over
pyscard, one session per channel."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.gp import GPClient, PCSCTransport
from jcsim.samples.gp_vault import Vault

pytestmark = pytest.mark.pcsc

VAULT = bytes.fromhex("F00000000A01")
SECRET = b"through pcscd"


@pytest.mark.parametrize(("scp", "level"), [(3, 0x03), (3, 0x33), (2, 0x03)])
def test_the_vault_keeps_its_secret_behind_sessions_on_two_channels(serve_card, connect, scp,
                                                                     level):
    sim = Simulator()
    sim.install(Vault, VAULT)
    serve_card(sim)
    connection = connect()
    writer = GPClient(PCSCTransport(connection=connection))
    writer.select(VAULT)
    assert writer.send(b"\x80\x10\x00\x00\x01\x00")[1] == 0x6982
    writer.open_secure_channel(security_level=level, scp=scp)
    assert writer.send(b"\x80\x10\x00\x00" + bytes((len(SECRET),)) + SECRET)[1] == 0x9000
    channel_response = writer.transport.transmit(b"\x00\x70\x00\x00\x01")
    channel = channel_response[0]
    reader = GPClient(PCSCTransport(connection=connection), channel=channel)
    reader.select(VAULT)
    get = bytes((0x80 | channel,)) + b"\x20\x00\x00\x00"
    assert reader.send(get)[1] == 0x6982  # channel 0's session does not reach this channel
    reader.open_secure_channel(security_level=0x01, scp=3)
    assert reader.send(get) == (SECRET, 0x9000)
    assert writer.send(b"\x80\x20\x00\x00\x00") == (SECRET, 0x9000)
