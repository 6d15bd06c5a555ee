"""An applet around the notes' ``updateBuffer``: replace a buffer by one of another size inside
a transaction, and ask the JCRE to reclaim the old one (``JCSystem.requestObjectDeletion``).

The method is the notes' one, line for line, with one deviation: the size is a short from
P1 P2 instead of a byte, so the buffer can grow past 127 bytes. Commands (CLA 80):

- ``10`` UPDATE: P1 P2 = the size the buffer must have.
- ``12`` WRITE: the command data goes to the start of the buffer.
- ``14`` READ: the buffer's length (2 bytes), then its first 16 bytes (or fewer).
- ``16`` MEMORY: ``getAvailableMemory(buffer, offset, MEMORY_TYPE_PERSISTENT)``, 4 bytes.

``tear_hook("update-buffer")`` marks the point between the request and the commit, where a test
can cut the power: the transaction is then rolled back and nothing is lost.
"""

from __future__ import annotations

from typing import Any

from jcsim import JavaCardPackage
from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ByteArray,
    ISOException,
    JCSystem,
    ShortArray,
    Util,
)
from jcsim.testing import tear_hook

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 00 00 00 40", version="1.0",
                                   applets={"UpdateBuffer": "F0 00 00 00 40 01"})

INS_UPDATE = 0x10
INS_WRITE = 0x12
INS_READ = 0x14
INS_MEMORY = 0x16


class UpdateBuffer(Applet):
    """Keeps one buffer, whose size the terminal chooses."""

    def __init__(self) -> None:
        self.buffer: Any = None
        self.memory = ShortArray(2)

    def updateBuffer(self, requiredSize: int) -> None:
        """The notes' method: a new buffer of ``requiredSize`` bytes, the old one reclaimed."""
        try:
            if self.buffer is not None and self.buffer.length == requiredSize:
                # We already have a buffer of the required size.
                return
            JCSystem.beginTransaction()
            oldBuffer = self.buffer
            self.buffer = ByteArray(requiredSize)
            if oldBuffer is not None:
                JCSystem.requestObjectDeletion()
            tear_hook("update-buffer")
            JCSystem.commitTransaction()
        except Exception:
            JCSystem.abortTransaction()

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        if ins == INS_UPDATE:
            size = Util.getShort(buf, ISO7816.OFFSET_P1)
            if size < 0:
                ISOException.throwIt(ISO7816.SW_INCORRECT_P1P2)
            self.updateBuffer(size)
            if self.buffer is None or self.buffer.length != size:
                ISOException.throwIt(ISO7816.SW_FILE_FULL)  # the new buffer did not fit
        elif ins == INS_WRITE:
            length = apdu.setIncomingAndReceive()
            if self.buffer is None or length > self.buffer.length:
                ISOException.throwIt(ISO7816.SW_WRONG_LENGTH)
            Util.arrayCopy(buf, apdu.getOffsetCdata(), self.buffer, 0, length)
        elif ins == INS_READ:
            length = 0 if self.buffer is None else self.buffer.length
            shown = min(length, 16)
            Util.setShort(buf, 0, length)
            if shown:
                Util.arrayCopyNonAtomic(self.buffer, 0, buf, 2, shown)
            apdu.setOutgoingAndSend(0, 2 + shown)
        elif ins == INS_MEMORY:
            JCSystem.getAvailableMemory(self.memory, 0, JCSystem.MEMORY_TYPE_PERSISTENT)
            Util.setShort(buf, 0, self.memory[0])
            Util.setShort(buf, 2, self.memory[1])
            apdu.setOutgoingAndSend(0, 4)
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
