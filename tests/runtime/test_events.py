"""Observers of the card receive every command and response as an ``Exchange``."""

from __future__ import annotations

from jcsim import Simulator
from jcsim.runtime.events import Exchange
from tests.helpers import ECHO_AID, Echo


def test_observers_receive_every_exchange_in_order(sim: Simulator) -> None:
    sim.install(Echo, ECHO_AID)
    events: list[Exchange] = []
    sim.subscribe(events.append)
    sim.select(ECHO_AID)
    sim.transmit("80 01 00 00 01 AA")
    sim.transmit("80")
    assert [e.command.hex().upper() for e in events] == [
        "00A4040006F0000000010100", "8001000001AA", "80"]
    assert [e.sw for e in events][0] == 0x9000
    assert events[-1].response == b"\x67\x00"
    assert all(e.interface == "contact" and e.channel == 0 for e in events)


def test_an_exchange_holds_the_raw_response_including_T0_procedure_status_words() -> None:
    sim = Simulator("T=0")
    sim.install(Echo, ECHO_AID)
    sim.select(ECHO_AID)
    events: list[Exchange] = []
    sim.subscribe(events.append)
    sim.transmit("80 01 00 00 02 AABB")
    sim.transmit("00 C0 00 00 02")
    assert [e.response for e in events] == [b"\x61\x02", b"\xAA\xBB\x90\x00"]


def test_an_exchange_names_the_logical_channel_of_its_class_byte(t1: Simulator) -> None:
    events: list[Exchange] = []
    t1.subscribe(events.append)
    t1.transmit("00 70 00 00 01")
    t1.transmit("81 10 00 00")
    t1.transmit("C1 10 00 00")
    assert [e.channel for e in events] == [0, 1, 5]


def test_several_observers_each_get_the_event_and_unsubscribe_stops_it(t1: Simulator) -> None:
    first: list[Exchange] = []
    second: list[Exchange] = []
    t1.subscribe(first.append)
    t1.subscribe(second.append)
    t1.transmit("80 10 00 00")
    t1.unsubscribe(first.append)
    t1.transmit("80 10 00 00")
    assert len(first) == 1
    assert len(second) == 2
    assert first[0] == second[0]


def test_an_exchange_is_a_frozen_value() -> None:
    event = Exchange("contact", b"\x80\x10\x00\x00", b"\x90\x00", 0)
    assert event.sw == 0x9000
    assert Exchange("contact", b"", b"", 0).sw == -1
    try:
        event.channel = 1  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("Exchange should be frozen")
