"""A MultiSelectable package: every applet class here implements MultiSelectable."""

from __future__ import annotations

from jcsim.framework import Applet, MultiSelectable
from tests.runtime.channel_packages.recorder import RecorderBehaviour


class MultiRecorder(RecorderBehaviour, Applet, MultiSelectable):
    """Python has no overloading: the JCRE calls select() where Java calls Applet.select() and
    select(bool) where Java calls MultiSelectable.select(boolean); the log keeps the two apart."""

    def __init__(self) -> None:
        RecorderBehaviour.__init__(self)

    def select(self, appInstAlreadyActive: bool | None = None) -> bool:
        return self._on_select(appInstAlreadyActive)

    def deselect(self, appInstStillActive: bool | None = None) -> None:
        self._on_deselect(appInstStillActive)
