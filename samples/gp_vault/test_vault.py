"""The vault sample: its commands pass only through the issuer security domain's secure
channel, opened on the vault's own logical channel."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.samples.gp_vault import Vault
from tests.runtime.gp_host import Scp02Host, Scp03Host

AID = "F0 00 00 00 0A 01"
SECRET = b"correct horse battery staple"
PUT = b"\x80\x10\x00\x00" + bytes((len(SECRET),)) + SECRET
GET = b"\x80\x20\x00\x00\x00"


def vault_on(channels: int = 1) -> Simulator:
    sim = Simulator()
    sim.install(Vault, AID)
    for number in range(channels):
        if number:
            sim.open_channel()
        assert sim.select(AID, number).sw == 0x9000
    return sim


@pytest.mark.parametrize("level", [0x03, 0x13, 0x33])
def test_a_secret_set_over_scp03_reads_back_on_another_channel(level: int) -> None:
    sim = vault_on(2)
    writer = Scp03Host(sim, 0)
    assert writer.open(level).sw == 0x9000
    assert writer.transmit(PUT)[1] == 0x9000
    reader = Scp03Host(sim, 1, host_challenge=bytes(8))
    assert reader.open(0x33).sw == 0x9000
    assert reader.transmit(GET) == (SECRET, 0x9000)
    # The answer crossed encrypted: the raw response does not hold the secret.
    raw = sim.transmit(reader.wrap(GET), interface="contact")
    assert SECRET not in raw.data


def test_scp02_protects_the_vault_too() -> None:
    sim = vault_on()
    host = Scp02Host(sim)
    assert host.open(0x03).sw == 0x9000
    assert host.transmit(PUT)[1] == 0x9000
    assert host.transmit(GET) == (SECRET, 0x9000)


def test_without_c_decryption_the_secret_cannot_be_set() -> None:
    sim = vault_on()
    host = Scp03Host(sim)
    host.open(0x01)
    assert host.transmit(PUT)[1] == 0x6982


def test_plain_commands_and_other_channels_sessions_are_refused() -> None:
    sim = vault_on(2)
    assert sim.transmit(PUT).sw == 0x6982
    host = Scp03Host(sim, 0)
    host.open(0x03)
    # A session belongs to its channel: the same wrapped command on channel 1 is refused.
    wrapped = host.wrap(PUT)
    assert sim.transmit(bytes((wrapped[0] | 0x01,)) + wrapped[1:]).sw == 0x6982
    assert sim.transmit(b"\x80\x30\x00\x00\x00", 1).data == b"\x00"
    assert sim.transmit(b"\x80\x30\x00\x00\x00", 0).data == b"\x83"


def test_a_tampered_command_is_refused_and_the_secret_kept() -> None:
    sim = vault_on()
    host = Scp03Host(sim)
    host.open(0x03)
    host.transmit(PUT)
    wrapped = bytearray(host.wrap(b"\x80\x10\x00\x00\x04ABCD"))
    wrapped[6] ^= 0x40
    assert sim.transmit(bytes(wrapped)).sw == 0x6982
    assert sim.transmit(b"\x80\x30\x00\x00\x00").data == b"\x00"
    host = Scp03Host(sim)
    host.open(0x01)
    assert host.transmit(GET) == (SECRET, 0x9000)


def test_the_pseudo_random_challenge_depends_on_the_vault_aid() -> None:
    sim = vault_on()
    on_vault = Scp03Host(sim).initialize_update().data[13:21]
    sim.select("A000000151000000")
    on_isd = Scp03Host(sim).initialize_update().data[13:21]
    # Both are the second challenge from key set 30 (sequence 1 then 2) but even the same
    # counter would give different challenges for different AIDs.
    assert on_vault != on_isd


def test_the_demo_runs_to_the_end() -> None:
    import io

    from rich.console import Console

    from jcsim.cli.demo import run_demo

    output = io.StringIO()
    console = Console(file=output, width=120)
    assert run_demo("gp-vault", console, pause=False) == 0
    assert "open sesame" in output.getvalue()
