"""The runtime's side of org.globalplatform: what ``GPSystem``, ``SecureChannel`` and ``CVM``
do on the card (GlobalPlatform Card API; GPCS v2.3 §6-§10).

Applets call these in their own context. The state they read and change is the card manager's
(the issuer security domain's), which the firewall keeps from applet contexts, so each method
does that part in the JCRE's context (``_as_jcre``), as the OPEN would. The secure channel
object is not an on-card object: it runs in the caller's context and reads and writes the
caller's own buffers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from jcsim.framework import _jcre
from jcsim.framework.apdu import APDU
from jcsim.framework.card_object import Object
from jcsim.framework.casts import byte
from jcsim.framework.exceptions import ISOException
from jcsim.framework.iso7816 import ISO7816
from jcsim.globalplatform import _gp
from jcsim.globalplatform.cvm import CVM
from jcsim.globalplatform.secure_channel import SecureChannel
from jcsim.runtime.gp import lifecycle, service
from jcsim.runtime.gp.session import (
    NO_SECURITY_LEVEL,
    R_MAC,
    SecureSession,
    SessionState,
    sm_bit,
)

if TYPE_CHECKING:
    from jcsim.runtime.card import Card
    from jcsim.runtime.card_manager import CardManager
    from jcsim.runtime.card_state import CardState
    from jcsim.runtime.registry import AppletRecord

__all__ = ["CvmFlags", "GPPort", "GlobalPIN", "IsdSecureChannel"]

PRIVILEGE_CARD_LOCK = 0x10
PRIVILEGE_CARD_TERMINATE = 0x08
PRIVILEGE_CVM_MANAGEMENT = 0x02


@contextmanager
def _as_jcre(card: CardState) -> Iterator[None]:
    saved = card.context
    card.context = None
    try:
        yield
    finally:
        card.context = saved


def _has_privilege(record: AppletRecord | None, bit: int) -> bool:
    return record is not None and bool(record.privileges[:1]) and \
        bool(record.privileges[0] & bit)


class IsdSecureChannel(SecureChannel):
    """The issuer security domain's secure channel, for the applet calling it."""

    def _session(self, card: CardState) -> SecureSession | None:
        return service.session_of(card, card.context)

    def processSecurity(self, apdu: Any) -> int:
        card = _jcre.active()
        buf = apdu.getBuffer()
        if apdu.getCurrentState() == APDU.STATE_INITIAL:
            apdu.setIncomingAndReceive()
        length = apdu.getIncomingLength()
        offset = apdu.getOffsetCdata()
        raw = bytes(buf[0:4]) + (bytes((length,)) + bytes(buf[offset:offset + length])
                                 if length else b"")
        ins = raw[1]
        record = card.context
        with _as_jcre(card):
            if ins == service.INS_INITIALIZE_UPDATE:
                answer = service.initialize_update(card, record, raw)
                buf[ISO7816.OFFSET_CDATA:ISO7816.OFFSET_CDATA + len(answer)] = answer
                return len(answer)
            if ins == service.INS_EXTERNAL_AUTHENTICATE:
                service.external_authenticate(card, record, raw)
                return 0
        ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        return 0

    def unwrap(self, baBuffer: Any, sOffset: int, sLength: int) -> int:
        card = _jcre.active()
        raw = bytes(baBuffer[sOffset:sOffset + sLength])
        if len(raw) < 4 or not raw[0] & sm_bit(raw[0]):
            # Not secure messaging: nothing to undo; getSecurityLevel tells the applet what
            # protection it has.
            return sLength
        session = self._session(card)
        if session is None or session.state != SessionState.AUTHENTICATED:
            ISOException.throwIt(ISO7816.SW_SECURITY_STATUS_NOT_SATISFIED)
        plain = session.unwrap(raw)
        baBuffer[sOffset:sOffset + len(plain)] = plain
        return len(plain)

    def wrap(self, baBuffer: Any, sOffset: int, sLength: int) -> int:
        card = _jcre.active()
        session = self._session(card)
        if session is None or session.state != SessionState.AUTHENTICATED or \
                not session.level & R_MAC:
            return sLength
        wrapped = session.wrap(bytes(baBuffer[sOffset:sOffset + sLength]), 0x9000)
        baBuffer[sOffset:sOffset + len(wrapped)] = wrapped
        return len(wrapped)

    def _crypt(self, baBuffer: Any, sOffset: int, sLength: int, decrypt: bool) -> int:
        card = _jcre.active()
        session = self._session(card)
        if session is None or session.state != SessionState.AUTHENTICATED:
            ISOException.throwIt(ISO7816.SW_SECURITY_STATUS_NOT_SATISFIED)
        data = bytes(baBuffer[sOffset:sOffset + sLength])
        result = session.decrypt_data(data) if decrypt else session.encrypt_data(data)
        baBuffer[sOffset:sOffset + len(result)] = result
        return len(result)

    def decryptData(self, baBuffer: Any, sOffset: int, sLength: int) -> int:
        return self._crypt(baBuffer, sOffset, sLength, True)

    def encryptData(self, baBuffer: Any, sOffset: int, sLength: int) -> int:
        return self._crypt(baBuffer, sOffset, sLength, False)

    def resetSecurity(self) -> None:
        card = _jcre.active()
        service.end_session(card, card.context)

    def getSecurityLevel(self) -> int:
        session = self._session(_jcre.active())
        return byte(NO_SECURITY_LEVEL if session is None else session.level)


def _digits(data: bytes, fmt: int) -> tuple[int, ...] | None:
    """A CVM value as its digits, whatever format it came in; None when malformed."""
    if fmt == CVM.FORMAT_ASCII:
        return tuple(b - 0x30 for b in data) if all(0x30 <= b <= 0x39 for b in data) \
            else None
    nibbles = [n for b in data for n in (b >> 4, b & 0x0F)]
    if fmt == CVM.FORMAT_BCD:
        while nibbles and nibbles[-1] == 0x0F:
            nibbles.pop()
        return tuple(nibbles) if all(n <= 9 for n in nibbles) else None
    if fmt == CVM.FORMAT_HEX:
        return tuple(nibbles)
    return None


class CvmFlags:
    """The global PIN's verified and submitted states: JCRE RAM, cleared at every reset, not
    taken from the applets' transient memory."""

    __slots__ = ("submitted", "verified")

    def __init__(self) -> None:
        self.verified = self.submitted = False

    def _jc_clear(self) -> None:
        self.verified = self.submitted = False


def _cvm_flags(card: Card) -> CvmFlags:
    flags = card.gp_cvm_flags
    if flags is None:
        flags = card.gp_cvm_flags = CvmFlags()
        card.transients.clear_on_reset.append(flags)
    return flags


class GlobalPIN(Object, CVM):
    """The global PIN: persistent value, try limit and counter; the verified and submitted
    states live in JCRE RAM (``CvmFlags``). Owned by no context, as a JCRE object: every
    applet reaches it."""

    def __init__(self) -> None:
        self._value: tuple[int, ...] = ()
        self._try_limit = 3
        self._tries = 3
        self._blocked = False

    @property
    def _flags(self) -> CvmFlags:
        return _cvm_flags(_jcre.active())

    def _privileged(self) -> bool:
        return _has_privilege(_jcre.active().context, PRIVILEGE_CVM_MANAGEMENT)

    def isActive(self) -> bool:
        return bool(self._value)

    def isSubmitted(self) -> bool:
        return self._flags.submitted

    def isVerified(self) -> bool:
        return self._flags.verified

    def isBlocked(self) -> bool:
        return self._blocked

    def getTriesRemaining(self) -> int:
        return self._tries

    def update(self, baBuffer: Any, sOffset: int, bLength: int, bFormat: int) -> bool:
        value = _digits(bytes(baBuffer[sOffset:sOffset + bLength]), bFormat)
        if not self._privileged() or not value:
            return False
        self._value = value
        self._tries = self._try_limit
        self._blocked = False
        return True

    def resetState(self) -> bool:
        if self._blocked:
            return False
        self._flags._jc_clear()
        return True

    def blockState(self) -> bool:
        if not self._value:
            return False
        self._blocked = True
        self._flags.verified = False
        return True

    def resetAndUnblockState(self) -> bool:
        if not self._privileged() or not self._value:
            return False
        self._blocked = False
        self._tries = self._try_limit
        self._flags._jc_clear()
        return True

    def setTryLimit(self, bTryLimit: int) -> bool:
        if not self._privileged() or not 1 <= bTryLimit <= 127:
            return False
        self._try_limit = bTryLimit
        self._tries = bTryLimit
        return True

    def verify(self, baBuffer: Any, sOffset: int, bLength: int, bFormat: int) -> int:
        if not self._value or self._blocked:
            return CVM.CVM_FAILURE
        # A try is spent before the comparison, as OwnerPIN does, so a tear gives no free try.
        self._jc_set_untracked("_tries", self._tries - 1)
        flags = self._flags
        flags.verified = False
        flags.submitted = True
        if _digits(bytes(baBuffer[sOffset:sOffset + bLength]), bFormat) != self._value:
            if self._tries <= 0:
                self._blocked = True
            return CVM.CVM_FAILURE
        self._jc_set_untracked("_tries", self._try_limit)
        flags.verified = True
        return CVM.CVM_SUCCESS


class GPPort:
    """What ``GPSystem`` asks of the card."""

    channel = IsdSecureChannel()

    @staticmethod
    def _isd(card: CardState) -> CardManager:
        isd = service.issuer_domain(card)
        if isd is None:
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        return isd

    def card_state(self) -> int:
        card = _jcre.active()
        with _as_jcre(card):
            return byte(self._isd(card).card_state)

    def content_state(self) -> int:
        card = _jcre.active()
        record = card.context
        with _as_jcre(card):
            isd = self._isd(card)
            if record is None or record.instance is isd:
                return byte(isd.card_state)
            return byte(isd.application_state(record))

    def set_content_state(self, state: int) -> bool:
        card = _jcre.active()
        record = card.context
        state &= 0xFF
        with _as_jcre(card):
            isd = self._isd(card)
            if record is None or record.instance is isd or \
                    not lifecycle.is_application_state(state) or \
                    isd.application_state(record) & lifecycle.APPLICATION_LOCKED:
                return False
            isd.set_application_state(record, state)
            return True

    def secure_channel(self) -> Any:
        return self.channel

    def _move_card(self, privilege: int, state: int) -> bool:
        card = _jcre.active()
        record = card.context
        if not _has_privilege(record, privilege):
            return False
        with _as_jcre(card):
            isd = self._isd(card)
            if not lifecycle.card_transition_allowed(isd.card_state, state):
                return False
            isd.card_state = state
            return True

    def lock_card(self) -> bool:
        return self._move_card(PRIVILEGE_CARD_LOCK, lifecycle.CARD_LOCKED)

    def terminate_card(self) -> bool:
        return self._move_card(PRIVILEGE_CARD_TERMINATE, lifecycle.CARD_TERMINATED)

    def cvm(self, identifier: int) -> Any:
        if identifier & 0xFF != 0x11:
            return None
        card = _jcre.active()
        with _as_jcre(card):
            return self._isd(card).global_pin


_gp.port = GPPort()
