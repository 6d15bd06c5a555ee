"""A MultiSelectable RMI applet (its own package: a package's applets agree on that)."""

from __future__ import annotations

from jcsim.framework import MultiSelectable
from tests.rmi.applets import EchoesApplet

MULTI_A_AID = "F0 00 00 00 78 01"
MULTI_B_AID = "F0 00 00 00 78 02"


class MultiEchoesApplet(EchoesApplet, MultiSelectable):
    """``EchoesApplet`` that may be active on several channels at once."""

    def select(self, appInstAlreadyActive=None):
        return True

    def deselect(self, appInstStillActive=None):
        return None
