"""Hostile card images: whatever an image says, loading never imports, calls or sets anything
outside the card's own packages, classes and declared statics; every bad image is an
``ImageError`` saying what and where, and the process is as it was. Images can be signed."""

from __future__ import annotations

import builtins
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from jcsim import Simulator
from jcsim.runtime import image
from jcsim.runtime.image import ImageError
from tests.runtime.test_image import resign, vault_card


def _saved(tmp_path: Path) -> Path:
    path = tmp_path / "card.jcimg"
    vault_card().save(path)
    return path


def _first(body: dict, cls_part: str) -> dict:
    return next(e for e in body["objects"].values() if cls_part in e["class"])


def _object_with_fields(body: dict) -> dict:
    return next(e for e in body["objects"].values() if e.get("fields"))


def test_an_image_cannot_set_sys_path_or_a_builtin_and_nothing_changes(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    before_path, before_len = list(sys.path), builtins.len
    resign(path, lambda body: body["packages"].append(
        {"name": "sys", "multiselectable": None, "statics": {"path": {"t": [{"s": "/evil"}]}}}))
    with pytest.raises(ImageError, match=r"packages\[\d\]\.statics\.path: sys declares no such"):
        Simulator.load(path)
    path = _saved(tmp_path)
    resign(path, lambda body: body["packages"].append(
        {"name": "builtins", "multiselectable": None, "statics": {"len": 7}}))
    with pytest.raises(ImageError, match="builtins declares no such static"):
        Simulator.load(path)
    assert sys.path == before_path and builtins.len is before_len


def test_an_undeclared_static_of_the_cards_own_package_is_refused(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    resign(path, lambda body: body["packages"][0].setdefault("statics", {}).update(
        {"__name__": {"s": "hijacked"}}))
    name = json.loads(path.read_text())["body"]["packages"][0]["name"]
    with pytest.raises(ImageError, match="declares no such static"):
        Simulator.load(path)
    assert sys.modules[name].__name__ == name


@pytest.mark.parametrize("name", ["__class__", "__dict__", "_jc_owner", "_jc_store", "9lives"])
def test_fields_an_image_may_not_set_are_refused_with_their_place(tmp_path: Path,
                                                                  name: str) -> None:
    path = _saved(tmp_path)
    resign(path, lambda body: _object_with_fields(body)["fields"].update({name: 1}))
    with pytest.raises(ImageError, match=r"objects\[\d+\]\.fields"):
        Simulator.load(path)


def _nest(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"t": [value]}
    return value


@pytest.mark.parametrize("change, words", [
    (lambda b: _object_with_fields(b)["fields"].update(deep=_nest(100)), "nested deeper"),
    (lambda b: _first(b, "ShortArray")["elements"].append(70000), r"\[\d+\]: expected an integer"),
    (lambda b: next(e for e in b["objects"].values() if "bytes" in e).update(
        bytes="00" * 40000), "expected a string of at most 65534"),
    (lambda b: b["card"]["memory"].__setitem__(0, 100), "persistent memory"),
    (lambda b: b["card"]["memory"].__setitem__(0, 10 ** 10), r"card\.memory\[0\]"),
    (lambda b: b["applets"][0].update(aid="00"), r"applets\[0\]\.aid"),
    (lambda b: b["applets"][1].update(instance=b["applets"][0]["instance"]),
     r"applets\[1\]\.instance"),
    (lambda b: b["applets"][0].update(instance={"r": 999999}), "not a reference"),
    (lambda b: b["journal"].update(undo=[["f", {"r": 1}, "x", 1]]), "without a transaction"),
    (lambda b: b["journal"].update(depth=1, undo=[["e", b["applets"][0]["instance"], 0, 1]]),
     "not a persistent array"),
    (lambda b: b.update(extra=1), "unexpected"),
    (lambda b: b["card"].update(protocol="T=2"), "card.protocol"),
], ids=["deep nesting", "short out of range", "array too long", "more than the memory",
        "pool of 10**10", "short AID", "shared instance", "dangling reference",
        "undo without transaction", "undo log on the wrong object", "unknown key",
        "bad protocol"])
def test_inconsistent_images_are_refused_with_what_and_where(tmp_path: Path, change: Any,
                                                             words: str) -> None:
    path = _saved(tmp_path)
    resign(path, change)
    with pytest.raises(ImageError, match=words):
        Simulator.load(path)


@pytest.mark.parametrize("raw, words", [
    (b'{"format": "jcsim-card-image", "version": 2, "n": ' + b"9" * 5000 + b"}", "digits"),
    (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
    (b'{"format": "jcsim-card-image", "version": 2, "n": 1.5}', "integers only"),
    (b'{"format": "jcsim-card-image", "version": 2, "n": NaN}', "integers only"),
    (b'{"format": "jcsim-card-image", "version": 2, "body": {}, "sha256": ""}', "checksum"),
], ids=["5000 digits", "deep JSON", "a float", "NaN", "bad checksum"])
def test_documents_that_cannot_be_images_are_refused_before_they_are_read(raw: bytes,
                                                                          words: str) -> None:
    with pytest.raises(ImageError, match=words):
        Simulator.from_snapshot(raw)


def test_an_image_larger_than_the_limit_is_refused_before_parsing() -> None:
    data = vault_card().snapshot()
    with pytest.raises(ImageError, match="more than the 100 accepted"):
        image.loads(data, None, max_bytes=100)


def test_a_huge_transient_array_is_refused_before_it_is_allocated(tmp_path: Path) -> None:
    path = _saved(tmp_path)

    def huge(body: dict) -> None:
        body["objects"]["999999"] = {"class": "jcsim.framework.arrays:ByteArray", "owner": None,
                                     "transient": 1, "package": None, "length": 2 ** 63}
    resign(path, huge)
    with pytest.raises(ImageError, match=r"objects\[999999\]\.length"):
        Simulator.load(path)


# --- signing -----------------------------------------------------------------------------------

def test_a_signed_image_loads_with_its_key_and_a_resealed_one_does_not(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "card.jcimg"
    vault_card().save(path, key=key)
    assert Simulator.load(path, key=key).transmit("80 20 00 00").sw == 0x9000
    with pytest.raises(ImageError, match="does not match the key"):
        Simulator.load(path, key=os.urandom(32))
    resign(path, lambda body: body["applets"][0].update(selectable=False))
    # The plain checksum is right again, but the signature gives the change away.
    with pytest.raises(ImageError, match="does not match the key"):
        Simulator.load(path, key=key)


def test_an_unsigned_image_is_refused_when_a_key_is_given(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    with pytest.raises(ImageError, match="not signed"):
        Simulator.load(path, key=b"k" * 32)


# --- leftovers of interrupted saves -------------------------------------------------------------

def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except OSError:
            pass
        pid -= 1


@pytest.mark.parametrize("how", ["save", "load"])
def test_temporary_files_of_an_interrupted_save_go_at_the_next_save_or_load(tmp_path: Path,
                                                                           how: str) -> None:
    path = _saved(tmp_path)
    dead = tmp_path / f".card.jcimg.jcimg-{_dead_pid()}-abc.tmp"
    live = tmp_path / f".card.jcimg.jcimg-{os.getppid()}-def.tmp"  # a live process saving
    other = tmp_path / f".other.jcimg.jcimg-{_dead_pid()}-ghi.tmp"  # another image's
    for leftover in (dead, live, other):
        leftover.write_bytes(b"half an image")
    if how == "save":
        vault_card().save(path)
    else:
        Simulator.load(path)
    assert not dead.exists() and live.exists() and other.exists()


def test_a_save_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    vault_card().save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.jcimg"]
    document = json.loads(path.read_bytes())
    assert document["version"] == image.VERSION == 2
    assert document["sha256"] == hashlib.sha256(image._canonical(document["body"])).hexdigest()
