"""``SecurePurseApplet``: the secure purse, an RMI service behind a security service.

Mirrors the programming notes' ``examples.securepurse.SecurePurseApplet``: a
``MySecurityService`` registered for the input phase (authentication, MAC checks) and an
``RMIService`` for ``SecurePurseImpl`` registered for the command phase, in a two-service
``Dispatcher``. The install parameters' applet data personalise it (``protocol``).
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import APDU, Applet, SystemException
from jcsim.framework.service import Dispatcher, RMIService
from jcsim.samples.securepurse.protocol import PERSONALISATION_LENGTH
from jcsim.samples.securepurse.secure_purse_impl import SecurePurseImpl
from jcsim.samples.securepurse.security_service import MySecurityService

__all__ = ["SECURE_PURSE_AID", "SecurePurseApplet"]

SECURE_PURSE_AID = "00 01 02 03 04 05 06 07 09"


class SecurePurseApplet(Applet):
    """Security service (input phase) + RMI service (command phase)."""

    def __init__(self, personalisation: Any, offset: int) -> None:
        sec = MySecurityService(personalisation, offset)
        rmi = RMIService(SecurePurseImpl(sec))
        self.dispatcher = Dispatcher(2)
        self.dispatcher.addService(rmi, Dispatcher.PROCESS_COMMAND)
        self.dispatcher.addService(sec, Dispatcher.PROCESS_INPUT_DATA)

    @classmethod
    def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
        """``bArray``: instance AID, control information, then the applet data (PINs, key)."""
        aid_length = bArray[bOffset]
        info = bOffset + 1 + aid_length
        data = info + 1 + bArray[info]
        if bArray[data] != PERSONALISATION_LENGTH:
            SystemException.throwIt(SystemException.ILLEGAL_VALUE)
        cls(bArray, data + 1).register(bArray, bOffset + 1, aid_length)

    def process(self, apdu: APDU) -> None:
        self.dispatcher.process(apdu)
