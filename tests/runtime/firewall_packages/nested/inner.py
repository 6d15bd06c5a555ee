"""A submodule of the nested package; it declares nothing of its own."""

from tests.runtime.firewall_packages.scripted import Scripted

# A static field of the nested package, in a submodule.
stash = None


class Inner(Scripted):
    """An applet of the nested package."""
