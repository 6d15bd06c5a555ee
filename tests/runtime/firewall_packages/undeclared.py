"""A module that declares no package: a package of its own with a derived AID."""

from tests.runtime.firewall_packages.scripted import Scripted


class Plain(Scripted):
    """An applet of the undeclared package."""
