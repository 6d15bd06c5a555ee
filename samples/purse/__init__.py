"""The Java Card RMI purse of the programming notes: ``Purse`` (the remote interface, shared
by card and host), ``PurseImpl`` and ``PurseApplet`` (the card), ``purse_client`` (the host)."""

from samples.purse.purse import Purse
from samples.purse.purse_applet import PURSE_AID, PurseApplet
from samples.purse.purse_impl import PurseImpl

__all__ = ["PURSE_AID", "Purse", "PurseApplet", "PurseImpl"]
