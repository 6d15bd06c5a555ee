"""A package that breaks the rule "all applets of a package are MultiSelectable, or none is"
(JCRE §4.3): the card must refuse to install the second kind."""

from __future__ import annotations

from jcsim.framework import Applet, MultiSelectable


class PlainApplet(Applet):
    def process(self, apdu: object) -> None:
        return None


class MultiSelectableApplet(Applet, MultiSelectable):
    def select(self, appInstAlreadyActive: bool | None = None) -> bool:
        return True

    def deselect(self, appInstStillActive: bool | None = None) -> None:
        return None

    def process(self, apdu: object) -> None:
        return None
