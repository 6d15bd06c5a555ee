"""The card manager: the GlobalPlatform issuer security domain, which is the card's installer
(GlobalPlatform Card Specification 2.3, §11; its secure channels: Amendment D and v2.2
Appendix E, in ``runtime/gp``).

Selected by the ISD AID A0 00 00 01 51 00 00 00 like any applet (it is not the default applet
unless installed as such). It understands, with CLA 80 (84 when secured):

- INSTALL [for install] / [for make selectable] / both (``80 E6 04|08|0C 00``; an instance
  installed with 04 alone is INSTALLED, not selectable, until 08 names it): data
  ``Lelf ELF-AID Lmod class-AID Lapp instance-AID Lpriv privileges Lparams params Ltoken``,
  params holding ``C9 len applet-data``; creates an instance of a class of a loaded package
  (P1 = 04 and 0C alike: an instance is selectable from its creation). P1 = 08 alone names an
  installed instance (empty load file and class AIDs) and answers 6A88 if there is none.
- DELETE (``80 E4 00 00``: the applet or package only; ``80 E4 00 80``: a package and its
  applets): data ``4F len AID``; or a key set: ``D2 01 KVN`` (with ``D0 01 id`` naming one of
  its keys, which removes the set, as jcsim keeps whole key sets).
- GET STATUS (``80 F2 P1 P2 4F len AID-prefix``) for P1 = 80 (the ISD), 40 (applications),
  20 (load files) and 10 (load files and their modules), in the legacy format (P2 = 00) or as
  E3 templates (P2 = 02), with 63 10 and P2 b1 = 1 for the next part of a long answer.
- INITIALIZE UPDATE / EXTERNAL AUTHENTICATE open an SCP03 or SCP02 secure channel session on
  the logical channel (``runtime/gp``); later commands on that channel are unwrapped and their
  answers wrapped at the session's security level.
- GET DATA (``00|80 CA``) for the key information template (00 E0), CPLC (9F 7F), IIN (42), CIN
  (45) and card data (66); PUT KEY (``80 D8``) and SET STATUS (``80 F0``): ``gp/isd_commands``.

INSTALL, DELETE, PUT KEY and SET STATUS need an authenticated session once the card life cycle
is SECURED (the default), unless the card was made with ``gp_open`` (then plain CLA 80 works,
as on a development card). Answers use GlobalPlatform's status words: 6A88 referenced data
(or key set) not found, 6985 conditions of use not satisfied, 6982 security status not
satisfied, 6300 authentication failed, 6A80 wrong data, 6A86 wrong P1 P2, 6A84 not enough
memory, 6D00 / 6E00.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn

from jcsim.errors import InstallError
from jcsim.framework import _jcre
from jcsim.framework.applet import Applet
from jcsim.framework.exceptions import ISOException, SystemException
from jcsim.framework.iso7816 import ISO7816
from jcsim.package import JavaCardPackage
from jcsim.runtime.gp import isd_commands, lifecycle, service
from jcsim.runtime.gp.keys import default_key_sets
from jcsim.runtime.gp.port import GlobalPIN
from jcsim.runtime.gp.session import Command, SecureSession, SessionState
from jcsim.runtime.registry import AppletRecord

if TYPE_CHECKING:
    from jcsim.runtime.card import Card
    from jcsim.runtime.card_state import CardState

__all__ = ["CARD_MANAGER_AID", "CardManager", "may_select"]

CARD_MANAGER_AID = bytes.fromhex("A000000151000000")
JAVACARD_PACKAGE = JavaCardPackage(aid="A0 00 00 01 51 00 00",
                                   applets={"CardManager": "A0 00 00 01 51 53 50 00"})

INS_INSTALL, INS_DELETE, INS_GET_STATUS = 0xE6, 0xE4, 0xF2
INS_GET_DATA, INS_PUT_KEY, INS_SET_STATUS = 0xCA, 0xD8, 0xF0
SUPPORTED = frozenset({INS_INSTALL, INS_DELETE, INS_GET_STATUS, INS_GET_DATA, INS_PUT_KEY,
                       INS_SET_STATUS, service.INS_INITIALIZE_UPDATE,
                       service.INS_EXTERNAL_AUTHENTICATE})
# The commands that need an authenticated secure channel once the card is SECURED.
PRIVILEGED = frozenset({INS_INSTALL, INS_DELETE, INS_PUT_KEY, INS_SET_STATUS})
DEFAULT_IIN = bytes.fromhex("4A43534D")  # "JCSM"
DEFAULT_CIN = bytes.fromhex("4A4353494D0000000001")
SW_NOT_FOUND = 0x6A88
SW_MORE_DATA = 0x6310
SW_NOT_ENOUGH_MEMORY = 0x6A84
LIFECYCLE_INSTALLED = 0x03
LIFECYCLE_SELECTABLE = 0x07
LIFECYCLE_LOADED = 0x01
ISD_PRIVILEGES = 0x9E
MAX_STATUS = 254  # GET STATUS data per response before 63 10


def _fail(sw: int) -> NoReturn:
    raise ISOException(sw)


def _lv_fields(data: bytes, count: int) -> list[bytes]:
    """Split ``count`` length-prefixed fields; 6A80 if the data does not hold them exactly."""
    fields, offset = [], 0
    for _ in range(count):
        if offset >= len(data):
            _fail(ISO7816.SW_WRONG_DATA)
        length = data[offset]
        if offset + 1 + length > len(data):
            _fail(ISO7816.SW_WRONG_DATA)
        fields.append(data[offset + 1:offset + 1 + length])
        offset += 1 + length
    if offset != len(data):
        _fail(ISO7816.SW_WRONG_DATA)
    return fields


def _tlv(tag: bytes, value: bytes) -> bytes:
    return tag + bytes((len(value),)) + value


def _aid_filter(data: bytes) -> bytes:
    """The AID prefix of a ``4F len AID`` search criterion (``4F 00``: everything)."""
    if len(data) < 2 or data[0] != 0x4F or data[1] != len(data) - 2:
        _fail(ISO7816.SW_WRONG_DATA)
    return data[2:]


def may_select(card: CardState, record: AppletRecord) -> bool:
    """False for an application the card life cycle or its own LOCKED state keeps from being
    selected (GPCS §5.1.1.4-5, §5.3.1)."""
    if record.aid_value == CARD_MANAGER_AID:
        return True
    isd = service.issuer_domain(card)
    if isd is None:
        return True
    if isd.card_state in (lifecycle.CARD_LOCKED, lifecycle.CARD_TERMINATED):
        return False
    return not isd.application_states.get(record.aid_value, 0) & lifecycle.APPLICATION_LOCKED


def applet_classes(package: Any) -> list[type]:
    """The applet classes defined in a package's modules."""
    found = []
    for module in package.modules():
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, Applet) and \
                    value.__module__ == module.__name__ and value is not Applet:
                found.append(value)
    return found


class CardManager(Applet):
    """The issuer security domain (see the module documentation)."""

    # Defaults for a card image saved before the card manager kept GlobalPlatform state:
    # the fields below are read from the class until the first write replaces them. Every
    # card in the process shares them, so the tables are read-only views.
    key_sets: Mapping[int, tuple[int, int, bytes, bytes, bytes]] = MappingProxyType(
        default_key_sets())
    sequence_counters: Mapping[int, int] = MappingProxyType({})
    card_state = lifecycle.CARD_SECURED
    open_access = False
    application_states: Mapping[bytes, int] = MappingProxyType({})
    diversification_data = bytes(10)
    iin = DEFAULT_IIN
    cin = DEFAULT_CIN
    cplc = isd_commands.default_cplc(DEFAULT_CIN)
    global_pin: Any = None

    def __init__(self) -> None:
        # Where the next GET STATUS "next occurrence" starts (entries already sent).
        self.status_cursor = 0
        # Persistent GlobalPlatform state; each dict is replaced whole when it changes, so the
        # journal (transactions, tears) and card images see every change.
        self.key_sets = default_key_sets()
        self.sequence_counters = {}
        self.card_state = lifecycle.CARD_SECURED
        self.open_access = False
        self.application_states = {}
        self.diversification_data = bytes(10)
        self.iin = DEFAULT_IIN
        self.cin = DEFAULT_CIN
        self.cplc = isd_commands.default_cplc(DEFAULT_CIN)
        pin = GlobalPIN()
        # The global PIN is the OPEN's, in no applet's context: every applet may use it.
        object.__setattr__(pin, "_jc_owner", None)
        self.global_pin = pin

    # --- state the runtime and org.globalplatform read ------------------------------------

    def next_sequence(self, kvn: int, limit: int) -> int:
        """Count one more INITIALIZE UPDATE on key set ``kvn``; 6985 once it is exhausted."""
        value = self.sequence_counters.get(kvn, 0) + 1
        if value > limit:
            _fail(ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        counters = dict(self.sequence_counters)
        counters[kvn] = value
        # Outside any transaction, as a try counter: an aborted transaction must not give a
        # card challenge back for reuse.
        self._jc_set_untracked("sequence_counters", counters)
        return value

    def application_state(self, record: AppletRecord) -> int:
        state = self.application_states.get(record.aid_value)
        if state is not None:
            return state
        return LIFECYCLE_SELECTABLE if record.selectable else LIFECYCLE_INSTALLED

    def set_application_state(self, record: AppletRecord, state: int) -> None:
        states = dict(self.application_states)
        states[record.aid_value] = state
        self.application_states = states

    def may_manage(self, authenticated: bool) -> bool:
        """Privileged commands: with an authenticated session, or before SECURED, or on a card
        built with ``gp_open``."""
        return authenticated or self.open_access or self.card_state in (
            lifecycle.CARD_OP_READY, lifecycle.CARD_INITIALIZED)

    # --- commands ------------------------------------------------------------------------

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        if not apdu.isValidCLA() or (apdu.isISOInterindustryCLA() and ins != INS_GET_DATA):
            _fail(ISO7816.SW_CLA_NOT_SUPPORTED)
        if ins not in SUPPORTED:
            _fail(ISO7816.SW_INS_NOT_SUPPORTED)
        if self.card_state == lifecycle.CARD_TERMINATED and ins != INS_GET_DATA:
            _fail(ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        length = apdu.setIncomingAndReceive()
        offset = apdu.getOffsetCdata()
        data = bytes(buf[offset:offset + length])
        raw = bytes(buf[0:4]) + (bytes((length,)) + data if length else b"")
        card: Card = _jcre.active()
        me = card.registry.applet(CARD_MANAGER_AID)
        if ins == service.INS_INITIALIZE_UPDATE:
            answer = service.initialize_update(card, me, raw)
            self.send(apdu, answer)
            return
        if ins == service.INS_EXTERNAL_AUTHENTICATE:
            service.external_authenticate(card, me, raw)
            return
        session = service.session_of(card, me)
        authenticated = False
        if session is not None and session.state == SessionState.AUTHENTICATED:
            raw = session.unwrap(raw)
            authenticated = True
        else:
            if session is not None:
                # Anything but EXTERNAL AUTHENTICATE after INITIALIZE UPDATE ends the session.
                session.close()
            if apdu.isSecureMessagingCLA():
                _fail(ISO7816.SW_SECURITY_STATUS_NOT_SATISFIED)
            session = None
        command = Command.parse(raw)
        if ins in PRIVILEGED and not self.may_manage(authenticated):
            _fail(ISO7816.SW_SECURITY_STATUS_NOT_SATISFIED)
        try:
            answer, sw = self.dispatch(card, ins, command.p1, command.p2, command.data, session)
        except ISOException as refusal:
            # An SCP02 R-MAC covers error answers too (SCP03 leaves them bare).
            answer, sw = b"", refusal.getReason() & 0xFFFF
        if session is not None:
            answer = session.wrap(answer, sw)
        self.send(apdu, answer)
        if sw != ISO7816.SW_NO_ERROR:
            _fail(sw)

    @staticmethod
    def send(apdu: Any, answer: bytes) -> None:
        buf = apdu.getBuffer()
        buf[0:len(answer)] = answer
        apdu.setOutgoingAndSend(0, len(answer))

    def dispatch(self, card: Card, ins: int, p1: int, p2: int, data: bytes,
                 session: SecureSession | None) -> tuple[bytes, int]:
        ok = ISO7816.SW_NO_ERROR
        if ins == INS_INSTALL:
            self.install_command(card, p1, p2, data)
            return b"\x00", ok
        if ins == INS_DELETE:
            self.delete_command(card, p1, p2, data)
            return b"\x00", ok
        if ins == INS_GET_STATUS:
            # Leave room for the R-MAC (and R-ENCRYPTION's padding) in a short answer.
            overhead = 0 if session is None else session.response_overhead()
            return self.get_status(card, p1, p2, data, MAX_STATUS - overhead)
        if ins == INS_GET_DATA:
            return isd_commands.get_data(self, p1, p2), ok
        if ins == INS_PUT_KEY:
            return isd_commands.put_key(self, p1, p2, data, session), ok
        isd_commands.set_status(self, card, p1, p2, data)
        return b"", ok

    # --- INSTALL -------------------------------------------------------------------------------

    def install_command(self, card: Card, p1: int, p2: int, data: bytes) -> None:
        if p1 & 0x7F not in (0x04, 0x08, 0x0C) or p2 != 0:
            _fail(ISO7816.SW_INCORRECT_P1P2)
        elf, module, instance, privileges, params, _token = _lv_fields(data, 6)
        if p1 & 0x7F == 0x08:
            # [for make selectable] alone names an existing instance (empty load file and
            # module AIDs). Every instance here is selectable from its installation on.
            if elf or module:
                _fail(ISO7816.SW_WRONG_DATA)
            record = card.registry.find(instance)
            if record is None:
                _fail(SW_NOT_FOUND)
            if record.selectable:
                _fail(ISO7816.SW_CONDITIONS_NOT_SATISFIED)
            record.selectable = True
            card.registry_changes += 1
            return
        package = card.registry.package_by_aid(elf)
        if package is None:
            _fail(SW_NOT_FOUND)
        classes = {package.resolved.class_aid(c): c for c in applet_classes(package)}
        applet_class = classes.get(module)
        if applet_class is None:
            _fail(SW_NOT_FOUND)
        applet_data = self.applet_data(params)
        if not 5 <= len(instance) <= 16 or card.registry.find(instance) is not None:
            _fail(ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        try:
            # The instance AID is the one the applet registered under: install() passes it the
            # command's, but register(bArray, bOffset, bLength) may name another.
            registered = card.install(applet_class, instance, applet_data, privileges)
            # [for install] without [for make selectable] leaves it INSTALLED: no SELECT
            # reaches it until an INSTALL [for make selectable] (GPCS §11.5).
            card.registry.applet(registered.value).selectable = bool(p1 & 0x08)
        except InstallError as exc:
            cause = exc.__cause__
            if isinstance(cause, SystemException) and cause.getReason() in (
                    SystemException.NO_RESOURCE, SystemException.NO_TRANSIENT_SPACE):
                _fail(SW_NOT_ENOUGH_MEMORY)
            _fail(ISO7816.SW_CONDITIONS_NOT_SATISFIED)

    @staticmethod
    def applet_data(params: bytes) -> bytes:
        """The value of tag C9 in the install parameters (GPCS §11.5.2.3.7)."""
        offset = 0
        while offset + 2 <= len(params):
            tag, length = params[offset], params[offset + 1]
            if offset + 2 + length > len(params):
                break
            if tag == 0xC9:
                return params[offset + 2:offset + 2 + length]
            offset += 2 + length
        _fail(ISO7816.SW_WRONG_DATA)
        return b""

    # --- DELETE --------------------------------------------------------------------------------

    def delete_command(self, card: Card, p1: int, p2: int, data: bytes) -> None:
        from jcsim.runtime.deletion import DeletionRefusedError

        if p1 != 0 or p2 not in (0x00, 0x80):
            _fail(ISO7816.SW_INCORRECT_P1P2)
        if data[:1] in (b"\xD0", b"\xD2"):
            isd_commands.delete_key(self, data)
            return
        if len(data) < 7 or data[0] != 0x4F or data[1] != len(data) - 2:
            _fail(ISO7816.SW_WRONG_DATA)
        aid = data[2:]
        try:
            if card.registry.find(aid) is not None:
                card.delete_applet(aid)
            elif card.registry.package_by_aid(aid) is not None:
                card.delete_package(aid, with_applets=p2 == 0x80)
            else:
                _fail(SW_NOT_FOUND)
        except DeletionRefusedError:
            _fail(ISO7816.SW_CONDITIONS_NOT_SATISFIED)

    # --- GET STATUS ----------------------------------------------------------------------------

    def entries(self, card: Card, p1: int, prefix: bytes, tlv: bool) -> list[bytes]:
        entries: list[bytes] = []
        # (AID, life cycle state, privileges, ELF AID or None, module AIDs) per entry.
        rows: list[tuple[bytes, int, bytes, bytes | None, list[bytes]]]
        if p1 == 0x80:
            me = card.registry.applet(CARD_MANAGER_AID)
            rows = [(me.aid_value, self.card_state, bytes((ISD_PRIVILEGES,)), None, [])]
        elif p1 == 0x40:
            rows = [(r.aid_value, self.application_state(r),
                     r.privileges[:1] or b"\x00",
                     r.package.aid, []) for r in card.registry.applets
                    if r.aid_value != CARD_MANAGER_AID]
        elif p1 in (0x20, 0x10):
            rows = [(p.aid, LIFECYCLE_LOADED, b"\x00", None,
                     [p.resolved.class_aid(c) for c in applet_classes(p)] if p1 == 0x10 else [])
                    for p in card.registry.packages.values()]
        else:
            _fail(ISO7816.SW_INCORRECT_P1P2)
        for aid, state, privileges, elf, modules in rows:
            if not aid.startswith(prefix):
                continue
            if tlv:
                body = _tlv(b"\x4F", aid) + _tlv(b"\x9F\x70", bytes((state,)))
                body += _tlv(b"\xC5", privileges)
                if elf is not None:
                    body += _tlv(b"\xC4", elf)
                for module in modules:
                    body += _tlv(b"\x84", module)
                entries.append(_tlv(b"\xE3", body))
            else:
                entry = bytes((len(aid),)) + aid + bytes((state, privileges[0]))
                if p1 == 0x10:
                    entry += bytes((len(modules),)) + b"".join(bytes((len(m),)) + m
                                                              for m in modules)
                entries.append(entry)
        return entries

    def get_status(self, card: Card, p1: int, p2: int, data: bytes,
                   room: int = MAX_STATUS) -> tuple[bytes, int]:
        if p2 & ~0x03:
            _fail(ISO7816.SW_INCORRECT_P1P2)
        prefix = _aid_filter(data)
        entries = self.entries(card, p1, prefix, tlv=bool(p2 & 0x02))
        start = self.status_cursor if p2 & 0x01 else 0
        if not entries or start >= len(entries):
            self.status_cursor = 0
            _fail(SW_NOT_FOUND)
        answer = b""
        index = start
        while index < len(entries) and len(answer) + len(entries[index]) <= room:
            answer += entries[index]
            index += 1
        if index < len(entries):
            self.status_cursor = index
            return answer, SW_MORE_DATA
        self.status_cursor = 0
        return answer, ISO7816.SW_NO_ERROR
