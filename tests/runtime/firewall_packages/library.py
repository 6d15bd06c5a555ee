"""A library package: classes, no applets. Package user imports it."""

from jcsim import JavaCardPackage
from jcsim.framework import Object

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 4C", version="1.1")


class Ledger(Object):
    """A class other packages make instances of."""

    def __init__(self) -> None:
        self.entries = 0
