"""A purse whose debit updates the balance and the debit log in one transaction.

``Purse`` keeps a balance and a log of the amounts debited (a ``ShortArray`` and a count), so
``balance + sum(log)`` is always the initial balance, whenever the card loses power: the three
writes of a debit sit in one ``JCSystem`` transaction. ``BrokenPurse`` makes the same writes
outside any transaction; a tear between them loses money, which ``jcsim.testing.tear_sweep``
finds (see ``test_purse_tx.py``).

Commands (CLA 80):

- ``80 30 00 00 02 <amount>``: DEBIT a big-endian short amount (1..balance). 6700 for Lc != 2,
  6A80 for an amount of 0 or less, 6985 when it exceeds the balance, 6A84 when the log is full.
- ``80 32 00 00 04``: BALANCE: the balance and the number of logged debits, two shorts.
- ``80 34 00 00 00``: LOG: every logged amount, a short each, oldest first.
"""

from __future__ import annotations

from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ISOException,
    JCSystem,
    ShortArray,
    Util,
)
from jcsim.framework.casts import short
from jcsim.testing import tear_hook

__all__ = ["INITIAL_BALANCE", "LOG_SIZE", "BrokenPurse", "Purse"]

INITIAL_BALANCE = 1000
LOG_SIZE = 8

INS_DEBIT = 0x30
INS_BALANCE = 0x32
INS_LOG = 0x34


class Purse(Applet):
    """A purse whose debit is all or nothing."""

    def __init__(self) -> None:
        self.balance = INITIAL_BALANCE
        self.amounts = ShortArray(LOG_SIZE)
        self.count = 0

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buffer = apdu.getBuffer()
        ins = buffer[ISO7816.OFFSET_INS]
        if ins == INS_DEBIT:
            self.debit(self.amount_of(apdu))
        elif ins == INS_BALANCE:
            Util.setShort(buffer, 0, self.balance)
            Util.setShort(buffer, 2, self.count)
            apdu.setOutgoingAndSend(0, 4)
        elif ins == INS_LOG:
            for index in range(self.count):
                Util.setShort(buffer, 2 * index, self.amounts[index])
            apdu.setOutgoingAndSend(0, 2 * self.count)
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)

    def amount_of(self, apdu: APDU) -> int:
        """The checked amount of a DEBIT command."""
        if apdu.setIncomingAndReceive() != 2:
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH)
        amount = Util.getShort(apdu.getBuffer(), ISO7816.OFFSET_CDATA)
        if amount <= 0:
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        if amount > self.balance:
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        if self.count == LOG_SIZE:
            ISOException.throwIt(ISO7816.SW_FILE_FULL)
        return amount

    def debit(self, amount: int) -> None:
        # The three writes commit together or not at all: after a tear, the next power-up
        # rolls back whatever part of them was written.
        JCSystem.beginTransaction()
        self.balance = short(self.balance - amount)
        tear_hook("debit:balance-written")
        self.amounts[self.count] = amount
        self.count = short(self.count + 1)
        JCSystem.commitTransaction()


class BrokenPurse(Purse):
    """The same purse without the transaction: a tear after the balance loses the amount."""

    def debit(self, amount: int) -> None:
        self.balance = short(self.balance - amount)
        tear_hook("debit:balance-written")
        self.amounts[self.count] = amount
        self.count = short(self.count + 1)
