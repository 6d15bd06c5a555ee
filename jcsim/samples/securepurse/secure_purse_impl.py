"""``SecurePurseImpl``: the purse, checking its security service before each request.

The programming notes' rules: ``debit`` needs an integrity-protected command and the
cardholder; ``credit`` an integrity-protected command and the application provider;
``getBalance`` either principal. A request that does not meet them throws
``UserException(REQUEST_DENIED)``; the amount rules of ``jcsim.samples.purse`` then apply
(``REQUEST_FAILED``).
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.casts import short
from jcsim.framework.service import SecurityService
from jcsim.rmi import CardRemoteObject, UserException
from jcsim.samples.securepurse.purse import Purse

__all__ = ["SecurePurseImpl"]


class SecurePurseImpl(CardRemoteObject, Purse, package="examples/securepurse"):
    """Mirrors the notes' ``examples.securepurse.SecurePurseImpl``."""

    def __init__(self, security: Any) -> None:
        super().__init__()
        self.security = security
        self.balance = 0

    def _require(self, integrity: bool, *principals: int) -> None:
        security = self.security
        if integrity and not security.isCommandSecure(SecurityService.PROPERTY_INPUT_INTEGRITY):
            UserException.throwIt(Purse.REQUEST_DENIED)
        if not any(security.isAuthenticated(p) for p in principals):
            UserException.throwIt(Purse.REQUEST_DENIED)

    def debit(self, amount: int) -> int:
        self._require(True, SecurityService.PRINCIPAL_CARDHOLDER)
        if amount < 0 or amount > self.balance:
            UserException.throwIt(Purse.REQUEST_FAILED)
        self.balance = short(self.balance - amount)
        return self.balance

    def credit(self, amount: int) -> int:
        self._require(True, SecurityService.PRINCIPAL_APP_PROVIDER)
        if amount < 0 or amount > Purse.MAX_AMOUNT:
            UserException.throwIt(Purse.REQUEST_FAILED)
        self.balance = short(self.balance + amount)
        return self.balance

    def getBalance(self) -> int:
        self._require(False, SecurityService.PRINCIPAL_CARDHOLDER,
                      SecurityService.PRINCIPAL_APP_PROVIDER)
        return self.balance
