"""The programming notes' secure purse: ``MySecurityService`` (PINs, AES-CMAC integrity),
``SecurePurseImpl`` and ``SecurePurseApplet`` on the card; ``CustomCardAccessor`` on the host."""

from jcsim.samples.securepurse.protocol import personalisation
from jcsim.samples.securepurse.purse import Purse
from jcsim.samples.securepurse.secure_purse_applet import SECURE_PURSE_AID, SecurePurseApplet
from jcsim.samples.securepurse.secure_purse_impl import SecurePurseImpl
from jcsim.samples.securepurse.security_service import MySecurityService

__all__ = [
    "SECURE_PURSE_AID",
    "MySecurityService",
    "Purse",
    "SecurePurseApplet",
    "SecurePurseImpl",
    "personalisation",
]
