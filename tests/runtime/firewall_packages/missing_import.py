"""A package that imports a module that does not exist."""

from jcsim import JavaCardPackage
from tests.runtime.firewall_packages.scripted import Scripted

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 4D",
                                   imports=["tests.runtime.firewall_packages.no_such_module"])


class Orphan(Scripted):
    """An applet whose package cannot be loaded."""
