"""Package user: imports the library package."""

from jcsim import JavaCardPackage
from tests.runtime.firewall_packages.scripted import Scripted

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 55",
                                   imports=["tests.runtime.firewall_packages.library"])


class User(Scripted):
    """An applet of user."""
