"""The JCRE's static services to applets.

Mirrors ``javacard.framework.JCSystem`` (Java Card 3.0.5). Each method reaches the card that is
running the calling applet. Transactions, memory and object deletion, and Shareable lookup are
provided by the runtime modules that model them; ``getVersion`` reports 3.0.5.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.arrays import BooleanArray, ByteArray, JavaArray, ObjectArray, ShortArray
from jcsim.framework.exceptions import SystemException
from jcsim.lang import (
    ArrayIndexOutOfBoundsException,
    NegativeArraySizeException,
    NullPointerException,
)

__all__ = ["JCSystem"]

_local = _jcre._local


class JCSystem:
    """Mirrors ``javacard.framework.JCSystem``."""

    NOT_A_TRANSIENT_OBJECT = 0
    CLEAR_ON_RESET = 1
    CLEAR_ON_DESELECT = 2

    MEMORY_TYPE_PERSISTENT = 0
    MEMORY_TYPE_TRANSIENT_RESET = 1
    MEMORY_TYPE_TRANSIENT_DESELECT = 2

    ARRAY_TYPE_BOOLEAN = 1
    ARRAY_TYPE_BYTE = 2
    ARRAY_TYPE_SHORT = 3
    ARRAY_TYPE_INT = 4
    ARRAY_TYPE_OBJECT = 5

    API_VERSION = 0x0305

    # --- identity ----------------------------------------------------------------------------

    @staticmethod
    def getAID() -> Any:
        """The AID of the applet whose context is active, or None in the JCRE's context."""
        return _jcre.active().context_aid()

    @staticmethod
    def lookupAID(buffer: Any, offset: int, length: int) -> Any:
        """The AID object of the installed applet whose AID is these bytes, or None."""
        if buffer is None:
            raise NullPointerException("buffer is null")
        if offset < 0 or length < 0 or offset + length > len(buffer):
            # The javadoc: "A VM exception is thrown if ... offset or length are out of range";
            # a Python slice would silently clamp instead.
            raise ArrayIndexOutOfBoundsException(offset + length if offset >= 0 else offset)
        return _jcre.active().lookup_aid(bytes(buffer[offset:offset + length]))

    @staticmethod
    def getVersion() -> int:
        """The Java Card API version as (major << 8) | minor."""
        return JCSystem.API_VERSION

    @staticmethod
    def getAssignedChannel() -> int:
        """The logical channel on which the active applet is (or is becoming) selected."""
        return _jcre.active().assigned_channel()

    @staticmethod
    def isAppletActive(theApplet: Any) -> bool:
        """True when the applet with AID ``theApplet`` is selected on some logical channel of
        some interface."""
        if theApplet is None:
            raise NullPointerException("theApplet is null")
        return _jcre.active().applet_active(theApplet)

    # --- transactions (JCRE ch. 7) -----------------------------------------------------------

    # The transaction calls read the thread's card themselves (what _jcre.active() does) to
    # save a call on the path of every transactional command.

    @staticmethod
    def beginTransaction() -> None:
        """Start an atomic transaction; TransactionException(IN_PROGRESS) if one is open."""
        jcre = _local.jcre
        if jcre is None:
            jcre = _jcre.active()  # raises: no card is running this code
        jcre.journal.begin()

    @staticmethod
    def commitTransaction() -> None:
        """Make every write since ``beginTransaction`` permanent, atomically."""
        jcre = _local.jcre
        if jcre is None:
            jcre = _jcre.active()
        jcre.journal.commit()

    @staticmethod
    def abortTransaction() -> None:
        """Undo every persistent write since ``beginTransaction``."""
        _jcre.active().abort_transaction()

    @staticmethod
    def getTransactionDepth() -> int:
        """1 while a transaction is open, else 0 (transactions do not nest)."""
        return _jcre.active().journal.depth

    @staticmethod
    def getMaxCommitCapacity() -> int:
        """The commit buffer's size in bytes (at most 32767)."""
        return _jcre.active().journal.max_commit_capacity()

    @staticmethod
    def getUnusedCommitCapacity() -> int:
        """What is left of the commit buffer in the open transaction (at most 32767)."""
        return _jcre.active().journal.unused_commit_capacity()

    # --- transient arrays --------------------------------------------------------------------

    @staticmethod
    def _make_transient(array_type: type, length: int, event: int) -> Any:
        if length < 0:
            raise NegativeArraySizeException(length)
        if event not in (JCSystem.CLEAR_ON_RESET, JCSystem.CLEAR_ON_DESELECT):
            raise SystemException(SystemException.ILLEGAL_VALUE)
        array = array_type(length)
        _jcre.active().make_transient(array, event)
        return array

    @staticmethod
    def makeTransientByteArray(length: int, event: int) -> ByteArray:
        """A transient ``byte[]`` cleared on card reset or on deselection of its context."""
        return JCSystem._make_transient(ByteArray, length, event)

    @staticmethod
    def makeTransientShortArray(length: int, event: int) -> ShortArray:
        """A transient ``short[]``."""
        return JCSystem._make_transient(ShortArray, length, event)

    @staticmethod
    def makeTransientBooleanArray(length: int, event: int) -> BooleanArray:
        """A transient ``boolean[]``."""
        return JCSystem._make_transient(BooleanArray, length, event)

    @staticmethod
    def makeTransientObjectArray(length: int, event: int) -> ObjectArray:
        """A transient ``Object[]``."""
        return JCSystem._make_transient(ObjectArray, length, event)

    @staticmethod
    def makeGlobalArray(type: int, length: int) -> Any:
        """A global CLEAR_ON_RESET array of ``ARRAY_TYPE_*``: any context may use it, none may
        keep a reference to it in a field or an array (Java Card 3.0.4)."""
        from jcsim.framework import arrays

        kinds = {
            JCSystem.ARRAY_TYPE_BOOLEAN: arrays.TemporaryBooleanArray,
            JCSystem.ARRAY_TYPE_BYTE: arrays.TemporaryByteArray,
            JCSystem.ARRAY_TYPE_SHORT: arrays.TemporaryShortArray,
            JCSystem.ARRAY_TYPE_INT: arrays.TemporaryIntArray,
            JCSystem.ARRAY_TYPE_OBJECT: arrays.TemporaryObjectArray,
        }
        if type not in kinds:
            raise SystemException(SystemException.ILLEGAL_VALUE)
        array = JCSystem._make_transient(kinds[type], length, JCSystem.CLEAR_ON_RESET)
        array._owner = None  # global: no context owns it
        return array

    @staticmethod
    def isTransient(theObj: Any) -> int:
        """CLEAR_ON_RESET or CLEAR_ON_DESELECT for a transient array; NOT_A_TRANSIENT_OBJECT
        for anything else, null included (the javadoc's rule: only arrays are transient)."""
        if not isinstance(theObj, JavaArray):
            return JCSystem.NOT_A_TRANSIENT_OBJECT
        return theObj._transient

    # --- memory, object deletion, Shareable objects ------------------------------------------

    @staticmethod
    def getAvailableMemory(*args: Any) -> int:
        """``getAvailableMemory(memoryType)``: bytes left, at most 32767; or, since 3.0.4,
        ``getAvailableMemory(buffer, offset, memoryType)``: the full figure stored in
        ``buffer[offset]`` (high short) and ``buffer[offset + 1]`` (low short), and returned."""
        jcre = _jcre.active()
        if len(args) == 1:
            return min(jcre.available_memory(args[0]), 32767)
        if len(args) != 3:
            raise TypeError("getAvailableMemory(memoryType) or (buffer, offset, memoryType)")
        buffer, offset, memory_type = args
        if buffer is None:
            raise NullPointerException("buffer is null")
        available = jcre.available_memory(memory_type)
        buffer[offset] = (available >> 16) & 0xFFFF
        buffer[offset + 1] = available & 0xFFFF
        return available

    @staticmethod
    def isObjectDeletionSupported() -> bool:
        """True: jcsim reclaims unreachable objects on request."""
        return True

    @staticmethod
    def requestObjectDeletion() -> None:
        """Reclaim, before the next command, the unreachable objects of the running context."""
        _jcre.active().request_object_deletion()

    @staticmethod
    def getPreviousContextAID() -> Any:
        """The AID of the applet whose context called into the current one (None: the JCRE)."""
        return _jcre.active().previous_context_aid()

    @staticmethod
    def getAppletShareableInterfaceObject(serverAID: Any, parameter: int) -> Any:
        """Ask the applet ``serverAID`` for a Shareable interface object (None if it has none
        or is not installed)."""
        return _jcre.active().shareable_interface_object(serverAID, parameter)
