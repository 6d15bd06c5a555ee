"""Card images keep the static fields a package declares in ``statics``."""

from __future__ import annotations

import json

import pytest

import tests.runtime.static_packages as package
from jcsim import Simulator
from tests.runtime.static_packages import store

AID = "F0 4A 43 53 54 01 01"


# This package rebinds module variables on purpose (what ``statics=`` is for); loading it warns.
@pytest.mark.filterwarnings("ignore::jcsim.StaticFieldWarning")
def test_declared_static_fields_are_saved_and_restored_and_others_are_not(tmp_path) -> None:
    package.counter, store.table, store.not_declared = 0, None, 7
    sim = Simulator()
    sim.install(store.Keeper, AID, default=True)
    sim.select(AID)
    assert sim.transmit("80 01 00 00 05").data == bytes.fromhex("00010A0B0C")
    assert sim.transmit("80 01 00 00 05").data == bytes.fromhex("00020A0B0C")
    sim.save(tmp_path / "card.jcimg")
    saved = json.loads((tmp_path / "card.jcimg").read_text())["body"]["packages"]
    statics = next(p["statics"] for p in saved if p["name"] == package.__name__)
    assert statics["counter"] == 2 and set(statics) == {"counter", "store.table"}

    # The process moves on (module-level variables are shared by every card in it)...
    package.counter, store.table, store.not_declared = 40, None, 99
    loaded = Simulator.load(tmp_path / "card.jcimg")
    # ...and the image puts the declared ones back, the table as the on-card array it was.
    assert package.counter == 2
    assert bytes(store.table) == bytes.fromhex("0A0B0C")
    assert store.table._store is loaded.card.journal
    assert store.not_declared == 99
    assert loaded.transmit("80 02 00 00 05").data == bytes.fromhex("00020A0B0C")
