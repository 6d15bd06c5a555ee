"""The APDU object an applet's ``process`` receives.

Mirrors ``javacard.framework.APDU`` (Java Card 3.0.5), including extended length
(``javacardx.apdu.ExtendedLength``) and the state machine in ``apdu_states``. The JCRE owns one
APDU object per I/O interface and prepares it before each command (``_begin``); what the applet
sends collects in ``_output`` and the JCRE frames it after ``process`` returns. Deviation: under
T=0 the JCRE serves 61xx / GET RESPONSE and 6Cxx / re-issue after ``process`` returns, so the
NO_T0_* error states never occur.
"""

from __future__ import annotations

import functools
from typing import Any

from jcsim.framework import _jcre, arrays
from jcsim.framework import apdu_states as st
from jcsim.framework.arrays import ByteArray, TemporaryByteArray
from jcsim.framework.cla import CLA_TABLE
from jcsim.framework.exceptions import APDUException
from jcsim.lang import ArrayIndexOutOfBoundsException, NullPointerException

__all__ = ["APDU"]

_ALLOWED = st.ALLOWED_FROM
_ba_getitem = bytearray.__getitem__
_ba_setitem = bytearray.__setitem__
_ba_init = bytearray.__init__
_ba_len = bytearray.__len__
_WHOLE = slice(0, None)
_HEADER_SLICES = tuple(slice(0, n) for n in range(8))  # the header, Lc and Le: 4 to 7 bytes
# The rows of ALLOWED_FROM, looked up once rather than at each call.
_FROM_INITIAL = _ALLOWED["setIncomingAndReceive"]
_FROM_BEFORE_OUTGOING = _ALLOWED["setOutgoingAndSend"]
_FROM_RECEIVE = _ALLOWED["receiveBytes"]
_FROM_INCOMING_LENGTH = _ALLOWED["getIncomingLength"]
_FROM_OFFSET_CDATA = _ALLOWED["getOffsetCdata"]
_FROM_SET_OUTGOING = _ALLOWED["setOutgoing"]
_FROM_SET_OUTGOING_NO_CHAINING = _ALLOWED["setOutgoingNoChaining"]
_FROM_OUTGOING_LENGTH = _ALLOWED["setOutgoingLength"]
_FROM_SEND = _ALLOWED["sendBytes"]
_FROM_SEND_LONG = _ALLOWED["sendBytesLong"]
_SHORT_LIMIT = 256
_EXTENDED_LIMIT = 32767
T1_BLOCK_SIZE = 254  # IFSC / IFSD of the simulated T=1 link


@functools.cache
def _zeros(size: int) -> bytes:
    """The zero template that clears a buffer of ``size`` bytes, one per size for the process
    (every card's APDU objects share it); used only while something holds a view of a buffer."""
    return bytes(size)


def _illegal_use() -> None:
    raise APDUException(APDUException.ILLEGAL_USE)


class APDU:
    """Mirrors ``javacard.framework.APDU``."""

    STATE_INITIAL = st.STATE_INITIAL
    STATE_PARTIAL_INCOMING = st.STATE_PARTIAL_INCOMING
    STATE_FULL_INCOMING = st.STATE_FULL_INCOMING
    STATE_OUTGOING = st.STATE_OUTGOING
    STATE_OUTGOING_LENGTH_KNOWN = st.STATE_OUTGOING_LENGTH_KNOWN
    STATE_PARTIAL_OUTGOING = st.STATE_PARTIAL_OUTGOING
    STATE_FULL_OUTGOING = st.STATE_FULL_OUTGOING
    STATE_ERROR_NO_T0_GETRESPONSE = st.STATE_ERROR_NO_T0_GETRESPONSE
    STATE_ERROR_T1_IFD_ABORT = st.STATE_ERROR_T1_IFD_ABORT
    STATE_ERROR_IO = st.STATE_ERROR_IO
    STATE_ERROR_NO_T0_REISSUE = st.STATE_ERROR_NO_T0_REISSUE

    PROTOCOL_T0 = 0
    PROTOCOL_T1 = 1
    PROTOCOL_TYPE_MASK = 0x0F
    PROTOCOL_MEDIA_MASK = 0xF0
    PROTOCOL_MEDIA_DEFAULT = 0x00
    PROTOCOL_MEDIA_CONTACTLESS_TYPE_A = 0x80
    PROTOCOL_MEDIA_CONTACTLESS_TYPE_B = 0x90
    PROTOCOL_MEDIA_USB = 0xA0
    PROTOCOL_MEDIA_CONTACTLESS_TYPE_F = 0xB0
    PROTOCOL_MEDIA_HCI_APDU_GATE = 0xB0

    # A temporary JCRE entry-point object: no field or array may keep a reference to it.
    _jc_temporary = True

    __slots__ = (
        "_buffer",
        "_cdata_offset",
        "_extended",
        "_extended_ok",
        "_le_present",
        "_nc",
        "_ne",
        "_no_chaining",
        "_out_length",
        "_output",
        "_protocol",
        "_raw",
        "_received",
        "_size",
        "_state",
        "_t0",
        "_wait_extensions",
    )

    def __init__(self, buffer_size: int, protocol: int) -> None:
        buffer = TemporaryByteArray(buffer_size)
        buffer._owner = None  # a JCRE global array, reachable from every context
        self._buffer = buffer
        self._size = buffer_size
        self._protocol = protocol
        self._t0 = protocol & 0x0F == 0
        self._state = st.STATE_INITIAL
        self._raw = b""
        self._nc = self._ne = self._received = self._out_length = 0
        self._le_present = self._extended = self._extended_ok = self._no_chaining = False
        self._cdata_offset = 5
        self._output: bytes | bytearray = b""
        self._wait_extensions = 0

    # --- the JCRE's side ---------------------------------------------------------------------

    def _begin(self, raw: bytes, cdata_offset: int, nc: int, ne: int, le_present: bool,
               extended_ok: bool) -> None:
        """Load a new command: zero the buffer, put the header (and Lc/Le) in it."""
        buffer = self._buffer
        try:
            # bytearray's __init__ gives the buffer fresh zeroed storage of the same size (a C
            # malloc and memset): the cheapest way from Python to zero 32 KiB.
            _ba_init(buffer, self._size)
        except BufferError:
            # Something holds a view of the buffer (a memoryview), so its storage cannot move:
            # zero it in place.
            _ba_setitem(buffer, _WHOLE, _zeros(self._size))
        head = raw[:cdata_offset]
        _ba_setitem(buffer, _HEADER_SLICES[len(head)], head)
        self._raw = raw
        self._cdata_offset = cdata_offset
        self._nc = nc
        self._ne = ne
        self._le_present = le_present
        self._extended = cdata_offset == 7
        self._extended_ok = extended_ok
        self._state = st.STATE_INITIAL
        self._received = self._out_length = self._wait_extensions = 0
        self._no_chaining = False
        self._output = b""  # becomes a bytearray with the first bytes sent

    # --- incoming ----------------------------------------------------------------------------

    def getBuffer(self) -> ByteArray:
        """The APDU buffer: a JCRE global byte array, zeroed before each command."""
        return self._buffer

    def setIncomingAndReceive(self) -> int:
        """Receive the first part of the command data at ``getOffsetCdata()``; returns its
        length."""
        if self._state not in _FROM_INITIAL:
            _illegal_use()
        start = self._cdata_offset
        nc = self._nc
        room = self._size - start
        count = nc if nc <= room else room
        if count:
            _ba_setitem(self._buffer, slice(start, start + count),
                        self._raw[start:start + count])
        self._received = count
        self._state = st.STATE_FULL_INCOMING if count == nc else st.STATE_PARTIAL_INCOMING
        return count

    def receiveBytes(self, bOff: int) -> int:
        """Receive more command data at ``bOff``; returns how many bytes (0 when none remain)."""
        if self._state not in _FROM_RECEIVE:
            _illegal_use()
        remaining = self._nc - self._received
        block = 1 if self._t0 else T1_BLOCK_SIZE
        size = _ba_len(self._buffer)
        if bOff < 0 or bOff + min(block, remaining) > size:
            raise APDUException(APDUException.BUFFER_BOUNDS)
        count = min(remaining, size - bOff)
        if count:
            start = self._cdata_offset + self._received
            _ba_setitem(self._buffer, slice(bOff, bOff + count), self._raw[start:start + count])
            self._received += count
        self._state = (st.STATE_FULL_INCOMING if self._received == self._nc
                       else st.STATE_PARTIAL_INCOMING)
        return count

    def getIncomingLength(self) -> int:
        """Nc, the length of the command data."""
        if self._state not in _FROM_INCOMING_LENGTH:
            _illegal_use()
        return self._nc

    def getOffsetCdata(self) -> int:
        """Where the command data starts in the buffer: 5, or 7 for an extended command."""
        if self._state not in _FROM_OFFSET_CDATA:
            _illegal_use()
        return self._cdata_offset

    # --- outgoing ----------------------------------------------------------------------------

    def _expected_length(self, no_chaining: bool) -> int:
        if self._t0 and (self._nc or (self._le_present and self._extended)):
            # Under T=0 the Le of case 4 (and of any extended case, carried by ENVELOPE) never
            # reaches the card, which cannot tell case 3 from case 4: an ExtendedLength applet
            # may send up to 32767 bytes with 61xx chaining, any other applet (or a
            # no-chaining response) up to 256.
            return _EXTENDED_LIMIT if self._extended_ok and not no_chaining else _SHORT_LIMIT
        return self._ne

    def setOutgoing(self) -> int:
        """Switch to sending; returns Ne (Le as a length; 256 for T=0 case 4; 32767 at most)."""
        if self._state not in _FROM_SET_OUTGOING:
            _illegal_use()
        self._state = st.STATE_OUTGOING
        return self._expected_length(False)

    def setOutgoingNoChaining(self) -> int:
        """As ``setOutgoing``, for a response sent without 61xx chaining or block chaining."""
        if self._state not in _FROM_SET_OUTGOING_NO_CHAINING:
            _illegal_use()
        self._state = st.STATE_OUTGOING
        self._no_chaining = True
        return self._expected_length(True)

    def setOutgoingLength(self, len: int) -> None:
        """Announce the number of response bytes the applet will send."""
        if self._state not in _FROM_OUTGOING_LENGTH:
            _illegal_use()
        if len < 0 or (len > _SHORT_LIMIT and not self._extended_ok) or len > _EXTENDED_LIMIT:
            raise APDUException(APDUException.BAD_LENGTH)
        if self._no_chaining:
            limit = _SHORT_LIMIT if self._t0 else T1_BLOCK_SIZE - 2
            if len > limit:
                raise APDUException(APDUException.BAD_LENGTH)
        self._out_length = len
        self._state = st.STATE_OUTGOING_LENGTH_KNOWN

    def _send(self, source: Any, offset: int, length: int) -> None:
        output = self._output
        sent = output.__len__() + length
        if sent > self._out_length:
            _illegal_use()
        if output:
            output += source[offset:offset + length]  # a bytearray: extended in place
        else:
            self._output = bytearray(source[offset:offset + length])
        self._state = (st.STATE_FULL_OUTGOING if sent == self._out_length
                       else st.STATE_PARTIAL_OUTGOING)

    def sendBytes(self, bOff: int, len: int) -> None:
        """Send ``len`` bytes of the APDU buffer from ``bOff``."""
        if bOff < 0 or len < 0 or bOff + len > _ba_len(self._buffer):
            raise APDUException(APDUException.BUFFER_BOUNDS)
        if self._state not in _FROM_SEND:
            _illegal_use()
        self._send(self._buffer, bOff, len)

    def sendBytesLong(self, outData: Any, bOff: int, len: int) -> None:
        """Send ``len`` bytes of ``outData`` from ``bOff`` (paged through the APDU buffer)."""
        if outData is None:
            raise NullPointerException("outData is null")
        if bOff < 0 or len < 0 or bOff + len > outData.__len__():
            raise ArrayIndexOutOfBoundsException(bOff + len)
        if self._state not in _FROM_SEND_LONG:
            _illegal_use()
        if getattr(outData, "_owner", None) is not None and arrays.FIREWALL_CHECK is not None:
            arrays.FIREWALL_CHECK(outData)
        self._send(outData, bOff, len)

    def setOutgoingAndSend(self, bOff: int, len: int) -> None:
        """``setOutgoing`` + ``setOutgoingLength(len)`` + ``sendBytes(bOff, len)``."""
        if self._state not in _FROM_BEFORE_OUTGOING:
            _illegal_use()
        # The javadoc names BAD_LENGTH for a negative or too long len; the bounds of the buffer
        # are checked after it, as sendBytes would. Either error leaves the state unchanged.
        if len < 0 or (len > _SHORT_LIMIT and not self._extended_ok) or len > _EXTENDED_LIMIT:
            raise APDUException(APDUException.BAD_LENGTH)
        if bOff < 0 or bOff + len > _ba_len(self._buffer):
            raise APDUException(APDUException.BUFFER_BOUNDS)
        # setOutgoing, setOutgoingLength(len) and sendBytes(bOff, len), inlined: from the
        # allowed states no chaining limit is set and nothing has been sent, so the checks
        # above are all those three would make; the state ends FULL_OUTGOING as theirs would.
        self._out_length = len
        self._output = _ba_getitem(self._buffer, slice(bOff, bOff + len))  # nothing sent yet
        self._state = st.STATE_FULL_OUTGOING

    # --- protocol and state ------------------------------------------------------------------

    def getCurrentState(self) -> int:
        """One of the STATE_* constants."""
        return self._state

    def getNAD(self) -> int:
        """The T=1 node address byte; always 0 here."""
        return 0

    def isCommandChainingCLA(self) -> bool:
        """True when CLA b5 marks this command as part of a chain (not the last)."""
        info = CLA_TABLE[self._buffer[0]]
        return info is not None and info.chaining

    def isSecureMessagingCLA(self) -> bool:
        """True when CLA indicates secure messaging (b4b3 for channels 0-3, b6 for 4-19)."""
        info = CLA_TABLE[self._buffer[0]]
        return info is not None and info.secure_messaging

    def isISOInterindustryCLA(self) -> bool:
        """True for an interindustry class: CLA b8 = 0.

        The 3.0.5 javadoc tests b8 alone, with no exception for the RFU classes 0x20-0x3F (the
        JCRE answers those with 6E00 before any applet runs, so only a CLA the applet wrote into
        the buffer itself can be one).
        """
        return self._buffer[0] & 0x80 == 0

    def isValidCLA(self) -> bool:
        """False for the RFU classes 0x20-0x3F and for 0xFF."""
        return CLA_TABLE[self._buffer[0]] is not None

    # --- static methods ----------------------------------------------------------------------

    @staticmethod
    def getProtocol() -> int:
        """The media (high nibble) and protocol type (low nibble) of the interface the current
        command came in on."""
        return _jcre.active().interface_apdu()._protocol

    @staticmethod
    def getInBlockSize() -> int:
        """1 under T=0; the IFSC under T=1."""
        return 1 if _jcre.active().interface_apdu()._t0 else T1_BLOCK_SIZE

    @staticmethod
    def getOutBlockSize() -> int:
        """258 under T=0; the IFSD under T=1."""
        return 258 if _jcre.active().interface_apdu()._t0 else T1_BLOCK_SIZE

    @staticmethod
    def getCurrentAPDU() -> APDU:
        """The APDU object of the command being processed."""
        return _jcre.active().current_apdu()

    @staticmethod
    def getCurrentAPDUBuffer() -> ByteArray:
        """The buffer of ``getCurrentAPDU()``."""
        return _jcre.active().current_apdu()._buffer

    @staticmethod
    def getCLAChannel() -> int:
        """The logical channel the current command's CLA names (0-19)."""
        return _jcre.active().cla_channel()

    @staticmethod
    def waitExtension() -> None:
        """Ask the terminal for more time (a no-op in simulation, counted for traces)."""
        apdu = _jcre.active().current_apdu()
        if apdu._no_chaining:
            _illegal_use()
        apdu._wait_extensions += 1
