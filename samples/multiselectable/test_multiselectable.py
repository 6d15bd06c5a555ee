"""The MultiSelectable sample: what its data looks like after each selection and deselection,
and which initialisations and clearings the JCRE's select / deselect calls lead to."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.samples.multiselectable import sample_applet
from jcsim.samples.multiselectable.sample_applet import (
    DATA_LENGTH,
    DATA_PACKAGE,
    DATA_PRIVATE,
    SampleApplet,
)

A = "F0 00 00 00 10 01"
B = "F0 00 00 00 10 02"
PACKAGE_READY = bytes([DATA_PACKAGE]) * DATA_LENGTH
PRIVATE_READY = bytes([DATA_PRIVATE]) * DATA_LENGTH
CLEARED = bytes(DATA_LENGTH)


@pytest.fixture
def card() -> Simulator:
    """Two instances of SampleApplet (one package), nothing selected."""
    sim = Simulator()
    sim.install(SampleApplet, A)
    sim.install(SampleApplet, B)
    return sim


@pytest.fixture
def events(card: Simulator, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every initData / clearData call, as (action, "package" or the applet's AID)."""
    seen: list[tuple[str, str]] = []
    names = {id(applet(card, aid).privateData): aid for aid in (A, B)}

    def label(array: object) -> str:
        return "package" if array is sample_applet.packageData else names[id(array)]

    init, clear = SampleApplet.initData, SampleApplet.clearData

    def spying_init(self: SampleApplet, array: object, data_type: int) -> None:
        seen.append(("init", label(array)))
        init(self, array, data_type)

    def spying_clear(self: SampleApplet, array: object) -> None:
        seen.append(("clear", label(array)))
        clear(self, array)

    monkeypatch.setattr(SampleApplet, "initData", spying_init)
    monkeypatch.setattr(SampleApplet, "clearData", spying_clear)
    return seen


def applet(sim: Simulator, aid: str) -> SampleApplet:
    record = sim.card.registry.find(bytes.fromhex(aid.replace(" ", "")))
    assert record is not None
    return record.instance


def get_data(sim: Simulator, data_type: int, channel: int = 0, **kw: str) -> bytes:
    response = sim.transmit(bytes((0x80, 0xCA, 0x00, data_type, 0x00)), channel, **kw)
    assert response.sw == 0x9000
    return response.data


def test_the_first_activation_initialises_the_package_data_and_its_own(
        card: Simulator, events: list[tuple[str, str]]) -> None:
    assert card.select(A).sw == 0x9000
    assert events == [("init", "package"), ("init", A)]
    assert get_data(card, DATA_PACKAGE) == PACKAGE_READY
    assert get_data(card, DATA_PRIVATE) == PRIVATE_READY


def test_a_second_applet_of_the_package_initialises_only_its_own_data(
        card: Simulator, events: list[tuple[str, str]]) -> None:
    card.select(A)
    events.clear()
    assert card.select(B, 1).sw == 0x9000  # select(False)
    assert events == [("init", B)]
    assert get_data(card, DATA_PRIVATE, 1) == PRIVATE_READY
    assert get_data(card, DATA_PACKAGE, 1) == PACKAGE_READY


def test_the_same_instance_on_a_second_channel_initialises_nothing(
        card: Simulator, events: list[tuple[str, str]]) -> None:
    card.select(A)
    events.clear()
    assert card.open_channel(origin=0) == 1  # no default applet: channel 1 is empty
    assert card.select(A, 1).sw == 0x9000  # select(True)
    assert events == []


def test_leaving_one_of_two_channels_clears_nothing(
        card: Simulator, events: list[tuple[str, str]]) -> None:
    card.select(A)
    card.select(A, 1)
    events.clear()
    card.close_channel(1)  # deselect(True)
    assert events == []
    assert get_data(card, DATA_PRIVATE) == PRIVATE_READY


def test_an_applet_that_leaves_an_active_package_clears_only_its_own_data(
        card: Simulator, events: list[tuple[str, str]]) -> None:
    card.select(A)
    card.select(B, 1)
    events.clear()
    card.close_channel(1)  # deselect(False): A keeps the package active
    assert events == [("clear", B)]
    assert bytes(applet(card, B).privateData) == CLEARED
    assert get_data(card, DATA_PACKAGE) == PACKAGE_READY


def test_the_last_applet_to_leave_clears_the_package_data(
        card: Simulator, events: list[tuple[str, str]]) -> None:
    card.select(A, 2)
    card.select(B, 1)
    events.clear()
    card.close_channel(1)  # deselect(False): A keeps the package active
    card.close_channel(2)  # deselect(): A was the last
    assert events == [("clear", B), ("clear", "package"), ("clear", A)]
    assert bytes(sample_applet.packageData) == CLEARED
    assert bytes(applet(card, A).privateData) == bytes(applet(card, B).privateData) == CLEARED


def test_switching_applets_on_one_channel_ends_the_package_then_starts_it_again(
        card: Simulator, events: list[tuple[str, str]]) -> None:
    # SELECT deselects the channel's applet before selecting the new one (JCRE §4.6.2), so for
    # a moment no applet of the package is active: A gets deselect(), B gets select().
    card.select(A)
    events.clear()
    assert card.select(B).sw == 0x9000
    assert events == [("clear", "package"), ("clear", A), ("init", "package"), ("init", B)]


def test_the_package_is_active_across_both_interfaces(
        card: Simulator, events: list[tuple[str, str]]) -> None:
    card.select(A)
    card.select(B, interface="contactless")  # select(False), on the other interface
    assert events == [("init", "package"), ("init", A), ("init", B)]
    events.clear()
    card.select(A, 3, interface="contactless")  # select(True), then deselect(True)
    card.close_channel(3, interface="contactless")
    assert events == []


def test_a_reset_calls_no_deselect_so_persistent_data_waits_for_the_next_activation(
        card: Simulator, events: list[tuple[str, str]]) -> None:
    # JCRE §4.7: reset and power loss deselect without calling deselect(). The sample's arrays
    # are persistent, so they keep their contents until the next first activation
    # re-initialises them: this is why the notes initialise on activation, not only clear on
    # deactivation.
    card.select(A)
    events.clear()
    card.reset()
    assert events == []
    assert bytes(applet(card, A).privateData) == PRIVATE_READY
    card.select(A)
    assert events == [("init", "package"), ("init", A)]


def test_a_wrong_data_type_is_6A86(card: Simulator) -> None:
    card.select(A)
    assert card.transmit("80 CA 00 03 00").sw == 0x6A86
    assert card.transmit("80 CA 01 01 00").sw == 0x6A86
    assert card.transmit("80 00 00 00").sw == 0x6D00


def test_the_channels_demo_runs_to_the_end() -> None:
    from rich.console import Console

    from jcsim.cli.demo import run_demo

    console = Console(record=True, width=100)
    assert run_demo("channels", console, pause=False) == 0
    text = console.export_text()
    assert "select(False)" in text
    assert "Done" in text
