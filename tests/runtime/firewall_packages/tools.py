"""A library package nobody declares an import of (its objects can still be made)."""

from jcsim import JavaCardPackage
from jcsim.framework import Object

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 54")


class Token(Object):
    """A class of package tools."""

    def __init__(self) -> None:
        self.used = False
