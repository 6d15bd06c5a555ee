"""A package that (wrongly) declares alpha's AID."""

from jcsim import JavaCardPackage
from tests.runtime.firewall_packages.scripted import Scripted

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 41")


class Clash(Scripted):
    """An applet whose package cannot be loaded next to alpha."""
