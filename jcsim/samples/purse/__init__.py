"""The Java Card RMI purse of the programming notes: ``Purse`` (the remote interface, shared
by card and host), ``PurseImpl`` and ``PurseApplet`` (the card), ``purse_client`` (the host)."""

from jcsim.samples.purse.purse import Purse
from jcsim.samples.purse.purse_applet import PURSE_AID, PurseApplet
from jcsim.samples.purse.purse_impl import PurseImpl

__all__ = ["PURSE_AID", "Purse", "PurseApplet", "PurseImpl"]
