"""Java objects are on-card objects: object deletion reclaims unreachable ones, an applet's own
exception classes derive from the framework's, AppletEvent.uninstall runs before deletion."""

from __future__ import annotations

from pathlib import Path

import pytest

from jcsim import Simulator
from jcsim.java import JavaClasspath
from jcsim.runtime.memory import PERSISTENT

KEEPER_AID = "A0 00 00 00 62 03 01 0E 01 01"


@pytest.fixture(scope="module")
def keeper_class(card_classes: Path) -> type:
    return JavaClasspath([card_classes])["com.jcsim.objects.Keeper"]


@pytest.fixture
def sim(keeper_class: type) -> Simulator:
    sim = Simulator()
    sim.install(keeper_class, KEEPER_AID)
    assert sim.select(KEEPER_AID).sw == 0x9000
    return sim


def test_object_deletion_reclaims_unreachable_java_objects(sim: Simulator) -> None:
    before = sim.card.memory.available(PERSISTENT)
    for _ in range(3):
        assert sim.transmit("00 10 01 00").sw == 0x9000  # a node with a 256-byte array
    assert sim.transmit("00 12 00 00 00").data == b"\x00\x03"
    used = before - sim.card.memory.available(PERSISTENT)
    assert used >= 3 * 256
    assert sim.transmit("00 11 00 00").sw == 0x9000
    assert sim.transmit("00 12 00 00 00").data == b"\x00\x00"
    assert before - sim.card.memory.available(PERSISTENT) < used - 3 * 256 + 64


@pytest.mark.parametrize(("ins", "sw"), [("20", 0x6A42), ("21", 0x6A43)])
def test_an_applet_exception_class_is_caught_by_its_class_and_its_base(
        sim: Simulator, ins: str, sw: int) -> None:
    assert sim.transmit(f"00 {ins} 00 00").sw == sw


def test_uninstall_runs_before_deletion(sim: Simulator) -> None:
    sim.reset()  # nothing of the package may be active when it is deleted
    sim.delete_applet(KEEPER_AID)
    # The package stays (only the instance goes), so its static field shows the call.
    assert sim.card.statics.values["com/jcsim/objects/Keeper"]["uninstalls"] == 1
    assert sim.select(KEEPER_AID).sw != 0x9000


def test_deleting_the_package_drops_its_statics_and_a_new_load_starts_over(
        sim: Simulator, keeper_class: type) -> None:
    from jcsim.package import resolve_module

    sim.reset()
    package_aid = resolve_module(keeper_class.__module__).aid
    sim.delete_package(package_aid, with_applets=True)
    assert "com/jcsim/objects/Keeper" not in sim.card.statics.values
    sim.install(keeper_class, KEEPER_AID)
    assert sim.select(KEEPER_AID).sw == 0x9000
    assert sim.transmit("00 12 00 00 00").data == b"\x00\x00"
    assert sim.card.statics.values.get("com/jcsim/objects/Keeper", {}).get("uninstalls", 0) == 0


def test_the_card_manager_installs_a_java_applet_by_its_class_aid(card_classes: Path) -> None:
    classes = JavaClasspath([card_classes], package_aids={"com/jcsim/twins": "F0 4A 43 53 4A 01"},
                            applet_aids={"com.jcsim.twins.Purse": "F0 4A 43 53 4A 01 02"})
    # Plain CLA 80 INSTALL: the card manager's unauthenticated mode (no secure channel).
    sim = Simulator(gp_open=True)
    package = classes.load_package("com.jcsim.twins")
    assert sim.load_package(package) == bytes.fromhex("F04A43534A01")

    def lv(value: bytes) -> bytes:
        return bytes((len(value),)) + value

    instance = bytes.fromhex("F04A43534A010201")
    data = (lv(bytes.fromhex("F04A43534A01")) + lv(bytes.fromhex("F04A43534A0102"))
            + lv(instance) + lv(b"\x00") + lv(b"\xC9\x00") + lv(b""))
    assert sim.select("A0 00 00 01 51 00 00 00").sw == 0x9000  # the card manager (ISD)
    assert sim.transmit(b"\x80\xE6\x0C\x00" + lv(data) + b"\x00").sw == 0x9000
    assert sim.select(instance).sw == 0x9000
    assert sim.transmit("00 30 00 00 02 00 09").sw == 0x9000
    assert sim.transmit("00 50 00 00 00").data[:4] == bytes.fromhex("0009 0001")


def test_static_reselecting_applet_asks_about_the_running_applet(sim: Simulator) -> None:
    assert sim.transmit("00 13 00 00 00").data == bytes.fromhex("0001 0000")
    assert sim.select(KEEPER_AID).sw == 0x9000  # selected again on the same channel
    assert sim.transmit("00 13 00 00 00").data == bytes.fromhex("0002 0001")


def test_super_calls_reach_the_api_through_java_superclasses(card_classes: Path) -> None:
    sim = Simulator()
    aid = "A0 00 00 00 62 03 01 0E 02 01"
    sim.install(JavaClasspath([card_classes])["com.jcsim.objects.Layered"], aid)
    assert sim.select(aid).sw == 0x9000
    assert sim.transmit("00 00 00 00").sw == 0x6301
    assert sim.select(aid).sw == 0x9000
    assert sim.select(aid).sw == 0x6999  # select() refused the third time
