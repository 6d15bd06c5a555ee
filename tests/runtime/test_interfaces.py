"""Two I/O interfaces on one card (JCRE 3.0.5 §4.1, §4.2): contact (T=1 or T=0) and contactless
(T=CL, ISO 14443 type A), each with its own twenty channels and its own default applet."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.framework import APDU
from tests.runtime.channel_fixtures import AIDS, Call, install_recorders, report

CONTACTLESS = "contactless"


def test_getProtocol_is_contactless_type_A_with_T1_on_contactless_and_T0_or_T1_on_contact(
        protocol: str) -> None:
    sim = Simulator(protocol)
    install_recorders(sim, ("M1",))
    sim.select(AIDS["M1"], 0)
    sim.select(AIDS["M1"], 0, interface=CONTACTLESS)
    assert report(sim, 0, interface=CONTACTLESS).protocol == 0x81
    assert 0x81 == APDU.PROTOCOL_MEDIA_CONTACTLESS_TYPE_A | APDU.PROTOCOL_T1
    if protocol == "T=1":
        assert report(sim, 0).protocol == APDU.PROTOCOL_T1
    else:
        # Under T=0 the four bytes of REPORT come back at once for a case 2 with the right Le.
        response = sim.transmit("80 10 00 00 04")
        assert (response.sw, response.data[3]) == (0x9000, APDU.PROTOCOL_T0)


def test_each_interface_has_its_own_default_applet(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "S1"), defaults={"M1": "contact",
                                                             "S1": CONTACTLESS})
    t1.reset()
    assert t1.selected(0).value == bytes.fromhex(AIDS["M1"])
    assert t1.selected(0, interface=CONTACTLESS).value == bytes.fromhex(AIDS["S1"])
    assert recorders.log == [Call("M1", "select", None, 0, 0), Call("S1", "select", None, 0, 0)]


def test_a_default_for_contactless_only_is_not_selected_on_contact(t1: Simulator) -> None:
    install_recorders(t1, ("M1",), defaults={"M1": CONTACTLESS})
    t1.reset()
    assert t1.selected(0) is None
    assert t1.selected(0, interface=CONTACTLESS) is not None


def test_a_multiselectable_default_on_both_interfaces_is_active_on_both(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",), defaults={"M1": True})
    recorders.log.clear()
    t1.reset()
    # Contact first (plain select), then contactless while it is already active (True).
    assert recorders.log == [Call("M1", "select", None, 0, 0), Call("M1", "select", True, 0, 0)]
    assert t1.selected(0) == t1.selected(0, interface=CONTACTLESS)


def test_a_non_multiselectable_default_on_both_interfaces_is_active_on_contact_only(
        t1: Simulator) -> None:
    # JCRE §4.2.2: at PICC activation, a default applet that is not multiselectable and whose
    # context is already active on the contact interface leaves the contactless basic channel
    # with no applet.
    recorders = install_recorders(t1, ("S1",), defaults={"S1": True})
    recorders.log.clear()
    t1.reset()
    assert recorders.log == [Call("S1", "select", None, 0, 0)]
    assert t1.selected(0, interface=CONTACTLESS) is None
    assert t1.transmit("80 10 00 00 04", interface=CONTACTLESS).sw == 0x6999


def test_each_interface_has_its_own_channels(t1: Simulator) -> None:
    assert t1.open_channel(interface=CONTACTLESS) == 1
    assert t1.open_channel(interface=CONTACTLESS) == 2
    assert t1.open_channels() == [0]
    assert t1.open_channel() == 1
    t1.close_channel(1)
    assert t1.open_channels(interface=CONTACTLESS) == [0, 1, 2]
    assert t1.transmit("80 10 00 00 04", channel=2).sw == 0x6881
    assert t1.transmit("80 10 00 00 04", channel=2, interface=CONTACTLESS).sw == 0x6999


def test_opening_from_the_contactless_basic_channel_uses_the_contactless_default(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"), defaults={"M1": "contact",
                                                             "M2": CONTACTLESS})
    t1.reset()
    recorders.log.clear()
    assert t1.open_channel(interface=CONTACTLESS) == 1
    assert t1.open_channel() == 1
    assert t1.selected(1, interface=CONTACTLESS).value == bytes.fromhex(AIDS["M2"])
    assert t1.selected(1).value == bytes.fromhex(AIDS["M1"])
    assert recorders.log == [Call("M2", "select", True, 1, 0), Call("M1", "select", True, 1, 0)]


def test_a_multiselectable_applet_is_active_on_both_interfaces_at_once(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    assert t1.select(AIDS["M1"], 3).sw == 0x9000
    assert t1.select(AIDS["M1"], 3, interface=CONTACTLESS).sw == 0x9000
    assert report(t1, 3).protocol == APDU.PROTOCOL_T1
    assert report(t1, 3, interface=CONTACTLESS).protocol == 0x81
    assert recorders.log == [Call("M1", "select", None, 3, 3), Call("M1", "select", True, 3, 3)]


def test_a_non_multiselectable_applet_is_refused_with_6985_on_the_second_interface(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("S1",))
    assert t1.select(AIDS["S1"], 0, interface=CONTACTLESS).sw == 0x9000
    assert t1.select(AIDS["S1"], 0).sw == 0x6985
    assert t1.select(AIDS["S1"], 7).sw == 0x6985
    assert t1.selected(0) is None
    assert recorders.log == [Call("S1", "select", None, 0, 0)]


@pytest.mark.parametrize("interface", ["contact", CONTACTLESS])
def test_a_reset_closes_the_channels_of_both_interfaces(t1: Simulator, interface: str) -> None:
    t1.open_channel(interface=interface)
    t1.transmit("00 70 00 09", interface=interface)
    assert t1.open_channels(interface=interface) == [0, 1, 9]
    t1.reset()
    assert t1.open_channels() == [0]
    assert t1.open_channels(interface=CONTACTLESS) == [0]


def test_resetting_only_the_contactless_interface_selects_its_default_as_on_channel_0(
        t1: Simulator) -> None:
    # A reader resets the contactless interface while the contact session carries on: the
    # default applet's select() is not driven by any command, so it sees channel 0, not the
    # channel of the last contact command.
    recorders = install_recorders(t1, ("M1", "M2"), defaults={"M2": CONTACTLESS})
    t1.select(AIDS["M1"], 7)
    report(t1, 7)
    recorders.log.clear()
    t1.card.interface_up(CONTACTLESS)
    # False: M1 of the same package stays active on the contact interface.
    assert recorders.log == [Call("M2", "select", False, 0, 0)]
    assert t1.selected(7) is not None  # the contact session is untouched
