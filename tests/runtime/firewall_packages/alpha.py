"""Package alpha: two applet classes in one package, so one firewall context."""

from jcsim import JavaCardPackage
from tests.runtime.firewall_packages.scripted import Scripted

JAVACARD_PACKAGE = JavaCardPackage(
    aid="F0 4A 43 53 41",
    version="1.2",
    applets={"Alpha": "F0 4A 43 53 41 01"},
)

# A static field of package alpha (scripts may store an object here).
stash = None


class Alpha(Scripted):
    """An applet of alpha with a declared class AID."""


class AlphaTwin(Scripted):
    """Another applet class of alpha; its class AID is derived."""
