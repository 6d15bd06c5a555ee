"""A submodule of the package whose static field holds an on-card array."""

from jcsim.framework import APDU, Applet, ByteArray, Util

import tests.runtime.static_packages as package

table = None
not_declared = 7


class Keeper(Applet):
    """INS 01 bumps the package counter and, the first time, makes the static table."""

    def process(self, apdu: APDU) -> None:
        global table, not_declared
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        if buf[1] == 0x01:
            package.counter += 1
            if table is None:
                table = ByteArray(b"\x0A\x0B\x0C")
            not_declared += 1
        Util.setShort(buf, 0, package.counter)
        Util.arrayCopyNonAtomic(table, 0, buf, 2, 3)
        apdu.setOutgoingAndSend(0, 5)
