"""``BasicService``: the base of services, and the Common Service Format of the APDU buffer.

Mirrors ``javacard.framework.service.BasicService`` (Java Card 3.0.5). Services that cooperate
on one command keep its state in the APDU buffer, in the Common Service Format (CSF)::

    Init          (STATE_INITIAL):        CLA INS P1  P2  P3 ...
    Input Ready   (STATE_FULL_INCOMING):  CLA INS P1  P2  Lc incoming data (Lc bytes)
    Output Ready  (STATE_OUTGOING ...):   CLA INS SW1 SW2 La outgoing data (La bytes)

A command is *processed* once the APDU is in outgoing mode (``setProcessed`` calls
``APDU.setOutgoing``); the dispatcher then sends La bytes from offset 5 and the status word.
The CSF is defined for short APDUs only.

Deviations: ``getCLA``, ``getINS``, ``getP1``, ``getP2`` return the unsigned byte (0..255) and
``getStatusWord`` the unsigned status word, as jcsim reads the APDU buffer and ``ISO7816``
constants; La is one byte, so an output length of 256 reads back as 0 (the javadoc leaves the
distinction to the implementation).
"""

from __future__ import annotations

from jcsim.framework import _jcre
from jcsim.framework.apdu import APDU
from jcsim.framework.card_object import Object
from jcsim.framework.exceptions import APDUException, ServiceException
from jcsim.framework.iso7816 import ISO7816
from jcsim.framework.service.service import Service

__all__ = ["BasicService"]

_CSF_DATA = ISO7816.OFFSET_CDATA
_MAX_OUTPUT = 256


def _incoming_access(apdu: APDU) -> None:
    if apdu.getCurrentState() not in (APDU.STATE_INITIAL, APDU.STATE_FULL_INCOMING):
        ServiceException.throwIt(ServiceException.CANNOT_ACCESS_IN_COMMAND)


class BasicService(Object, Service):
    """Mirrors ``javacard.framework.service.BasicService``."""

    def processDataIn(self, apdu: APDU) -> bool:
        """Does nothing; returns False."""
        return False

    def processCommand(self, apdu: APDU) -> bool:
        """Does nothing; returns False."""
        return False

    def processDataOut(self, apdu: APDU) -> bool:
        """Does nothing; returns False."""
        return False

    # --- input -------------------------------------------------------------------------------

    def receiveInData(self, apdu: APDU) -> int:
        """Receive the command data at offset 5 if not yet received; returns Lc of the CSF
        (which an earlier service may have changed, e.g. after removing a MAC)."""
        _incoming_access(apdu)
        buffer = apdu.getBuffer()
        if apdu.getCurrentState() == APDU.STATE_INITIAL:
            received = apdu.setIncomingAndReceive()
            if apdu.getOffsetCdata() != _CSF_DATA or apdu.getIncomingLength() > 0xFF:
                # An extended command: the CSF has no room for its length.
                ServiceException.throwIt(ServiceException.COMMAND_DATA_TOO_LONG)
            total = apdu.getIncomingLength()
            if _CSF_DATA + total > len(buffer):
                ServiceException.throwIt(ServiceException.COMMAND_DATA_TOO_LONG)
            while received < total:
                received += apdu.receiveBytes(_CSF_DATA + received)
            # Input Ready format: Lc at offset 4 (a case 2 command has its Le there).
            buffer[ISO7816.OFFSET_LC] = total
            return total
        return buffer[ISO7816.OFFSET_LC]

    # --- processed state ---------------------------------------------------------------------

    def setProcessed(self, apdu: APDU) -> None:
        """Mark the command processed by putting the APDU in outgoing mode (once)."""
        state = apdu.getCurrentState()
        if state < 0:
            ServiceException.throwIt(ServiceException.CANNOT_ACCESS_OUT_COMMAND)
        if state < APDU.STATE_OUTGOING:
            try:
                apdu.setOutgoing()
            except APDUException as exc:
                raise ServiceException(ServiceException.CANNOT_ACCESS_OUT_COMMAND) from exc

    def isProcessed(self, apdu: APDU) -> bool:
        """True once the command is processed, or when the APDU is in an error state."""
        state = apdu.getCurrentState()
        return state < 0 or state >= APDU.STATE_OUTGOING

    def _check_processed(self, apdu: APDU) -> None:
        state = apdu.getCurrentState()
        if state < APDU.STATE_OUTGOING:
            ServiceException.throwIt(ServiceException.CANNOT_ACCESS_OUT_COMMAND)

    def setOutputLength(self, apdu: APDU, length: int) -> None:
        """Set La, the number of response bytes at offset 5 (0..256, within the buffer)."""
        if length < 0 or length > _MAX_OUTPUT or _CSF_DATA + length > len(apdu.getBuffer()):
            ServiceException.throwIt(ServiceException.ILLEGAL_PARAM)
        apdu.getBuffer()[ISO7816.OFFSET_LC] = length & 0xFF

    def getOutputLength(self, apdu: APDU) -> int:
        """La of a processed command."""
        self._check_processed(apdu)
        return apdu.getBuffer()[ISO7816.OFFSET_LC]

    def setStatusWord(self, apdu: APDU, sw: int) -> None:
        """Set the status word of the response (bytes 2 and 3 of the buffer)."""
        apdu.getBuffer()[2:4] = ((sw >> 8) & 0xFF, sw & 0xFF)

    def getStatusWord(self, apdu: APDU) -> int:
        """The status word of a processed command."""
        self._check_processed(apdu)
        buffer = apdu.getBuffer()
        return (buffer[2] << 8) | buffer[3]

    def fail(self, apdu: APDU, sw: int) -> bool:
        """Processed, failed: no output, status word ``sw``; returns True."""
        self.setProcessed(apdu)
        apdu.getBuffer()[ISO7816.OFFSET_LC] = 0
        self.setStatusWord(apdu, sw)
        return True

    def succeed(self, apdu: APDU) -> bool:
        """Processed, succeeded: status word 9000 (set the output length separately)."""
        cls = type(self)  # methods looked up on the class: no firewall-checked read each
        cls.setProcessed(self, apdu)
        cls.setStatusWord(self, apdu, ISO7816.SW_NO_ERROR)
        return True

    def succeedWithStatusWord(self, apdu: APDU, sw: int) -> bool:
        """Processed, partly succeeded: status word ``sw`` (output length set separately)."""
        self.setProcessed(apdu)
        self.setStatusWord(apdu, sw)
        return True

    # --- header ------------------------------------------------------------------------------

    def getCLA(self, apdu: APDU) -> int:
        return apdu.getBuffer()[ISO7816.OFFSET_CLA]

    def getINS(self, apdu: APDU) -> int:
        return apdu.getBuffer()[ISO7816.OFFSET_INS]

    def getP1(self, apdu: APDU) -> int:
        """P1, while the command is still in the Init or Input Ready format."""
        _incoming_access(apdu)
        return apdu.getBuffer()[ISO7816.OFFSET_P1]

    def getP2(self, apdu: APDU) -> int:
        """P2, while the command is still in the Init or Input Ready format."""
        _incoming_access(apdu)
        return apdu.getBuffer()[ISO7816.OFFSET_P2]

    def selectingApplet(self) -> bool:
        """True while the command is the SELECT that selected the current applet."""
        jcre = _jcre.active()
        context = jcre.current_context()
        return context is not None and jcre.selecting_applet(context.instance)

