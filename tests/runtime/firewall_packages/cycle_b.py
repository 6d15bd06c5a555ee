"""The other half of the import cycle."""

from jcsim import JavaCardPackage

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 43 42",
                                   imports=["tests.runtime.firewall_packages.cycle_a"])
