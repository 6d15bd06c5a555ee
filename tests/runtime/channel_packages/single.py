"""A package that is not MultiSelectable: its applets may be active on one channel at a time,
and never while another applet of the package is active elsewhere."""

from __future__ import annotations

from jcsim.framework import Applet
from tests.runtime.channel_packages.recorder import RecorderBehaviour


class SingleRecorder(RecorderBehaviour, Applet):
    def __init__(self) -> None:
        RecorderBehaviour.__init__(self)

    def select(self) -> bool:
        return self._on_select(None)

    def deselect(self) -> None:
        self._on_deselect(None)
