"""Hostile bytes at the secure channel: whatever arrives, the card answers a status word (never
6F00, the mark of an unexpected exception) and a refused command changes nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.samples.gp_vault import Vault
from tests.runtime.gp_host import Scp03Host

ISD = "A000000151000000"
VAULT = "F00000000A01"

classes = st.sampled_from([0x80, 0x84, 0x81, 0x85, 0xC0, 0xE0, 0x00, 0x04, 0x0C])
instructions = st.sampled_from([0x50, 0x82, 0xE6, 0xE4, 0xF2, 0xCA, 0xD8, 0xF0, 0x10, 0x20])
commands = st.tuples(classes, instructions, st.integers(0, 255), st.integers(0, 255),
                     st.binary(max_size=80), st.booleans()).map(
    lambda t: bytes(t[:4]) + (bytes((len(t[4]),)) + t[4] if t[4] else b"")
    + (b"\x00" if t[5] else b""))


@settings(max_examples=150, deadline=None)
@given(level=st.sampled_from([0x01, 0x03, 0x13, 0x33]), raw=commands,
       target=st.sampled_from([ISD, VAULT]))
def test_random_commands_in_a_session_never_crash_nor_change_the_card_when_refused(
        level: int, raw: bytes, target: str) -> None:
    sim = Simulator()
    sim.install(Vault, VAULT)
    sim.select(target)
    assert Scp03Host(sim).open(level).sw == 0x9000
    before = sim.snapshot()
    response = sim.transmit(raw)
    assert response.sw != 0x6F00
    if response.sw != 0x9000 and response.sw >> 8 not in (0x61, 0x62, 0x63):
        # INITIALIZE UPDATE counts its sequence even when the session it starts goes nowhere.
        if raw[1] != 0x50:
            assert sim.snapshot() == before


plain_commands = st.tuples(st.sampled_from([0xE6, 0xE4, 0xF2, 0xCA, 0xD8, 0xF0, 0x10, 0x20]),
                           st.integers(0, 255), st.integers(0, 255),
                           st.binary(min_size=1, max_size=120)).map(
    lambda t: bytes((0x80, t[0], t[1], t[2], len(t[3]))) + t[3] + b"\x00")


@settings(max_examples=200, deadline=None)
@given(level=st.sampled_from([0x01, 0x03, 0x13, 0x33]), raw=plain_commands,
       target=st.sampled_from([ISD, VAULT]))
def test_well_wrapped_hostile_commands_never_crash_the_card(level: int, raw: bytes,
                                                            target: str) -> None:
    sim = Simulator()
    sim.install(Vault, VAULT)
    sim.select(target)
    host = Scp03Host(sim)
    assert host.open(level).sw == 0x9000
    before = sim.snapshot()
    response = sim.transmit(host.wrap(raw))
    assert response.sw != 0x6F00
    if response.sw != 0x9000 and response.sw >> 8 not in (0x61, 0x62, 0x63):
        assert sim.snapshot() == before
