"""An applet that asks for its secure channel in install() and select()."""

from __future__ import annotations

from typing import Any

from jcsim.framework import APDU, Applet
from jcsim.globalplatform import GPSystem


class ChannelAtInstall(Applet):
    """Keeps the security levels SecureChannel answered in install() and in its last select()
    (after resetSecurity()); any command answers them."""

    def __init__(self) -> None:
        channel = GPSystem.getSecureChannel()
        channel.resetSecurity()
        self.at_install = channel.getSecurityLevel()
        self.at_select = -1
        self.register()

    @staticmethod
    def install(bArray: Any, bOffset: int, bLength: int) -> None:
        ChannelAtInstall()

    def select(self) -> bool:
        channel = GPSystem.getSecureChannel()
        channel.resetSecurity()
        self.at_select = channel.getSecurityLevel()
        return True

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        buf[0], buf[1] = self.at_install & 0xFF, self.at_select & 0xFF
        apdu.setOutgoingAndSend(0, 2)
