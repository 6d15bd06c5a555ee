"""Applets shared by the transaction, tear and image tests.

``Scripted`` runs, inside ``process``, a function the test hands to ``run``: the test writes
card code as a closure, so it can both act as an applet and record what the applet observed
(in host-side lists the closure captures). Its fields cover every kind of persistent state a
transaction or an image deals with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jcsim import Response, Simulator
from jcsim.framework import (
    APDU,
    Applet,
    BooleanArray,
    ByteArray,
    IntArray,
    JCSystem,
    Object,
    ObjectArray,
    OwnerPIN,
    ShortArray,
)

SCRIPTED_AID = "F0 00 00 00 0A 01"
PIN_VALUE = b"1234"

CardCode = Callable[["Scripted", APDU], Any]

_pending: list[CardCode] = []


class Node(Object):
    """A small on-card object: a value and a reference (for graphs)."""

    def __init__(self, value: int = 0) -> None:
        self.value = value
        self.next = None


class Scripted(Applet):
    """Runs the card code ``run`` passes; the rest of the time it just holds state."""

    def __init__(self) -> None:
        self.counter = 0
        self.flag = False
        self.ref = None
        self.byte_array = ByteArray(8)
        self.short_array = ShortArray(4)
        self.int_array = IntArray(2)
        self.bool_array = BooleanArray(2)
        self.object_array = ObjectArray(2)
        self.reset_bytes = JCSystem.makeTransientByteArray(8, JCSystem.CLEAR_ON_RESET)
        self.deselect_bytes = JCSystem.makeTransientByteArray(8, JCSystem.CLEAR_ON_DESELECT)
        self.reset_objects = JCSystem.makeTransientObjectArray(2, JCSystem.CLEAR_ON_RESET)
        self.pin = OwnerPIN(3, 4)
        self.pin.update(PIN_VALUE, 0, len(PIN_VALUE))

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet() or not _pending:
            return
        _pending.pop()(self, apdu)


def run(sim: Simulator, code: CardCode, command: str | bytes = "80 01 00 00") -> Response:
    """Send ``command`` to the selected ``Scripted`` applet, which runs ``code(self, apdu)``."""
    _pending[:] = [code]
    try:
        return sim.transmit(command)
    finally:
        _pending.clear()


def scripted_card(**options: Any) -> tuple[Simulator, Scripted]:
    """A card with ``Scripted`` installed and selected; returns it and the applet instance."""
    sim = Simulator(**options)
    sim.install(Scripted, SCRIPTED_AID)
    assert sim.select(SCRIPTED_AID).sw == 0x9000
    return sim, instance(sim)


def instance(sim: Simulator, aid: str = SCRIPTED_AID) -> Any:
    """The applet instance installed under ``aid`` (host-side inspection, sends nothing)."""
    record = sim.card.registry.find(bytes.fromhex(aid.replace(" ", "")))
    assert record is not None
    return record.instance
