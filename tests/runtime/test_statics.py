"""Static fields of on-card classes: per card, journaled, torn, deletion roots, in images
(``jcsim.framework.java_class``, ``jcsim.runtime.statics``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.framework import NullPointerException, _jcre
from jcsim.framework.java_class import StaticField
from jcsim.testing import tear_sweep
from tests.runtime.static_fields.keeper import Keeper, Node

AID = "F0 4A 43 53 53 01 01"
SELECT = f"00 A4 04 00 07 {AID} 00"
LIST = "80 02 00 00 00"


def link(value: int) -> str:
    return f"80 01 {value:02X} 00"


def card() -> Simulator:
    sim = Simulator()
    sim.install(Keeper, AID)
    assert sim.select(AID).sw == 0x9000
    return sim


@contextmanager
def on(sim: Simulator) -> Iterator[None]:
    """Read statics as card code of ``sim`` would (the card bound to this thread)."""
    previous = _jcre.bind(sim.card)
    try:
        yield
    finally:
        _jcre.unbind(previous)


def listed(sim: Simulator) -> tuple[list[int], int]:
    response = sim.transmit(LIST)
    assert response.sw == 0x9000
    return list(response.data[:-1]), response.data[-1]


def test_each_card_has_its_own_statics_starting_from_the_class_body() -> None:
    first, second = card(), card()
    assert first.transmit(link(1)).sw == 0x9000
    assert first.transmit(link(2)).sw == 0x9000
    assert second.transmit(link(9)).sw == 0x9000
    assert listed(first) == ([2, 1], 2)
    assert listed(second) == ([9], 1)
    third = card()
    assert listed(third) == ([], 0)
    # The host (no card bound) sees the class body; each card its own value.
    assert Keeper.count == 0 and Node.first is None
    with on(first):
        assert Keeper.count == 2 and Node.first.value == 2
    with on(second):
        assert Keeper.count == 1 and Node.first.value == 9
    assert first.static_field(Keeper, "count") == 2
    assert second.static_field(Node, "first").value == 9
    assert third.static_field(Keeper, "count") == 0
    assert third.static_field(Keeper, "LIMIT") == 20


def test_an_assigned_class_attribute_becomes_a_static_and_a_constant_stays_plain() -> None:
    sim = card()
    sim.transmit(link(1))
    assert type(Keeper.__dict__["count"]) is StaticField
    assert type(Node.__dict__["first"]) is StaticField
    assert Keeper.__dict__["LIMIT"] == 20


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["link", "abort"]), st.integers(0, 255)),
                max_size=12))
def test_abort_transaction_restores_the_statics(steps: list[tuple[str, int]]) -> None:
    sim = card()
    model: list[int] = []
    for kind, value in steps:
        if kind == "link":
            assert sim.transmit(link(value)).sw == 0x9000
            model.insert(0, value)
        else:
            assert sim.transmit(f"80 03 {value:02X} 00").sw == 0x9000
    assert listed(sim) == (model, len(model))


def test_static_writes_count_for_tears_and_a_tear_rolls_them_back() -> None:
    sim = card()
    sim.transmit(link(1))
    sim.card.journal.writes = 0
    sim.transmit(link(2))
    # The node's two fields, Node.first and Keeper.count.
    assert sim.card.journal.writes == 4
    for after in range(5):
        torn = card()
        torn.transmit(link(1))
        torn.arm_tear(after_writes=after)
        with pytest.raises(Exception):
            torn.transmit(link(2))
        torn.power_on()
        torn.select(AID)
        assert listed(torn) == ([1], 1)


def test_a_tear_sweep_over_a_static_list_passes() -> None:
    def consistent(sim: Simulator, point: Any) -> None:
        assert sim.select(AID).sw == 0x9000
        values, count = listed(sim)
        assert len(values) == count, f"{values} but count {count}"
        assert values in ([], [1], [2, 1]), values

    report = tear_sweep(card, [SELECT, link(1), link(2)], consistent)
    assert len(report.points) >= 8


def test_object_deletion_keeps_what_statics_reach_and_reclaims_the_rest() -> None:
    sim = card()
    for value in (1, 2, 3):
        sim.transmit(link(value))
    with on(sim):
        head = Node.first
    used = sim.memory().persistent.used
    assert sim.transmit("80 04 00 00").sw == 0x9000  # unlink 3, request deletion
    sim.transmit("80 00 00 00")  # deletion runs before the next command at the latest
    assert sim.memory().persistent.used < used
    assert listed(sim) == ([2, 1], 3)
    with pytest.raises(NullPointerException, match="reclaimed by object deletion"):
        head.value  # noqa: B018 - the use is the test


def test_a_card_image_keeps_statics_without_declaration(tmp_path: Any) -> None:
    sim = card()
    sim.transmit(link(7))
    sim.transmit(link(8))
    sim.save(tmp_path / "card.jcimg")
    body = json.loads((tmp_path / "card.jcimg").read_text())["body"]
    assert len(body["statics"]) == 2
    loaded = Simulator.load(tmp_path / "card.jcimg")
    loaded.select(AID)
    assert listed(loaded) == ([8, 7], 2)
    assert loaded.transmit(link(9)).sw == 0x9000
    assert listed(loaded) == ([9, 8, 7], 3)
    assert listed(sim) == ([8, 7], 2)


def test_a_static_of_a_deleted_package_goes_with_it() -> None:
    sim = card()
    sim.transmit(link(5))
    package = sim.card.registry.package_for(Keeper)
    sim.power_on()  # nothing selected: the package may go
    sim.delete_package(package.aid, with_applets=True)
    assert sim.card.statics.roots() == []
    sim.install(Keeper, AID)
    sim.select(AID)
    assert listed(sim) == ([], 0)


def test_any_context_reaches_a_static_but_the_object_keeps_its_owner() -> None:
    from tests.runtime.firewall_packages import beta
    from tests.runtime.firewall_packages.scripted import SW_FIREWALL, run

    sim = card()
    sim.transmit(link(4))
    other = "F0 4A 43 53 42 01 01"
    sim.install(beta.Beta, other)
    channel = sim.open_channel()
    assert sim.select(other, channel).sw == 0x9000
    assert run(sim, other, lambda applet, apdu: Keeper.count, channel).data == b"\x00\x01"
    assert run(sim, other, lambda applet, apdu: int(Node.first is not None), channel).data == \
        b"\x00\x01"
    assert run(sim, other, lambda applet, apdu: Node.first.value, channel).sw == SW_FIREWALL


def test_a_loaded_image_makes_the_class_attributes_statics_as_a_new_process_would(
        tmp_path: Any) -> None:
    sim = card()
    sim.transmit(link(3))
    sim.save(tmp_path / "card.jcimg")
    # What a fresh process sees: plain class attributes that no card code has assigned yet.
    type.__setattr__(Node, "first", None)
    type.__setattr__(Keeper, "count", 0)
    loaded = Simulator.load(tmp_path / "card.jcimg")
    assert type(Node.__dict__["first"]) is StaticField
    assert type(Keeper.__dict__["count"]) is StaticField
    loaded.select(AID)
    assert listed(loaded) == ([3], 1)


def _tampered(tmp_path: Any, field: str) -> Any:
    sim = card()
    sim.transmit(link(3))
    sim.save(tmp_path / "card.jcimg")
    document = json.loads((tmp_path / "card.jcimg").read_text())
    body = document["body"]
    for entry in body["objects"].values():
        if entry["class"] == "jcsim.runtime.statics:ClassStatics":
            entry["state"]["d"] = [[key, {"d": [[{"s": field}, 1]]}] if key == {"s": "fields"}
                                   else [key, value] for key, value in entry["state"]["d"]]
    import hashlib

    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    document["sha256"] = hashlib.sha256(canonical).hexdigest()
    return json.dumps(document).encode()


@pytest.mark.parametrize("field", ["__init__", "process", "not an identifier"])
def test_an_image_cannot_turn_code_into_a_static_field(tmp_path: Any, field: str) -> None:
    from jcsim import ImageError

    data = _tampered(tmp_path, field)
    (tmp_path / "bad.jcimg").write_bytes(data)
    with pytest.raises(ImageError):
        Simulator.load(tmp_path / "bad.jcimg")
    assert callable(Keeper.__dict__["process"])


def test_a_static_cannot_keep_the_apdu_buffer() -> None:
    from jcsim.lang import SecurityException

    sim = card()
    seen: list[type] = []

    def keep(applet: Any, apdu: Any) -> None:
        try:
            Node.first = apdu.getBuffer()
        except SecurityException as exc:
            seen.append(type(exc))
            raise

    from tests.runtime.firewall_packages import alpha
    from tests.runtime.firewall_packages.scripted import SW_FIREWALL, run

    other = "F0 4A 43 53 41 01 01"
    sim.install(alpha.Alpha, other)
    channel = sim.open_channel()
    assert sim.select(other, channel).sw == 0x9000
    assert run(sim, other, keep, channel).sw == SW_FIREWALL
    assert seen == [SecurityException]
    with on(sim):
        assert Node.first is None


def test_an_image_names_the_static_that_holds_what_it_cannot_store(tmp_path: Any) -> None:
    from jcsim import ImageError

    sim = card()
    sim.transmit(link(1))
    with on(sim):
        sim.card.statics.write("tests.runtime.static_fields.keeper:Keeper", "cache", [1, 2])
    with pytest.raises(ImageError, match="a static field of tests.runtime.static_fields.keeper:"
                                         "Keeper holds a list"):
        sim.save(tmp_path / "card.jcimg")


def test_an_object_of_an_aborted_transaction_says_so_and_a_reclaimed_one_says_that() -> None:
    from tests.runtime.firewall_packages import alpha
    from tests.runtime.firewall_packages.scripted import run

    sim = Simulator()
    other = "F0 4A 43 53 41 01 01"
    sim.install(alpha.Alpha, other)
    assert sim.select(other).sw == 0x9000
    kept: list[Any] = []

    def create_and_abort(applet: Any, apdu: Any) -> None:
        from jcsim.framework import JCSystem

        JCSystem.beginTransaction()
        kept.append(Node(1, None))
        JCSystem.abortTransaction()

    assert run(sim, other, create_and_abort).sw == 0x9000
    with pytest.raises(NullPointerException, match="created in an aborted transaction"):
        kept[0].value  # noqa: B018 - the use is the test

    def create_then_drop(applet: Any, apdu: Any) -> None:
        from jcsim.framework import JCSystem

        kept.append(Node(2, None))  # referenced by nothing on the card
        JCSystem.requestObjectDeletion()

    assert run(sim, other, create_then_drop).sw == 0x9000
    sim.transmit("80 00 00 00")
    with pytest.raises(NullPointerException, match="reclaimed by object deletion"):
        kept[1].value  # noqa: B018 - the use is the test


def test_a_copied_card_writes_and_reads_its_statics_in_one_place() -> None:
    from copy import deepcopy

    from jcsim.runtime.statics import StaticFields
    from jcsim.runtime.journal import Journal

    statics = StaticFields(Journal(1000))
    statics.write("com/example/Keeper", "count", 1)
    copy = deepcopy(statics)
    copy.write("com/example/Keeper", "count", 2)
    assert copy.read("com/example/Keeper", "count") == 2
    assert statics.read("com/example/Keeper", "count") == 1
    assert copy.values["com/example/Keeper"] is copy.classes["com/example/Keeper"].__dict__
