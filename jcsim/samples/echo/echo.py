"""An echo applet: the "hello world" of APDU handling, with extended length.

INS 01 echoes the command data (up to 32767 bytes with extended length: what fits in the APDU
buffer is sent back from it; longer data is collected with ``receiveBytes`` into an array and
sent back with ``sendBytesLong``); INS 02 answers a
greeting; INS 03 answers P1P2 bytes of a counting pattern (for response-size tests).
"""

from __future__ import annotations

from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ByteArray,
    ExtendedLength,
    ISOException,
    JCSystem,
    Util,
)

GREETING = b"Hello from jcsim"
MAX_DATA = 32767
# A static final byte[] in Java: read-only data in the applet's code.
PATTERN = bytes(i & 0xFF for i in range(MAX_DATA))


class Echo(Applet, ExtendedLength):
    """Echo INS 01, greet INS 02, pattern INS 03."""

    INS_ECHO = 0x01
    INS_HELLO = 0x02
    INS_PATTERN = 0x03

    def __init__(self) -> None:
        self.data = ByteArray(MAX_DATA)
        self.echoes = 0
        self.scratch = JCSystem.makeTransientByteArray(2, JCSystem.CLEAR_ON_DESELECT)

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        if ins == self.INS_ECHO:
            self.echo(apdu)
        elif ins == self.INS_HELLO:
            Util.arrayCopyNonAtomic(GREETING, 0, buf, 0, len(GREETING))
            apdu.setOutgoingAndSend(0, len(GREETING))
        elif ins == self.INS_PATTERN:
            self.pattern(apdu, Util.getShort(buf, ISO7816.OFFSET_P1))
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)

    def echo(self, apdu: APDU) -> None:
        buf = apdu.getBuffer()
        received = apdu.setIncomingAndReceive()
        offset = apdu.getOffsetCdata()
        total = apdu.getIncomingLength()
        self.echoes += 1
        if received == total:
            # Everything arrived in the APDU buffer: answer straight from it.
            apdu.setOutgoingAndSend(offset, total)
            return
        copied = 0
        while received > 0:
            Util.arrayCopyNonAtomic(buf, offset, self.data, copied, received)
            copied += received
            received = apdu.receiveBytes(offset)
        apdu.setOutgoing()
        apdu.setOutgoingLength(total)
        apdu.sendBytesLong(self.data, 0, total)

    def pattern(self, apdu: APDU, length: int) -> None:
        if length < 0:
            ISOException.throwIt(ISO7816.SW_WRONG_P1P2)
        apdu.setOutgoing()
        apdu.setOutgoingLength(length)
        apdu.sendBytesLong(PATTERN, 0, length)
