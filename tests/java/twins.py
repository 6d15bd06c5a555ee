"""Python twins of the Java test applets in ``cardsrc/``: the same commands, the same answers.

``Purse`` mirrors ``com.jcsim.twins.Purse`` line by line (the echo's twin is
``jcsim.samples.echo.echo.Echo``). One difference is Python's: the Java purse counts operations in a
static field, which jcsim keeps per card and journals; a Python module variable is neither, so
the twin keeps the count in a field of an on-card object.
"""

from __future__ import annotations

from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ByteArray,
    ISOException,
    JCSystem,
    Object,
    Util,
    short,
)

INS_CREDIT = 0x30
INS_DEBIT = 0x40
INS_BALANCE = 0x50
INS_DEBIT_THEN_FAIL = 0x60
MAX_BALANCE = 10000


class _Counter(Object):
    def __init__(self) -> None:
        self.operations = 0


class Purse(Applet):
    """Twin of ``com.jcsim.twins.Purse``."""

    def __init__(self) -> None:
        self.balance = 0
        self.history = ByteArray(8)
        self.next = 0
        self.counter = _Counter()

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        if ins == INS_CREDIT:
            self.credit(self.amount(apdu))
        elif ins == INS_DEBIT:
            self.debit(self.amount(apdu))
        elif ins == INS_DEBIT_THEN_FAIL:
            JCSystem.beginTransaction()
            self.balance = short(self.balance - self.amount(apdu))
            self.counter.operations = short(self.counter.operations + 1)
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        elif ins == INS_BALANCE:
            Util.setShort(buf, 0, self.balance)
            Util.setShort(buf, 2, self.counter.operations)
            Util.arrayCopyNonAtomic(self.history, 0, buf, 4, len(self.history))
            apdu.setOutgoingAndSend(0, 4 + len(self.history))
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)

    @staticmethod
    def amount(apdu: APDU) -> int:
        buf = apdu.getBuffer()
        if apdu.setIncomingAndReceive() != 2:
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH)
        value = Util.getShort(buf, ISO7816.OFFSET_CDATA)
        if value <= 0:
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        return value

    def credit(self, value: int) -> None:
        JCSystem.beginTransaction()
        self.balance = short(self.balance + value)
        self.record(value)
        if self.balance > MAX_BALANCE or self.balance < 0:
            JCSystem.abortTransaction()
            ISOException.throwIt(ISO7816.SW_FILE_FULL)
        JCSystem.commitTransaction()

    def debit(self, value: int) -> None:
        if value > self.balance:
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        JCSystem.beginTransaction()
        self.balance = short(self.balance - value)
        self.record(short(-value))
        JCSystem.commitTransaction()

    def record(self, value: int) -> None:
        Util.setShort(self.history, (self.next & 3) * 2, value)
        self.next = (self.next + 1) & 0xFF
        self.counter.operations = short(self.counter.operations + 1)
