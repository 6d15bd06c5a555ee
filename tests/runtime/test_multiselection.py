"""MultiSelectable applets (JCRE 3.0.5 §4.3, §4.7) and the CLEAR_ON_DESELECT segment of a
package shared between channels and interfaces.

The JCRE calls ``select()`` / ``deselect()`` when no other applet of the package is active, and
``select(appInstAlreadyActive)`` / ``deselect(appInstStillActive)`` when one is, with True when
it is the same instance. Python has no overloading: the recorders log None for the plain form.
"""

from __future__ import annotations

import pytest

from jcsim import InstallError, JCSimError, Simulator
from jcsim.framework import Applet, MultiSelectable
from tests.runtime.channel_fixtures import AIDS, Call, install_recorders, report, touch
from tests.runtime.channel_packages.mixed import MultiSelectableApplet, PlainApplet
from tests.runtime.channel_packages.multi import MultiRecorder


def test_the_first_selection_in_a_package_calls_the_plain_select(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"))
    t1.select(AIDS["M1"], 1)
    assert recorders.log == [Call("M1", "select", None, 1, 1)]


def test_selecting_an_active_instance_on_another_channel_passes_True(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    t1.select(AIDS["M1"], 1)
    recorders.log.clear()
    assert t1.select(AIDS["M1"], 2).sw == 0x9000
    assert recorders.log == [Call("M1", "select", True, 2, 2)]


def test_selecting_another_instance_of_an_active_package_passes_False(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"))
    t1.select(AIDS["M1"], 1)
    recorders.log.clear()
    assert t1.select(AIDS["M2"], 2).sw == 0x9000
    assert recorders.log == [Call("M2", "select", False, 2, 2)]


def test_deselect_passes_True_False_then_nothing_as_the_package_empties(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"))
    t1.select(AIDS["M1"], 1)
    t1.select(AIDS["M1"], 2)
    t1.select(AIDS["M2"], 3)
    recorders.log.clear()
    t1.close_channel(1)  # M1 stays active on channel 2
    t1.close_channel(2)  # M1 is gone, M2 of its package stays on channel 3
    t1.close_channel(3)  # the last applet of the package
    assert recorders.log == [Call("M1", "deselect", True, 1, 0),
                             Call("M1", "deselect", False, 2, 0),
                             Call("M2", "deselect", None, 3, 0)]


def test_reselecting_on_the_same_channel_passes_what_stays_active_elsewhere(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    t1.select(AIDS["M1"], 1)
    t1.select(AIDS["M1"], 2)
    recorders.log.clear()
    assert t1.select(AIDS["M1"], 2).sw == 0x9000
    assert recorders.log == [Call("M1", "deselect", True, 2, 2), Call("M1", "select", True, 2, 2)]


def test_applets_of_another_package_do_not_count(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "S1"))
    t1.select(AIDS["S1"], 1)
    recorders.log.clear()
    t1.select(AIDS["M1"], 2)
    t1.close_channel(2)
    assert recorders.log == [Call("M1", "select", None, 2, 2), Call("M1", "deselect", None, 2, 0)]


def test_a_non_multiselectable_applet_is_active_on_one_channel_at_most(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("S1",))
    assert t1.select(AIDS["S1"], 1).sw == 0x9000
    assert t1.select(AIDS["S1"], 2).sw == 0x6985
    t1.close_channel(1)
    assert t1.select(AIDS["S1"], 2).sw == 0x9000
    assert [call.argument for call in recorders.log] == [None, None, None]


# --- CLEAR_ON_DESELECT belongs to the package ----------------------------------------------


def test_clear_on_deselect_survives_while_another_applet_of_the_package_is_active(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"))
    t1.select(AIDS["M1"], 1)
    touch(t1, 1)
    t1.select(AIDS["M2"], 2)
    t1.close_channel(1)  # M1 deselected, M2 keeps the package's segment alive
    assert recorders.marks() == {"M1": 2, "M2": 1}
    t1.close_channel(2)  # the last one: the segment is cleared
    assert recorders.marks() == {"M1": 0, "M2": 0}


def test_clear_on_deselect_is_shared_by_an_instance_active_on_two_channels(
        t1: Simulator) -> None:
    install_recorders(t1, ("M1",))
    t1.select(AIDS["M1"], 1)
    t1.select(AIDS["M1"], 2)
    assert touch(t1, 1).marks == 3  # two selections, one touch
    assert report(t1, 2).marks == 3  # the same byte, seen from the other channel


def test_clear_on_deselect_survives_a_package_active_only_on_the_other_interface(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2", "S1"))
    t1.select(AIDS["M1"], 0)
    t1.select(AIDS["M2"], 4, interface="contactless")
    t1.select(AIDS["M2"], 0)  # M1 leaves contact channel 0: M2 is active on both interfaces
    t1.close_channel(4, interface="contactless")
    assert recorders.marks() == {"M1": 1, "M2": 2, "S1": 0}
    t1.select(AIDS["S1"], 0)  # M2 leaves its last channel: now the package is inactive
    assert recorders.marks() == {"M1": 0, "M2": 0, "S1": 1}


def test_the_first_selection_of_a_package_starts_from_a_cleared_segment(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    # Something (here the host) wrote the segment while no applet of the package was active;
    # the JCRE zeroes it when the package becomes active again.
    recorders.applets["M1"].marks[0] = 0x55
    t1.select(AIDS["M1"], 3)
    assert recorders.marks() == {"M1": 1}


def test_a_refused_first_selection_leaves_the_segment_cleared(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    recorders.applets["M1"].marks[0] = 0x55
    recorders.applets["M1"].refuse = True
    assert t1.select(AIDS["M1"], 3).sw == 0x6999
    assert recorders.marks() == {"M1": 0}


def test_a_reset_clears_the_segment_of_an_active_package(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"))
    t1.select(AIDS["M1"], 1)
    t1.select(AIDS["M2"], 2, interface="contactless")
    t1.reset()
    assert recorders.marks() == {"M1": 0, "M2": 0}


# --- across interfaces ----------------------------------------------------------------------


def test_multiselection_spans_both_interfaces(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    t1.select(AIDS["M1"], 0)
    recorders.log.clear()
    assert t1.select(AIDS["M1"], 0, interface="contactless").sw == 0x9000
    assert t1.select(AIDS["M1"], 5, interface="contactless").sw == 0x9000
    t1.close_channel(5, interface="contactless")
    assert recorders.log == [Call("M1", "select", True, 0, 0),
                             Call("M1", "select", True, 5, 5),
                             Call("M1", "deselect", True, 5, 0)]


def test_a_non_multiselectable_applet_active_on_contact_is_refused_on_contactless(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("S1", "S2"))
    t1.select(AIDS["S1"], 0)
    assert t1.select(AIDS["S1"], 0, interface="contactless").sw == 0x6985
    assert t1.select(AIDS["S2"], 3, interface="contactless").sw == 0x6985
    assert t1.selected(0, interface="contactless") is None
    recorders.applets["S1"].refuse = True
    t1.select(AIDS["S1"], 0)  # deselects S1 on contact, then refuses: the package is inactive
    assert t1.select(AIDS["S2"], 3, interface="contactless").sw == 0x9000


# --- installation ---------------------------------------------------------------------------


def test_a_package_mixing_multiselectable_and_plain_applets_is_refused_at_install() -> None:
    sim = Simulator()
    sim.install(PlainApplet, "F0 00 00 00 0D 01")
    with pytest.raises(InstallError, match="mixes MultiSelectable and non-MultiSelectable"):
        sim.install(MultiSelectableApplet, "F0 00 00 00 0D 02")
    assert sim.select("F0 00 00 00 0D 02").sw == 0x6999  # no applet under that AID


def test_the_mixing_check_holds_whichever_kind_is_installed_first() -> None:
    sim = Simulator()
    sim.install(MultiSelectableApplet, "F0 00 00 00 0D 02")
    with pytest.raises(InstallError, match="PlainApplet is not MultiSelectable"):
        sim.install(PlainApplet, "F0 00 00 00 0D 01")
    # More applets of the kind the package already has are fine.
    sim.install(MultiSelectableApplet, "F0 00 00 00 0D 03")


def test_InstallError_for_a_mixed_package_is_a_JCSimError() -> None:
    sim = Simulator()
    sim.install(PlainApplet, "F0 00 00 00 0D 01")
    with pytest.raises(JCSimError):
        sim.install(MultiSelectableApplet, "F0 00 00 00 0D 02")


def test_a_multiselectable_applet_without_the_boolean_select_is_refused_at_install() -> None:
    class Forgetful(Applet, MultiSelectable):
        # Applet comes first in the bases, so select() and deselect() are Applet's, which take
        # no argument; in Java this class would not compile.
        def process(self, apdu: object) -> None:
            return None

    with pytest.raises(InstallError, match=r"select\(self, appInstAlreadyActive=None\)"):
        Simulator().install(Forgetful, "F0 00 00 00 0E 01")


def test_a_multiselectable_applet_that_overrides_select_and_deselect_installs() -> None:
    sim = Simulator()
    assert sim.install(MultiRecorder, AIDS["M1"]).value == bytes.fromhex(AIDS["M1"])
