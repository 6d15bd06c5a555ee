"""Package beta: another context."""

from jcsim import JavaCardPackage
from tests.runtime.firewall_packages.scripted import Scripted, UninstallingScripted

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 42", version="2.0",
                                   applets={"Beta": "F0 4A 43 53 42 01"})

stash = None


class Beta(Scripted):
    """An applet of beta."""


class BetaEvents(UninstallingScripted):
    """An applet of beta that implements AppletEvent."""
