"""Small applets for the vpcd and PC/SC tests; ``jcsim serve`` loads them by name
(``--applet tests.integration.applets:Journaled=...``), so they live in an importable module.

- ``StateProbe`` shows what a reset does: a persistent counter, a CLEAR_ON_RESET and a
  CLEAR_ON_DESELECT transient byte, all incremented by one command.
- ``Journaled`` holds a persistent 4-byte value and can be caught in the middle of a
  transaction: INS 22 writes inside one, then waits (so a test can kill the card process there).

``Dual``, the MultiSelectable one, is in ``dual_applet`` (a package of its own: a package's
applets are all MultiSelectable or none is).
"""

from __future__ import annotations

import os
import time

from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ByteArray,
    ISOException,
    JCSystem,
    Util,
)

STATE_PROBE_AID = "F0 00 00 00 70 01"
JOURNALED_AID = "F0 00 00 00 70 02"

INS_BUMP = 0x10  # StateProbe: increment, answer persistent, on-reset, on-deselect
INS_READ = 0x11  # StateProbe: answer them without incrementing
INS_SET = 0x20  # Journaled: value := data, in a committed transaction
INS_GET = 0x21  # Journaled: answer the value
INS_SET_AND_WAIT = 0x22  # Journaled: value := data inside a transaction, then wait

# Journaled's INS 22 touches this file once its transaction holds the new value, then waits (at
# most P1 seconds) for the release file; both paths come from the environment of the process.
BLOCKED_FILE_ENV = "JCSIM_TEST_BLOCKED_FILE"
RELEASE_FILE_ENV = "JCSIM_TEST_RELEASE_FILE"


class StateProbe(Applet):
    """Persistent and transient counters, to see what a reset clears."""

    def __init__(self) -> None:
        self.count = 0
        self.on_reset = JCSystem.makeTransientByteArray(1, JCSystem.CLEAR_ON_RESET)
        self.on_deselect = JCSystem.makeTransientByteArray(1, JCSystem.CLEAR_ON_DESELECT)

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        if ins == INS_BUMP:
            self.count = (self.count + 1) & 0xFF
            self.on_reset[0] = (self.on_reset[0] + 1) & 0xFF
            self.on_deselect[0] = (self.on_deselect[0] + 1) & 0xFF
        elif ins != INS_READ:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        buf[0] = self.count
        buf[1] = self.on_reset[0]
        buf[2] = self.on_deselect[0]
        apdu.setOutgoingAndSend(0, 3)


class Journaled(Applet):
    """A persistent 4-byte value, and a command that is caught inside its transaction."""

    def __init__(self) -> None:
        self.value = ByteArray(4)

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        if ins == INS_GET:
            Util.arrayCopyNonAtomic(self.value, 0, buf, 0, 4)
            apdu.setOutgoingAndSend(0, 4)
            return
        if ins not in (INS_SET, INS_SET_AND_WAIT):
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        if apdu.setIncomingAndReceive() != 4:
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH)
        JCSystem.beginTransaction()
        Util.arrayCopy(buf, ISO7816.OFFSET_CDATA, self.value, 0, 4)
        if ins == INS_SET_AND_WAIT:
            self._wait(buf[ISO7816.OFFSET_P1])
        JCSystem.commitTransaction()

    @staticmethod
    def _wait(seconds: int) -> None:
        blocked = os.environ.get(BLOCKED_FILE_ENV)
        release = os.environ.get(RELEASE_FILE_ENV)
        if blocked:
            with open(blocked, "w", encoding="ascii") as handle:
                handle.write("in transaction\n")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if release and os.path.exists(release):
                return
            time.sleep(0.02)
