"""The ISO 7816-4 sample: one security state per channel, copied only by MANAGE CHANNEL OPEN
from a channel other than the basic one."""

from __future__ import annotations

import pytest

from jcsim import Response, Simulator
from jcsim.samples.channel_security.channel_security_applet import (
    PIN_TRY_LIMIT,
    SECRET,
    ChannelSecurityApplet,
)

AID = "F0 00 00 00 20 01"
VERIFY_GOOD = "80 20 00 00 04 31323334"  # "1234", the default PIN
VERIFY_BAD = "80 20 00 00 04 39393939"
GET_SECRET = "80 CA 00 00 00"
GET_STATE = "80 CA 00 01 01"


@pytest.fixture
def card() -> Simulator:
    """The applet is the default applet of the contact interface, selected on channel 0."""
    sim = Simulator()
    sim.install(ChannelSecurityApplet, AID, default="contact")
    sim.reset()
    return sim


def verified(sim: Simulator, channel: int) -> bool:
    response = sim.transmit(GET_STATE, channel)
    assert response.sw == 0x9000
    return response.data == b"\x01"


def test_the_secret_needs_a_verified_PIN_on_the_channel(card: Simulator) -> None:
    assert card.transmit(GET_SECRET) == Response(b"", 0x6982)
    assert card.transmit(VERIFY_GOOD).sw == 0x9000
    assert card.transmit(GET_SECRET) == Response(SECRET, 0x9000)


def test_verifying_on_one_channel_does_not_verify_the_others(card: Simulator) -> None:
    assert card.select(AID, 3).sw == 0x9000
    card.transmit(VERIFY_GOOD, 3)
    assert verified(card, 3)
    assert not verified(card, 0)
    assert card.transmit(GET_SECRET, 0).sw == 0x6982


def test_a_channel_opened_from_a_verified_channel_Q_inherits_its_state(card: Simulator) -> None:
    card.select(AID, 2)
    card.transmit(VERIFY_GOOD, 2)
    new = card.open_channel(origin=2)  # select(True) with getCLAChannel 2, assigned `new`
    assert verified(card, new)
    assert card.transmit(GET_SECRET, new) == Response(SECRET, 0x9000)


def test_a_channel_opened_from_an_unverified_channel_Q_is_unverified(card: Simulator) -> None:
    card.transmit(VERIFY_GOOD, 0)
    card.select(AID, 2)
    new = card.open_channel(origin=2)
    assert not verified(card, new)


def test_a_channel_opened_from_the_basic_channel_starts_unverified(card: Simulator) -> None:
    card.transmit(VERIFY_GOOD, 0)
    new = card.open_channel(origin=0)  # the default applet is selected there
    assert card.selected(new) == card.selected(0)
    assert not verified(card, new)
    assert card.transmit(GET_SECRET, new).sw == 0x6982


def test_inheritance_follows_the_chain_of_origins(card: Simulator) -> None:
    card.select(AID, 1)
    card.transmit(VERIFY_GOOD, 1)
    second = card.open_channel(origin=1)
    third = card.open_channel(origin=second)
    assert [verified(card, n) for n in (0, 1, second, third)] == [False, True, True, True]


def test_SELECT_on_a_verified_channel_starts_it_afresh(card: Simulator) -> None:
    card.select(AID, 4)
    card.transmit(VERIFY_GOOD, 4)
    assert card.select(AID, 4).sw == 0x9000
    assert not verified(card, 4)


def test_closing_a_channel_forgets_its_state_while_others_keep_theirs(card: Simulator) -> None:
    card.select(AID, 1)
    card.transmit(VERIFY_GOOD, 1)
    second = card.open_channel(origin=1)
    card.close_channel(1)
    applet = card.card.registry.find(bytes.fromhex(AID.replace(" ", ""))).instance
    assert applet.appState[1] is False  # cleared by deselect(True) on channel 1
    assert verified(card, second)
    # Channel 1 reopened from the still verified channel inherits again.
    assert card.transmit(bytes((0x00, 0x70, 0x00, 0x01)), second) == Response(b"", 0x9000)
    assert verified(card, 1)


def test_a_failed_VERIFY_withdraws_the_channels_state_and_counts_down(card: Simulator) -> None:
    card.transmit(VERIFY_GOOD)
    assert card.transmit(VERIFY_BAD) == Response(b"", 0x63C0 | (PIN_TRY_LIMIT - 1))
    assert not verified(card, 0)
    assert card.transmit(VERIFY_BAD).sw == 0x63C0 | (PIN_TRY_LIMIT - 2)
    assert card.transmit(VERIFY_GOOD).sw == 0x9000  # a success restores the tries
    for left in range(PIN_TRY_LIMIT - 1, -1, -1):
        assert card.transmit(VERIFY_BAD).sw == 0x63C0 | left
    assert card.transmit(VERIFY_GOOD).sw == 0x6983  # blocked


def test_a_reset_clears_every_channels_state(card: Simulator) -> None:
    card.transmit(VERIFY_GOOD)
    card.select(AID, 5)
    card.transmit(VERIFY_GOOD, 5)
    card.reset()
    assert not verified(card, 0)
    assert card.select(AID, 5).sw == 0x9000
    assert not verified(card, 5)


def test_the_PIN_may_come_from_the_install_parameters() -> None:
    sim = Simulator()
    sim.install(ChannelSecurityApplet, AID, params=b"42")
    sim.select(AID)
    assert sim.transmit(VERIFY_GOOD).sw == 0x63C2
    assert sim.transmit("80 20 00 00 02 3432").sw == 0x9000


def test_an_unknown_instruction_is_6D00(card: Simulator) -> None:
    assert card.transmit("80 B0 00 00 00").sw == 0x6D00


def test_the_channel_security_demo_runs_to_the_end() -> None:
    from rich.console import Console

    from jcsim.cli.demo import run_demo

    console = Console(record=True, width=100)
    assert run_demo("channel-security", console, pause=False) == 0
    assert "getCLAChannel" in console.export_text()
