"""Card images (``jcsim.runtime.image``): a round trip keeps every piece of persistent state and
nothing transient, a save is atomic, and a load refuses bad files and never runs code the file
names."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from jcsim import CardTornError, Simulator
from jcsim.framework import (
    AID,
    Applet,
    BooleanArray,
    ByteArray,
    IntArray,
    ISOException,
    JCSystem,
    ObjectArray,
    OwnerPIN,
    ShortArray,
)
from jcsim.runtime import image
from jcsim.runtime.image import ImageError
from jcsim.security import KeyBuilder, KeyPair
from tests.runtime.tx_applets import SCRIPTED_AID, Node, Scripted, instance, run

VAULT_AID = "F0 00 00 00 0F 01"
SECOND_VAULT_AID = "F0 00 00 00 0F 02"
PERSISTENT_KEY = bytes(range(0x10, 0x20))
TRANSIENT_KEY = bytes.fromhex("5EC2E75EC2E75EC2E75EC2E75EC2E75E")
TRANSIENT_MARK = bytes.fromhex("DEADBEEFCAFE")


class Vault(Applet):
    """Every kind of persistent state: fields of each value type, arrays of each kind, an
    object graph with a cycle and shared references, an OwnerPIN and keys."""

    def __init__(self) -> None:
        self.balance = 500
        self.label = "vault"
        self.tag = b"\x01\x02"
        self.me: Any = None
        self.pair = (1, "two")
        self.byte_array = ByteArray(b"\x01\x02\x03")
        self.short_array = ShortArray([-1, 0x7FFF])
        self.int_array = IntArray([-0x80000000, 7])
        self.bool_array = BooleanArray([True, False, True])
        self.first = Node(1)
        self.first.next = Node(2)
        self.first.next.next = self.first  # a cycle
        self.alias = self.first.next  # a shared reference
        self.object_array = ObjectArray([self, self.first, None, self.alias])
        self.reset_bytes = JCSystem.makeTransientByteArray(6, JCSystem.CLEAR_ON_RESET)
        self.deselect_shorts = JCSystem.makeTransientShortArray(3, JCSystem.CLEAR_ON_DESELECT)
        self.deselect_bools = JCSystem.makeTransientBooleanArray(2, JCSystem.CLEAR_ON_DESELECT)
        self.reset_objects = JCSystem.makeTransientObjectArray(2, JCSystem.CLEAR_ON_RESET)
        self.pin = OwnerPIN(3, 4)
        self.pin.update(b"1234", 0, 4)
        self.aes = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, False)
        self.aes.setKey(PERSISTENT_KEY, 0)
        self.transient_aes = KeyBuilder.buildKey(KeyBuilder.TYPE_AES_TRANSIENT_RESET,
                                                 KeyBuilder.LENGTH_AES_128, False)
        self.transient_aes.setKey(TRANSIENT_KEY, 0)
        pair = KeyPair(KeyPair.ALG_EC_FP, KeyBuilder.LENGTH_EC_FP_256)
        pair.genKeyPair()
        self.ec_private = pair.getPrivate()
        self.ec_public = pair.getPublic()

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        buffer = apdu.getBuffer()
        ins = buffer[1]
        if ins == 0x10:  # debit P2
            self.balance = self.balance - buffer[3]
        elif ins == 0x20:  # balance, tries remaining, validated
            buffer[0] = (self.balance >> 8) & 0xFF
            buffer[1] = self.balance & 0xFF
            buffer[2] = self.pin.getTriesRemaining()
            buffer[3] = 1 if self.pin.isValidated() else 0
            apdu.setOutgoingAndSend(0, 4)
        elif ins == 0x30:  # VERIFY
            count = apdu.setIncomingAndReceive()
            if not self.pin.check(buffer, 5, count):
                ISOException.throwIt(0x63C0 | self.pin.getTriesRemaining())
        elif ins == 0x40:
            self.me = JCSystem.getAID()
            self.reset_bytes[0:6] = TRANSIENT_MARK
            self.reset_objects[0] = self.first
            self.deselect_shorts[0] = 0x1234
        else:
            ISOException.throwIt(0x6D00)


class NotAnApplet(Node):
    """An on-card object class that is not an Applet."""


class Unencodable(Applet):
    """Holds a value a card image cannot store, chosen by the install parameters."""

    def __init__(self, kind: int = 0) -> None:
        self.numbers = [1, 2, 3] if kind == 0 else None
        self.ratio = 0.5 if kind == 1 else 0

    @classmethod
    def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
        aid_length = bArray[bOffset]
        control = bOffset + 1 + aid_length
        data = control + 1 + bArray[control]
        cls(bArray[data + 1]).register(bArray, bOffset + 1, aid_length)

    def process(self, apdu: Any) -> None:
        pass


def vault_card(**options: Any) -> Simulator:
    sim = Simulator(**options)
    sim.install(Vault, VAULT_AID, default=True)
    sim.install(Vault, SECOND_VAULT_AID)
    sim.install(Scripted, SCRIPTED_AID)
    sim.power_on()
    assert sim.transmit("80 10 00 07").sw == 0x9000
    assert sim.transmit("80 30 00 00 04 39393939").sw == 0x63C2  # a wrong PIN: 2 tries left
    assert sim.transmit("80 40 00 00").sw == 0x9000
    return sim


def resign(path: Path, change: Any) -> None:
    """Edit the image's body with ``change(body)`` and give it a valid checksum again."""
    document = json.loads(path.read_bytes())
    change(document["body"])
    document["sha256"] = hashlib.sha256(image._canonical(document["body"])).hexdigest()
    path.write_text(json.dumps(document))


# --- round trips -----------------------------------------------------------------------------


def test_a_round_trip_keeps_applets_packages_and_the_default_applet(tmp_path: Path) -> None:
    sim = vault_card()
    sim.save(tmp_path / "card.jcimg")
    loaded = Simulator.load(tmp_path / "card.jcimg")
    assert loaded.powered
    assert [(r.applet_class, r.aid, r.default_on) for r in loaded.card.registry.applets] == \
        [(r.applet_class, r.aid, r.default_on) for r in sim.card.registry.applets]
    assert set(loaded.card.registry.packages) == set(sim.card.registry.packages)
    mine = {r.package.name for r in loaded.card.registry.applets
            if r.applet_class in (Vault, Scripted)}
    assert len(mine) == 2  # this module's package and tx_applets' (besides any card manager)
    assert loaded.selected() == AID(bytes.fromhex("F0000000 0F01".replace(" ", "")))
    assert loaded.card.configuration() == sim.card.configuration()


def test_a_loaded_card_answers_exactly_as_the_original(tmp_path: Path) -> None:
    sim = vault_card()
    sim.save(tmp_path / "card.jcimg")
    loaded = Simulator.load(tmp_path / "card.jcimg")
    commands = ["80 20 00 00 04", "80 10 00 03", "80 20 00 00 04", "80 30 00 00 04 31323334",
                "80 20 00 00 04", f"00 A4 04 00 06 {SECOND_VAULT_AID} 00", "80 20 00 00 04",
                "80 77 00 00"]
    assert [loaded.transmit(c) for c in commands] == [sim.transmit(c) for c in commands]


def test_field_values_of_every_kind_survive(tmp_path: Path) -> None:
    sim = vault_card()
    sim.save(tmp_path / "card.jcimg")
    vault = instance(Simulator.load(tmp_path / "card.jcimg"), VAULT_AID)
    assert (vault.balance, vault.label, vault.tag, vault.pair) == (493, "vault", b"\x01\x02",
                                                                   (1, "two"))
    assert vault.me == AID(bytes.fromhex("F0000000 0F01".replace(" ", "")))


def test_persistent_arrays_of_every_kind_keep_their_contents(tmp_path: Path) -> None:
    sim = vault_card()
    sim.save(tmp_path / "card.jcimg")
    vault = instance(Simulator.load(tmp_path / "card.jcimg"), VAULT_AID)
    assert type(vault.byte_array) is ByteArray and bytes(vault.byte_array) == b"\x01\x02\x03"
    assert type(vault.short_array) is ShortArray and list(vault.short_array) == [-1, 0x7FFF]
    assert type(vault.int_array) is IntArray and list(vault.int_array) == [-0x80000000, 7]
    assert list(vault.bool_array) == [True, False, True]
    assert list(vault.object_array) == [vault, vault.first, None, vault.alias]
    for array in (vault.byte_array, vault.short_array, vault.object_array):
        assert JCSystem.isTransient(array) == JCSystem.NOT_A_TRANSIENT_OBJECT


def test_transient_arrays_keep_their_kind_and_length_but_not_their_contents(
        tmp_path: Path) -> None:
    sim = vault_card()
    original = instance(sim, VAULT_AID)
    assert bytes(original.reset_bytes) == TRANSIENT_MARK
    sim.save(tmp_path / "card.jcimg")
    assert TRANSIENT_MARK.hex() not in (tmp_path / "card.jcimg").read_text().lower()
    vault = instance(Simulator.load(tmp_path / "card.jcimg"), VAULT_AID)
    assert (JCSystem.isTransient(vault.reset_bytes), len(vault.reset_bytes)) == \
        (JCSystem.CLEAR_ON_RESET, 6)
    assert bytes(vault.reset_bytes) == bytes(6)
    assert (JCSystem.isTransient(vault.deselect_shorts), list(vault.deselect_shorts)) == \
        (JCSystem.CLEAR_ON_DESELECT, [0, 0, 0])
    assert JCSystem.isTransient(vault.deselect_bools) == JCSystem.CLEAR_ON_DESELECT
    assert list(vault.reset_objects) == [None, None]


def test_transient_arrays_of_a_loaded_card_are_still_cleared_by_their_events(
        tmp_path: Path) -> None:
    sim = vault_card()
    sim.save(tmp_path / "card.jcimg")
    loaded = Simulator.load(tmp_path / "card.jcimg")
    vault = instance(loaded, VAULT_AID)
    assert loaded.transmit("80 40 00 00").sw == 0x9000
    assert bytes(vault.reset_bytes) == TRANSIENT_MARK and vault.deselect_shorts[0] == 0x1234
    assert loaded.select(SCRIPTED_AID).sw == 0x9000  # deselects the vault
    assert vault.deselect_shorts[0] == 0 and bytes(vault.reset_bytes) == TRANSIENT_MARK
    loaded.reset()
    assert bytes(vault.reset_bytes) == bytes(6)


def test_object_graphs_keep_their_cycles_and_shared_references(tmp_path: Path) -> None:
    sim = vault_card()
    sim.save(tmp_path / "card.jcimg")
    vault = instance(Simulator.load(tmp_path / "card.jcimg"), VAULT_AID)
    assert type(vault.first) is Node
    assert vault.first.next.next is vault.first
    assert vault.alias is vault.first.next
    assert (vault.first.value, vault.alias.value) == (1, 2)
    assert vault.object_array[0] is vault


def test_loaded_objects_are_journaled_on_the_new_card(tmp_path: Path) -> None:
    sim = vault_card()
    sim.save(tmp_path / "card.jcimg")
    loaded = Simulator.load(tmp_path / "card.jcimg")
    # The scripted applet reaches straight into Vault's objects, another package's context:
    # this test is about the journal, so the firewall that would forbid that is off.
    loaded.card.firewall = False
    loaded.select(SCRIPTED_AID)

    def code(applet: Scripted, apdu: Any) -> None:
        vault = instance(loaded, VAULT_AID)
        JCSystem.beginTransaction()
        vault.first.value = 99
        vault.byte_array[0] = 0x55
        JCSystem.abortTransaction()

    assert run(loaded, code).sw == 0x9000
    vault = instance(loaded, VAULT_AID)
    assert (vault.first.value, vault.byte_array[0]) == (1, 0x01)


def test_the_PIN_keeps_its_value_and_try_counter_but_not_its_validated_flag(
        tmp_path: Path) -> None:
    sim = vault_card()
    assert sim.transmit("80 30 00 00 04 31323334").sw == 0x9000
    assert sim.transmit("80 30 00 00 04 30303030").sw == 0x63C2
    assert sim.transmit("80 20 00 00 04").data[2:] == b"\x02\x00"
    sim.save(tmp_path / "card.jcimg")
    loaded = Simulator.load(tmp_path / "card.jcimg")
    vault = instance(loaded, VAULT_AID)
    assert vault.pin.getTriesRemaining() == 2
    assert JCSystem.isTransient(vault.pin._validated) == JCSystem.CLEAR_ON_RESET
    assert loaded.transmit("80 30 00 00 04 31323334").sw == 0x9000
    assert loaded.transmit("80 20 00 00 04").data[2:] == b"\x03\x01"


def test_persistent_key_material_survives_and_transient_key_material_is_not_saved(
        tmp_path: Path) -> None:
    sim = vault_card()
    original = instance(sim, VAULT_AID)
    sim.save(tmp_path / "card.jcimg")
    text = (tmp_path / "card.jcimg").read_text().lower()
    assert PERSISTENT_KEY.hex() in text
    assert TRANSIENT_KEY.hex() not in text
    vault = instance(Simulator.load(tmp_path / "card.jcimg"), VAULT_AID)
    key = ByteArray(16)
    vault.aes.getKey(key, 0)
    assert bytes(key) == PERSISTENT_KEY
    assert not vault.transient_aes.isInitialized()
    assert vault.transient_aes.getType() == KeyBuilder.TYPE_AES_TRANSIENT_RESET
    assert vault.ec_private.isInitialized() and vault.ec_public.isInitialized()
    for name in ("getS", "getW"):
        holder = vault.ec_private if name == "getS" else vault.ec_public
        source = original.ec_private if name == "getS" else original.ec_public
        mine, theirs = ByteArray(80), ByteArray(80)
        assert getattr(holder, name)(mine, 0) == getattr(source, name)(theirs, 0)
        assert bytes(mine) == bytes(theirs)


def test_the_card_configuration_survives(tmp_path: Path) -> None:
    sim = Simulator("T=0", commit_capacity=300, apdu_buffer_size=261)
    sim.install(Scripted, SCRIPTED_AID)
    sim.save(tmp_path / "card.jcimg")
    loaded = Simulator.load(tmp_path / "card.jcimg")
    assert (loaded.protocol, loaded.card.journal.capacity, loaded.card.apdu_buffer_size) == \
        ("T=0", 300, 261)


def test_a_card_saved_without_power_loads_without_power(tmp_path: Path) -> None:
    sim = vault_card()
    sim.power_off()
    sim.save(tmp_path / "card.jcimg")
    loaded = Simulator.load(tmp_path / "card.jcimg")
    assert not loaded.powered
    loaded.power_on()
    assert loaded.transmit("80 20 00 00 04").data[:2] == (493).to_bytes(2, "big")


def test_a_card_saved_after_a_tear_rolls_back_after_load_and_power_on(tmp_path: Path) -> None:
    sim = Simulator()
    sim.install(Scripted, SCRIPTED_AID)
    sim.select(SCRIPTED_AID)

    def code(applet: Scripted, apdu: Any) -> None:
        applet.counter = 1  # outside the transaction: stays
        JCSystem.beginTransaction()
        applet.counter = 2
        applet.ref = Node(5)
        applet.short_array[1] = 9
        JCSystem.commitTransaction()

    sim.arm_tear(after_writes=6)  # Node's two fields count too: the tear comes after the last
    with pytest.raises(CardTornError):
        run(sim, code)
    sim.save(tmp_path / "torn.jcimg")
    loaded = Simulator.load(tmp_path / "torn.jcimg")
    assert not loaded.powered
    applet = instance(loaded, SCRIPTED_AID)
    # The torn memory, not yet recovered.
    assert (applet.counter, applet.ref.value, applet.short_array[1]) == (2, 5, 9)
    loaded.power_on()
    assert (applet.counter, applet.ref, applet.short_array[1]) == (1, None, 0)


def test_a_snapshot_builds_an_independent_copy() -> None:
    sim = vault_card()
    copy = Simulator.from_snapshot(sim.snapshot())
    assert copy.transmit("80 10 00 01").sw == 0x9000
    assert instance(copy, VAULT_AID).balance == 492
    assert instance(sim, VAULT_AID).balance == 493


# --- atomic save ------------------------------------------------------------------------------


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_crash_during_a_save_leaves_the_previous_image_intact_and_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    sim = vault_card()
    target = tmp_path / "card.jcimg"
    sim.save(target)
    before = target.read_bytes()
    sim.transmit("80 10 00 01")

    def crash(*args: Any) -> None:
        raise OSError("simulated crash")

    monkeypatch.setattr(os, failing, crash)
    with pytest.raises(OSError, match="simulated crash"):
        sim.save(target)
    monkeypatch.undo()
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.jcimg"]
    assert instance(Simulator.load(target), VAULT_AID).balance == 493


def test_a_save_replaces_the_previous_image(tmp_path: Path) -> None:
    sim = vault_card()
    target = tmp_path / "card.jcimg"
    sim.save(target)
    sim.transmit("80 10 00 01")
    sim.save(target)
    assert instance(Simulator.load(target), VAULT_AID).balance == 492
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.jcimg"]


@pytest.mark.parametrize(("kind", "field"), [(0, "Unencodable.numbers"),
                                             (1, "Unencodable.ratio")])
def test_a_field_an_image_cannot_hold_is_refused_at_save_naming_the_field(
        tmp_path: Path, kind: int, field: str) -> None:
    sim = Simulator()
    sim.install(Unencodable, "F0 00 00 00 10 01", params=bytes((kind,)))
    target = tmp_path / "card.jcimg"
    with pytest.raises(ImageError, match=field):
        sim.save(target)
    assert list(tmp_path.iterdir()) == []


# --- refused images ---------------------------------------------------------------------------


def test_a_truncated_image_is_refused(tmp_path: Path) -> None:
    vault_card().save(tmp_path / "card.jcimg")
    data = (tmp_path / "card.jcimg").read_bytes()
    (tmp_path / "card.jcimg").write_bytes(data[:len(data) // 2])
    with pytest.raises(ImageError, match="truncated or corrupted"):
        Simulator.load(tmp_path / "card.jcimg")


def test_a_corrupted_image_fails_its_checksum(tmp_path: Path) -> None:
    vault_card().save(tmp_path / "card.jcimg")
    text = (tmp_path / "card.jcimg").read_text()
    assert '"balance":493' in text
    (tmp_path / "card.jcimg").write_text(text.replace('"balance":493', '"balance":9999'))
    with pytest.raises(ImageError, match="checksum does not match"):
        Simulator.load(tmp_path / "card.jcimg")


def test_an_image_of_a_newer_version_is_refused(tmp_path: Path) -> None:
    vault_card().save(tmp_path / "card.jcimg")
    document = json.loads((tmp_path / "card.jcimg").read_bytes())
    document["version"] = image.VERSION + 1
    (tmp_path / "card.jcimg").write_text(json.dumps(document))
    with pytest.raises(ImageError, match=f"version {image.VERSION + 1} is not supported"):
        Simulator.load(tmp_path / "card.jcimg")


@pytest.mark.parametrize(("content", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a card image"),
    (b"", "not a card image"),
    (b"[1, 2, 3]", "not a jcsim card image"),
    (b'{"format": "something-else", "version": 1}', "not a jcsim card image"),
])
def test_a_file_that_is_not_an_image_is_refused(tmp_path: Path, content: bytes,
                                                message: str) -> None:
    (tmp_path / "other").write_bytes(content)
    with pytest.raises(ImageError, match=message):
        Simulator.load(tmp_path / "other")


def test_a_missing_file_is_an_ImageError(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="cannot read card image"):
        Simulator.load(tmp_path / "nothing-here")


@pytest.mark.parametrize(("change", "message"), [
    (lambda body: body["applets"][0].update({"class": "collections:OrderedDict"}),
     "not an on-card class"),
    (lambda body: body["applets"][0].update({"class": f"{__name__}:NotAnApplet"}),
     "not an Applet subclass"),
    (lambda body: next(iter(body["objects"].values())).update({"class": "builtins:dict"}),
     "not an on-card class"),
    (lambda body: body["applets"][0].update({"class": f"{__name__}:Missing"}),
     "does not exist"),
])
def test_an_image_naming_a_class_that_is_not_on_card_is_refused(
        tmp_path: Path, change: Any, message: str) -> None:
    vault_card().save(tmp_path / "card.jcimg")
    resign(tmp_path / "card.jcimg", change)
    with pytest.raises(ImageError, match=message):
        Simulator.load(tmp_path / "card.jcimg")


PROBE_MODULE = "jcsim_image_probe_applet"
PROBE_SOURCE = '''
from pathlib import Path

from jcsim.framework import Applet

Path(__file__).with_name("imported.marker").write_text("imported")


class ProbeApplet(Applet):
    def __init__(self):
        self.answer = 42

    def process(self, apdu):
        pass
'''


def test_load_never_imports_a_module_unless_allow_modules_names_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / f"{PROBE_MODULE}.py").write_text(PROBE_SOURCE)
    marker = tmp_path / "imported.marker"
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, PROBE_MODULE, raising=False)
    module = __import__(PROBE_MODULE)
    sim = Simulator()
    sim.install(module.ProbeApplet, "F0 00 00 00 11 01")
    sim.save(tmp_path / "card.jcimg")
    # A new program: the module is not imported.
    del sys.modules[PROBE_MODULE]
    marker.unlink()
    with pytest.raises(ImageError, match=f"{PROBE_MODULE}.*allow_modules"):
        Simulator.load(tmp_path / "card.jcimg")
    assert not marker.exists()
    assert PROBE_MODULE not in sys.modules
    loaded = Simulator.load(tmp_path / "card.jcimg", allow_modules=[PROBE_MODULE])
    assert marker.exists()
    assert instance(loaded, "F0 00 00 00 11 01").answer == 42
