"""org.globalplatform's GPSystem and CVM as applets see them."""

from __future__ import annotations

from jcsim import Simulator
from tests.globalplatform.gp_applet import GPProbe

AID = "F0 00 00 00 0B 01"
ISD = "A000000151000000"
# Privileges byte 1: b5 Card Lock, b4 Card Terminate, b2 CVM Management.
ALL = bytes((0x10 | 0x08 | 0x02,))


def probe(privileges: bytes = b"\x00", **options: object) -> Simulator:
    sim = Simulator(**options)
    sim.install(GPProbe, AID, privileges=privileges)
    assert sim.select(AID).sw == 0x9000
    return sim


def ask(sim: Simulator, ins: int, p1: int = 0, data: bytes = b"") -> bytes:
    command = bytes((0x80, ins, p1, 0)) + (bytes((len(data),)) + data if data else b"")
    response = sim.transmit(command + b"\x00")
    assert response.sw == 0x9000
    return response.data


def test_the_card_is_secured_and_the_applet_selectable() -> None:
    sim = probe()
    assert ask(sim, 0x01) == b"\x0F"
    assert ask(sim, 0x02) == b"\x07"


def test_an_applet_moves_itself_to_an_application_specific_state() -> None:
    sim = probe()
    assert ask(sim, 0x03, 0x0F) == b"\x01"
    assert ask(sim, 0x02) == b"\x0F"
    # LOCKED (b8) and INSTALLED are not the applet's to choose.
    assert ask(sim, 0x03, 0x87) == b"\x00"
    assert ask(sim, 0x03, 0x03) == b"\x00"
    assert ask(sim, 0x02) == b"\x0F"
    sim.select(ISD)
    listing = sim.transmit("80 F2 40 00 02 4F 00 00")
    assert listing.data[0] == 6 and listing.data[7] == 0x0F


def test_locking_the_card_needs_the_card_lock_privilege() -> None:
    sim = probe()
    assert ask(sim, 0x04) == b"\x00"
    assert ask(sim, 0x01) == b"\x0F"
    sim = probe(ALL)
    assert ask(sim, 0x04) == b"\x01"
    assert ask(sim, 0x01) == b"\x7F"
    sim.reset()
    # A locked card selects nothing but the issuer security domain.
    assert sim.select(AID).sw != 0x9000
    assert sim.select(ISD).sw == 0x9000


def test_terminating_the_card_needs_the_card_terminate_privilege() -> None:
    assert ask(probe(), 0x05) == b"\x00"
    sim = probe(ALL)
    assert ask(sim, 0x05) == b"\x01"
    assert ask(sim, 0x01) == b"\xFF"
    sim.reset()
    assert sim.select(AID).sw != 0x9000


def test_the_global_pin_verifies_counts_tries_and_blocks() -> None:
    sim = probe(ALL)
    assert ask(sim, 0x06, data=b"1234") == b"\xFF\xFF"  # no PIN yet: CVM_FAILURE
    assert ask(sim, 0x07, data=b"1234") == b"\x01"
    assert ask(sim, 0x06, data=b"1234") == b"\x00\x00"
    assert ask(sim, 0x08) == b"\x01\x00\x03"
    sim.reset()
    sim.select(AID)
    assert ask(sim, 0x08) == b"\x00\x00\x03"  # a reset forgets the verification
    for tries in (2, 1, 0):
        assert ask(sim, 0x06, data=b"0000") == b"\xFF\xFF"
        assert ask(sim, 0x08)[2] == tries
    assert ask(sim, 0x08) == b"\x00\x01\x00"
    assert ask(sim, 0x06, data=b"1234") == b"\xFF\xFF"


def test_changing_the_global_pin_needs_the_cvm_management_privilege() -> None:
    sim = probe()
    assert ask(sim, 0x07, data=b"1234") == b"\x00"
    assert ask(sim, 0x0A, 5) == b"\x00"
    assert ask(sim, 0x09, 0x11) == b"\x00"
    assert ask(sim, 0x09, 0x21) == b"\x01"


def test_the_global_pin_survives_a_card_image() -> None:
    sim = probe(ALL)
    ask(sim, 0x07, data=b"4321")
    copy = Simulator.from_snapshot(sim.snapshot())
    copy.select(AID)
    assert ask(copy, 0x06, data=b"4321") == b"\x00\x00"


def test_an_applet_asks_for_its_secure_channel_before_the_cards_first_command() -> None:
    from tests.globalplatform.secure_channel_at_install import ChannelAtInstall

    # install() made by the host, then select() as the default applet at power-up: no command
    # has reached the card yet, so there is no channel and no session (security level 0).
    sim = Simulator()
    sim.install(ChannelAtInstall, AID, default=True)
    sim.power_on()
    assert sim.transmit("80 00 00 00 00").data == b"\x00\x00"
    # The same through an explicit SELECT, on a card that has seen commands.
    assert sim.select(AID).sw == 0x9000
    assert sim.transmit("80 00 00 00 00").data == b"\x00\x00"
