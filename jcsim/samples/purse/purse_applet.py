"""``PurseApplet``: an applet made of one service, Java Card RMI for a ``PurseImpl``.

Mirrors the programming notes' ``examples.purse.PurseApplet``: the constructor creates the
remote object, an ``RMIService`` with it as the initial reference, and a ``Dispatcher`` that
gives every command to that service; ``process`` hands each APDU to the dispatcher.
"""

from __future__ import annotations

from jcsim.framework import APDU, Applet
from jcsim.framework.service import Dispatcher, RMIService
from jcsim.samples.purse.purse_impl import PurseImpl

__all__ = ["PURSE_AID", "PurseApplet"]

PURSE_AID = "00 01 02 03 04 05 06 07 08"  # the AID the notes' client selects


class PurseApplet(Applet):
    """An RMI applet: SELECT answers the initial reference, INVOKE calls ``PurseImpl``."""

    def __init__(self) -> None:
        rmi = RMIService(PurseImpl())
        self.dispatcher = Dispatcher(1)
        self.dispatcher.addService(rmi, Dispatcher.PROCESS_COMMAND)

    def process(self, apdu: APDU) -> None:
        self.dispatcher.process(apdu)
