"""``PurseImpl``: the remote object behind ``Purse``, on the card.

The rules (the programming notes state them in prose; their listing swaps two of the checks):
a new purse holds 0; an amount must not be negative; a debit may not exceed the balance; a
credit may not exceed ``MAX_AMOUNT``; any other request fails with
``UserException(REQUEST_FAILED)``. ``debit`` and ``credit`` return the new balance. As in the
notes' Java, the balance is a ``short`` and many credits in a row wrap it, as Java's
arithmetic would.
"""

from __future__ import annotations

from jcsim.framework.casts import short
from jcsim.rmi import CardRemoteObject, UserException
from jcsim.samples.purse.purse import Purse

__all__ = ["PurseImpl"]


class PurseImpl(CardRemoteObject, Purse, package="examples/purse"):
    """Mirrors the notes' ``examples.purse.PurseImpl extends CardRemoteObject implements
    Purse``: exported as it is created."""

    def __init__(self) -> None:
        super().__init__()
        self.balance = 0

    def debit(self, amount: int) -> int:
        if amount < 0 or amount > self.balance:
            UserException.throwIt(Purse.REQUEST_FAILED)
        self.balance = short(self.balance - amount)
        return self.balance

    def credit(self, amount: int) -> int:
        if amount < 0 or amount > Purse.MAX_AMOUNT:
            UserException.throwIt(Purse.REQUEST_FAILED)
        self.balance = short(self.balance + amount)
        return self.balance

    def getBalance(self) -> int:
        return self.balance
