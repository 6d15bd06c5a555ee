"""A GlobalPlatform card management client over any transport (GP Card Specification v2.3
§11): select the Issuer Security Domain, open an SCP02 or SCP03 secure channel, then GET
STATUS, INSTALL, DELETE, PUT KEY, SET STATUS and GET DATA through it::

    from jcsim.gp import GPClient, KeySet

    gp = GPClient(sim)                    # a Simulator, a pyscard connection, a reader name
    gp.select_isd()
    gp.open_secure_channel(KeySet.default(), security_level=0x33)
    for entry in gp.list():
        print(entry.kind, entry.aid.hex(), entry.state)

A refused command raises ``GPCommandError`` with its status word; the card's secure channel
errors raise ``SecureChannelError`` subclasses.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Callable
from typing import Any, ClassVar

from jcsim.apdu import parse_hex
from jcsim.errors import JCSimError
from jcsim.gp.scp02 import SCP02Session
from jcsim.gp.scp03 import SCP03Session
from jcsim.gp.session import (
    C_MAC,
    AuthenticationError,
    KeySet,
    SecureSession,
    initialize_update_command,
    parse_initialize_update,
    proprietary_cla,
)
from jcsim.gp.status import (
    CPLC,
    KeyInfo,
    StatusEntry,
    parse_cplc,
    parse_key_information,
    parse_status_legacy,
    parse_status_tlv,
    parse_tlv,
)
from jcsim.gp.transport import Transport, transport_for

__all__ = [
    "ISD_AID",
    "GPClient",
    "GPCommandError",
    "open_session",
]

ISD_AID = bytes.fromhex("A000000151000000")
SCP03_DEFAULT_VERSION = 0x30
SCP02_DEFAULT_VERSION = 0x20

INS_DELETE, INS_INSTALL, INS_GET_STATUS, INS_PUT_KEY = 0xE4, 0xE6, 0xF2, 0xD8
INS_SET_STATUS, INS_GET_DATA = 0xF0, 0xCA
SW_MORE = 0x6310
MAX_STATUS_PARTS = 256  # a card that answers 63 10 for ever does not hold the host for ever

# SET STATUS scopes (P1) and the life cycle values a host asks for (GPCS §11.10).
SCOPE_CARD, SCOPE_APPLICATION = 0x80, 0x40
CARD_LOCKED, SECURED, INITIALIZED, TERMINATED = 0x7F, 0x0F, 0x07, 0xFF
APPLICATION_LOCK, APPLICATION_UNLOCK = 0x80, 0x00

STATUS_KINDS = {0x80: "ISD", 0x40: "APP", 0x20: "PKG", 0x10: "PKG"}


class GPCommandError(JCSimError):
    """The card refused a card management command: ``sw`` says why."""

    MEANINGS: ClassVar[dict[int, str]] = {
        0x6A88: "referenced data not found", 0x6985: "conditions of use not satisfied",
        0x6982: "security status not satisfied", 0x6A80: "wrong data",
        0x6A86: "wrong P1 P2", 0x6A84: "not enough memory", 0x6D00: "INS not supported",
        0x6E00: "CLA not supported", 0x6A82: "not found", 0x6700: "wrong length",
        0x6581: "memory failure", 0x6300: "authentication failed",
        0x6283: "selected file invalidated (card locked)", 0x6999: "selection failed",
        0x6882: "secure messaging not supported", 0x6A81: "function not supported"}

    def __init__(self, what: str, sw: int) -> None:
        meaning = self.MEANINGS.get(sw, "")
        super().__init__(f"{what}: {sw:04X}{f' ({meaning})' if meaning else ''}")
        self.sw = sw


def open_session(keys: KeySet, host_challenge: bytes, answer_data: bytes, security_level: int,
                 channel: int = 0, *, scp02_i: int = 0x55) -> SecureSession:
    """The session for a card's INITIALIZE UPDATE answer: SCP02 or SCP03, as its key
    information says; the card cryptogram is checked (``AuthenticationError`` if wrong)."""
    answer = parse_initialize_update(answer_data)
    if answer.scp == 3:
        return SCP03Session(keys, host_challenge, answer, security_level, channel)
    return SCP02Session(keys, host_challenge, answer, security_level, channel, i=scp02_i)


def _lv(value: bytes) -> bytes:
    if len(value) > 255:
        raise ValueError("a length-value field holds at most 255 bytes")
    return bytes((len(value),)) + value


def _aid(value: bytes | str) -> bytes:
    aid = parse_hex(value) if isinstance(value, str) else bytes(value)
    if not 5 <= len(aid) <= 16:
        raise ValueError(f"an AID has 5 to 16 bytes, not {len(aid)}")
    return aid


class GPClient:
    """Card management over ``target`` (see ``transport_for``) on logical ``channel``."""

    def __init__(self, target: Any, *, channel: int = 0, isd_aid: bytes = ISD_AID,
                 random_bytes: Callable[[int], bytes] = os.urandom) -> None:
        self.transport: Transport = transport_for(target)
        self.channel = channel
        self.isd_aid = bytes(isd_aid)
        self.random_bytes = random_bytes
        self.session: SecureSession | None = None
        # Each exchange is told to the observers as (command as meant, command as sent, response
        # as received, response as unwrapped); the CLI's trace is one.
        self.observers: list[Callable[[bytes, bytes, bytes, bytes], None]] = []

    # --- exchanging --------------------------------------------------------------------------

    def _transmit(self, wire: bytes) -> bytes:
        response = bytes(self.transport.transmit(wire))
        if len(response) < 2:
            raise GPCommandError(f"the card answered {len(response)} bytes, without a status "
                                 "word", 0x6F00)
        return response

    def _tell(self, plain: bytes, wire: bytes, response: bytes, unwrapped: bytes) -> None:
        for observer in self.observers:
            observer(plain, wire, response, unwrapped)

    def send(self, command: bytes) -> tuple[bytes, int]:
        """Send a plain command (CLA 80 on the client's channel, or any other CLA); under an
        open session it goes wrapped and its answer is unwrapped. Returns (data, SW)."""
        command = bytes(command)
        session = self.session
        if session is not None and session.is_open:
            wire = session.wrap(command)
            received = self._transmit(wire)
            if received[-2:] == b"\x69\x82" and wire != command:
                # GPCS §10.2.3: a card that cannot verify a secured command closes the session.
                session.close()
                self._tell(command, wire, received, received)
                return received[:-2], 0x6982
            try:
                response = session.unwrap(received)
            finally:
                if not session.is_open:
                    self._tell(command, wire, received, b"")
            self._tell(command, wire, received, response)
        else:
            response = self._transmit(command)
            self._tell(command, command, response, response)
        return response[:-2], (response[-2] << 8) | response[-1]

    def _checked(self, command: bytes, what: str, ok: tuple[int, ...] = (0x9000,)) -> bytes:
        data, sw = self.send(command)
        if sw not in ok:
            raise GPCommandError(what, sw)
        return data

    def _cla(self) -> int:
        return proprietary_cla(self.channel)

    # --- selection and the secure channel ----------------------------------------------------

    def select(self, aid: bytes | str) -> bytes:
        """SELECT by AID on the client's channel; returns the FCI. A new selection ends the
        secure channel."""
        value = parse_hex(aid) if isinstance(aid, str) else bytes(aid)
        if not 1 <= len(value) <= 16:
            raise ValueError(f"SELECT by AID takes 1 to 16 bytes, not {len(value)}")
        cla = self.channel if self.channel < 4 else 0x40 | (self.channel - 4)
        self.session = None
        command = bytes((cla, 0xA4, 0x04, 0x00, len(value))) + value + b"\x00"
        return self._checked(command, f"SELECT {value.hex().upper()}")

    def select_isd(self) -> bytes:
        return self.select(self.isd_aid)

    def open_logical_channel(self) -> None:
        """MANAGE CHANNEL OPEN of the client's own channel number (``00 70 00 0n``, ISO 7816-4
        §11.1.2), sent on the basic channel; nothing to do for channel 0."""
        if self.channel:
            self._checked(bytes((0x00, 0x70, 0x00, self.channel)),
                          f"MANAGE CHANNEL OPEN {self.channel}")

    def open_secure_channel(self, keys: KeySet | None = None, security_level: int = C_MAC, *,
                            scp: int | None = None, key_version: int | None = None,
                            host_challenge: bytes | None = None,
                            scp02_i: int = 0x55, s16: bool = False) -> SecureSession:
        """INITIALIZE UPDATE and EXTERNAL AUTHENTICATE. Without ``keys`` the GlobalPlatform
        test keys are used. The key version asked for is ``key_version``, else the key set's,
        else 30 for ``scp=3``, 20 for ``scp=2`` and 00 (any) when the protocol is left to the
        card; the protocol is then read from the card's answer. ``s16`` sends a 16-byte host
        challenge for an SCP03 card in S16 mode."""
        keys = keys or KeySet.default()
        if key_version is None:
            key_version = keys.version or {3: SCP03_DEFAULT_VERSION,
                                           2: SCP02_DEFAULT_VERSION}.get(scp or 0, 0)
        challenge = host_challenge if host_challenge is not None else \
            self.random_bytes(16 if s16 else 8)
        self.session = None
        data, sw = self.send(initialize_update_command(key_version, challenge, self.channel))
        if sw != 0x9000:
            raise AuthenticationError(f"INITIALIZE UPDATE (key version {key_version:02X}) was "
                                      f"refused with {sw:04X}", sw)
        answer = parse_initialize_update(data)
        if scp is not None and answer.scp != scp:
            raise AuthenticationError(f"asked for SCP0{scp}, the card answers SCP0{answer.scp}")
        if (len(answer.card_challenge) == 16 and len(challenge) != 16) or \
                (len(answer.card_challenge) == 8 and answer.scp == 3 and len(challenge) != 8):
            raise AuthenticationError(f"the card answers in SCP03 S{len(answer.card_challenge)} "
                                      f"mode to a {len(challenge)}-byte host challenge"
                                      + (" (use s16=True)" if not s16 else ""))
        if key_version and answer.key_version != key_version:
            raise AuthenticationError(f"asked for key version {key_version:02X}, the card "
                                      f"answered with {answer.key_version:02X}")
        session = open_session(keys, challenge, data, security_level, self.channel,
                               scp02_i=scp02_i)
        authenticate = session.external_authenticate()
        response = self._transmit(authenticate)
        self._tell(authenticate, authenticate, response, response)
        session.receive_external_authenticate(response)
        self.session = session
        return session

    def close_secure_channel(self) -> None:
        if self.session is not None:
            self.session.close()
        self.session = None

    # --- GET STATUS --------------------------------------------------------------------------

    def get_status(self, p1: int, aid_prefix: bytes = b"", *,
                   tlv: bool = True) -> list[StatusEntry]:
        """Every GET STATUS entry of ``p1`` (80 ISD, 40 applications, 20 load files, 10 load
        files and modules), following 63 10 for more; an empty list when the card has none."""
        kind = STATUS_KINDS.get(p1)
        if kind is None:
            raise ValueError(f"GET STATUS P1 is 80, 40, 20 or 10, not {p1:02X}")
        criteria = b"\x4F" + _lv(bytes(aid_prefix))
        p2 = 0x02 if tlv else 0x00
        answer = b""
        for _ in range(MAX_STATUS_PARTS):
            data, sw = self.send(bytes((self._cla(), INS_GET_STATUS, p1, p2, len(criteria)))
                                 + criteria + b"\x00")
            if sw == 0x6A88 and not answer:
                return []
            if sw not in (0x9000, SW_MORE):
                raise GPCommandError(f"GET STATUS {p1:02X}", sw)
            answer += data
            if sw == 0x9000:
                break
            p2 |= 0x01
        else:
            raise GPCommandError(f"GET STATUS {p1:02X} still had more after {MAX_STATUS_PARTS} "
                                 "parts", SW_MORE)
        if tlv:
            return parse_status_tlv(kind, answer)
        return parse_status_legacy(kind, answer, with_modules=p1 == 0x10)

    def list(self, *, tlv: bool | None = None) -> list[StatusEntry]:
        """The ISD, the applications and the load files (with their modules when the card
        tells them). ``tlv=None`` tries the template format first, then the legacy one."""
        formats = [tlv] if tlv is not None else [True, False]
        for index, use_tlv in enumerate(formats):
            try:
                entries = self.get_status(0x80, tlv=use_tlv) + self.get_status(0x40, tlv=use_tlv)
                try:
                    entries += self.get_status(0x10, tlv=use_tlv)
                except GPCommandError as exc:
                    if exc.sw != 0x6A86:
                        raise
                    entries += self.get_status(0x20, tlv=use_tlv)
                return entries
            except GPCommandError as exc:
                if index + 1 == len(formats) or exc.sw not in (0x6A86, 0x6A80):
                    raise
        return []

    # --- content management ------------------------------------------------------------------

    def install(self, package: bytes | str, applet_class: bytes | str, instance: bytes | str,
                *, privileges: bytes = b"\x00", parameters: bytes = b"",
                make_selectable: bool = True) -> None:
        """INSTALL [for install] (and [for make selectable]) of ``applet_class`` from the
        loaded ``package`` as ``instance``; ``parameters`` become the applet data (C9)."""
        p1 = 0x0C if make_selectable else 0x04
        params = b"\xC9" + _lv(bytes(parameters))
        data = (_lv(_aid(package)) + _lv(_aid(applet_class)) + _lv(_aid(instance))
                + _lv(bytes(privileges)) + _lv(params) + _lv(b""))
        self._checked(bytes((self._cla(), INS_INSTALL, p1, 0x00, len(data))) + data + b"\x00",
                      f"INSTALL [for install] {_aid(instance).hex().upper()}")

    def make_selectable(self, instance: bytes | str, privileges: bytes = b"\x00") -> None:
        """INSTALL [for make selectable] of an INSTALLED instance."""
        data = (_lv(b"") + _lv(b"") + _lv(_aid(instance)) + _lv(bytes(privileges)) + _lv(b"")
                + _lv(b""))
        self._checked(bytes((self._cla(), INS_INSTALL, 0x08, 0x00, len(data))) + data + b"\x00",
                      f"INSTALL [for make selectable] {_aid(instance).hex().upper()}")

    def delete(self, aid: bytes | str, *, related: bool = False) -> None:
        """DELETE an application or a load file; ``related`` also deletes a load file's
        applications (P2 = 80)."""
        value = _aid(aid)
        data = b"\x4F" + _lv(value)
        self._checked(bytes((self._cla(), INS_DELETE, 0x00, 0x80 if related else 0x00,
                             len(data))) + data + b"\x00", f"DELETE {value.hex().upper()}")

    # --- keys --------------------------------------------------------------------------------

    def put_key(self, new_keys: KeySet, *, replace_version: int = 0, key_id: int = 1) -> None:
        """PUT KEY of ENC, MAC and DEK as key set ``new_keys.version``, replacing the key set
        ``replace_version`` (0: add a new one). The keys travel encrypted with the DEK; the
        check values the card answers are compared with ours."""
        session = self.session
        if session is None or not session.is_open:
            raise JCSimError("PUT KEY needs an open secure channel (the keys travel under its "
                             "DEK)")
        if not 1 <= new_keys.version <= 0x7F:
            raise ValueError("the new key set needs a key version number 01-7F")
        aes = isinstance(session, SCP03Session)
        body = bytes((new_keys.version,))
        check_values = b""
        for key in (new_keys.enc, new_keys.mac, new_keys.dek):
            kcv = session.key_check_value(key)
            if aes:
                block = bytes((len(key),)) + session.encrypt_key(key)
                body += b"\x88" + _lv(block) + _lv(kcv)
            else:
                if len(key) != 16:
                    raise ValueError("SCP02 key sets hold 16-byte triple-DES keys")
                body += b"\x80" + _lv(session.encrypt_key(key)) + _lv(kcv)
            check_values += kcv
        command = bytes((self._cla(), INS_PUT_KEY, replace_version, 0x80 | key_id,
                         len(body))) + body + b"\x00"
        answer = self._checked(command, f"PUT KEY version {new_keys.version:02X}")
        if answer and answer != bytes((new_keys.version,)) + check_values:
            raise GPCommandError(f"PUT KEY: the card's answer {answer.hex().upper()} does not "
                                 f"match version {new_keys.version:02X} and the check values "
                                 f"{check_values.hex().upper()}", 0x9000)

    # --- life cycle --------------------------------------------------------------------------

    def set_status(self, scope: int, state: int, aid: bytes | str | None = None) -> None:
        """SET STATUS: ``scope`` 80 (the card, through the ISD) or 40 (an application)."""
        value = self.isd_aid if aid is None else _aid(aid)
        data = value
        self._checked(bytes((self._cla(), INS_SET_STATUS, scope, state, len(data))) + data,
                      f"SET STATUS {scope:02X} {state:02X}")

    def lock_card(self) -> None:
        self.set_status(SCOPE_CARD, CARD_LOCKED)

    def unlock_card(self) -> None:
        self.set_status(SCOPE_CARD, SECURED)

    def lock_application(self, aid: bytes | str) -> None:
        self.set_status(SCOPE_APPLICATION, APPLICATION_LOCK, aid)

    def unlock_application(self, aid: bytes | str) -> None:
        self.set_status(SCOPE_APPLICATION, APPLICATION_UNLOCK, aid)

    # --- GET DATA ----------------------------------------------------------------------------

    def get_data(self, tag: int) -> bytes:
        """GET DATA (80 CA) of a one- or two-byte tag; the answer as the card gives it."""
        command = bytes((self._cla(), INS_GET_DATA, tag >> 8, tag & 0xFF, 0x00))
        return self._checked(command, f"GET DATA {tag:04X}")

    def _get_data_value(self, tag: int) -> bytes:
        data = self.get_data(tag)
        items = parse_tlv(data) if data else []
        if len(items) == 1 and items[0][0] == tag:
            return items[0][1]
        return data

    def cplc(self) -> CPLC:
        return parse_cplc(self.get_data(0x9F7F))

    # builtins.list: in this class, ``list`` is the GET STATUS method above.
    def key_information(self) -> builtins.list[KeyInfo]:
        return parse_key_information(self.get_data(0x00E0))

    def iin(self) -> bytes:
        return self._get_data_value(0x0042)

    def cin(self) -> bytes:
        return self._get_data_value(0x0045)
