"""The host API for logical channels: open_channel, close_channel, selected, open_channels, and
the channel / interface arguments of transmit and select."""

from __future__ import annotations

import pytest

from jcsim import AID, ChannelError, JCSimError, Simulator
from tests.runtime.channel_fixtures import AIDS, Call, install_recorders, report


def test_open_channel_returns_the_channel_the_card_assigned(t1: Simulator) -> None:
    assert t1.open_channel() == 1
    assert t1.open_channel() == 2
    assert t1.open_channels() == [0, 1, 2]


def test_open_channel_from_an_origin_selects_the_origins_applet_there(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    t1.select(AIDS["M1"], 6)
    recorders.log.clear()
    channel = t1.open_channel(origin=6)
    assert channel == 1
    assert t1.selected(channel) == AID(bytes.fromhex(AIDS["M1"]))
    assert recorders.log == [Call("M1", "select", True, assigned=1, cla=6)]
    assert report(t1, channel).assigned == 1


def test_open_channel_raises_ChannelError_with_the_status_word_when_refused(
        t1: Simulator) -> None:
    with pytest.raises(ChannelError) as caught:
        t1.open_channel(origin=4)
    assert caught.value.sw == 0x6881
    for _ in range(19):
        t1.open_channel()
    with pytest.raises(ChannelError) as caught:
        t1.open_channel()
    assert caught.value.sw == 0x6A81


def test_open_channel_reports_a_refused_selection_as_ChannelError(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("S1", "M1"))
    t1.select(AIDS["S1"], 2)
    t1.select(AIDS["M1"], 3)
    with pytest.raises(ChannelError) as caught:
        t1.open_channel(origin=2)  # S1 is not MultiSelectable
    assert caught.value.sw == 0x6985
    recorders.applets["M1"].refuse = True
    with pytest.raises(ChannelError) as caught:
        t1.open_channel(origin=3)  # M1's select(True) answers False
    assert caught.value.sw == 0x6999
    assert t1.open_channels() == [0, 2, 3]


def test_ChannelError_is_a_JCSimError_and_a_RuntimeError() -> None:
    assert issubclass(ChannelError, JCSimError)
    assert issubclass(ChannelError, RuntimeError)


def test_close_channel_closes_and_deselects(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    t1.select(AIDS["M1"], 5)
    recorders.log.clear()
    t1.close_channel(5)
    assert t1.open_channels() == [0]
    assert recorders.log == [Call("M1", "deselect", None, assigned=5, cla=0)]


@pytest.mark.parametrize(("channel", "sw"), [(5, 0x6200), (0, 0x6A81), (20, 0x6A81)])
def test_close_channel_raises_ChannelError_for_any_answer_but_9000(
        t1: Simulator, channel: int, sw: int) -> None:
    with pytest.raises(ChannelError) as caught:
        t1.close_channel(channel)
    assert caught.value.sw == sw


def test_close_channel_of_a_number_that_does_not_fit_P2_is_a_JCSimError(t1: Simulator) -> None:
    with pytest.raises(JCSimError):
        t1.close_channel(256)


def test_selected_is_None_for_a_closed_or_empty_channel_and_the_AID_otherwise(
        t1: Simulator) -> None:
    install_recorders(t1, ("M1",))
    assert t1.selected(0) is None
    assert t1.selected(19) is None
    t1.select(AIDS["M1"], 19, interface="contactless")
    assert t1.selected(19) is None
    assert t1.selected(19, interface="contactless") == AID(bytes.fromhex(AIDS["M1"]))


@pytest.mark.parametrize("channel", [-1, 20])
def test_selected_of_a_channel_outside_0_to_19_is_a_JCSimError(
        t1: Simulator, channel: int) -> None:
    with pytest.raises(JCSimError, match="0 to 19"):
        t1.selected(channel)


def test_the_channel_helpers_refuse_an_unknown_interface(t1: Simulator) -> None:
    with pytest.raises(JCSimError, match="no interface"):
        t1.selected(0, interface="usb")
    with pytest.raises(JCSimError, match="no interface"):
        t1.open_channel(interface="usb")
    with pytest.raises(JCSimError, match="no interface"):
        t1.open_channels(interface="usb")


def test_select_and_transmit_with_a_channel_re_encode_the_class_byte(t1: Simulator) -> None:
    install_recorders(t1, ("M1",))
    seen = []
    t1.subscribe(lambda exchange: seen.append(exchange.command[0]))
    t1.select(AIDS["M1"], 3)
    t1.select(AIDS["M1"], 12)
    t1.transmit("80 10 00 00 04", channel=12)
    t1.transmit("80 10 00 00 04", channel=3)
    assert seen == [0x03, 0x48, 0xC8, 0x83]


def test_open_channel_works_under_T0() -> None:
    sim = Simulator("T=0")
    assert sim.open_channel() == 1
    sim.close_channel(1)
    assert sim.open_channels() == [0]
