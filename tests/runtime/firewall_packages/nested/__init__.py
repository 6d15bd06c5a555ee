"""A Python package declared as one Java Card package: its submodules belong to it."""

from jcsim import JavaCardPackage

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 4E", version="3.4",
                                   applets={"Inner": "F0 4A 43 53 4E 49"})
