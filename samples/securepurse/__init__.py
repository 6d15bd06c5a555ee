"""The programming notes' secure purse: ``MySecurityService`` (PINs, AES-CMAC integrity),
``SecurePurseImpl`` and ``SecurePurseApplet`` on the card; ``CustomCardAccessor`` on the host."""

from samples.securepurse.protocol import personalisation
from samples.securepurse.purse import Purse
from samples.securepurse.secure_purse_applet import SECURE_PURSE_AID, SecurePurseApplet
from samples.securepurse.secure_purse_impl import SecurePurseImpl
from samples.securepurse.security_service import MySecurityService

__all__ = [
    "SECURE_PURSE_AID",
    "MySecurityService",
    "Purse",
    "SecurePurseApplet",
    "SecurePurseImpl",
    "personalisation",
]
