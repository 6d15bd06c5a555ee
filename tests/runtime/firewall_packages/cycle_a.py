"""Packages that import each other cannot be loaded."""

from jcsim import JavaCardPackage
from tests.runtime.firewall_packages.scripted import Scripted

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 43 41",
                                   imports=["tests.runtime.firewall_packages.cycle_b"])


class CycleA(Scripted):
    """An applet whose package is in an import cycle."""
