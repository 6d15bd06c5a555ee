"""What ``Simulator.packages()`` and ``Simulator.applets()`` list: the packages and applet
instances on a card, as frozen values. Built on request only, so loaded by the first listing
rather than with every card."""

from __future__ import annotations

import attrs

from jcsim.framework.aid import AID

__all__ = ["AppletInfo", "PackageInfo"]


@attrs.frozen
class PackageInfo:
    """A package on the card, as ``sim.packages()`` lists it."""

    aid: AID
    name: str  # the declaring Python module
    version: tuple[int, int]
    imports: tuple[str, ...]


@attrs.frozen
class AppletInfo:
    """An applet instance, as ``sim.applets()`` lists it."""

    aid: AID
    applet_class: str  # module:QualifiedName
    package: AID
    default_on: tuple[str, ...]
