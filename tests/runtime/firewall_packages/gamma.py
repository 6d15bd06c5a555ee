"""Package gamma: MultiSelectable applets."""

from jcsim import JavaCardPackage
from tests.runtime.firewall_packages.scripted import MultiScripted

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 47")


class Gamma(MultiScripted):
    """A MultiSelectable applet of gamma."""
