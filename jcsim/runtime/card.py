"""The card: power, the applet table, and the dispatch of each command (JCRE 3.0.5 ch. 3-4).

``Card.exchange(raw, interface)`` is the whole life of one command:

1. shorter than 4 bytes, or inconsistent length fields: 6700; an invalid class byte
   (RFU 0x20-0x3F, 0xFF): 6E00;
2. under T=0, GET RESPONSE / a 6Cxx re-issue is served from the channel's waiting response;
3. a channel that is not open: 6881, except for an applet SELECT, which opens it;
4. MANAGE CHANNEL is carried out by the JCRE (``channels``);
5. an applet SELECT (``selection``), then ``process`` with ``selectingApplet()`` true;
6. anything else goes to the channel's selected applet (6999 when there is none); an extended
   command goes only to an applet that implements ExtendedLength (others: 6700);
7. the result is framed for the protocol (``t0``).

The card is also the framework's port to the runtime (``jcsim.framework._jcre``): the
``JCSystem`` and ``APDU`` static methods call the methods in the last section.
"""

from __future__ import annotations

from typing import Any

from jcsim.apdu import Lengths, decode_lengths
from jcsim.errors import CardPoweredOffError, InstallError, JCSimError, MalformedAPDUError
from jcsim.framework.aid import AID
from jcsim.framework.apdu import APDU
from jcsim.framework.arrays import ByteArray
from jcsim.framework.cla import CLA_TABLE
from jcsim.framework.exceptions import SystemException
from jcsim.framework.interfaces import ExtendedLength, MultiSelectable
from jcsim.framework.iso7816 import ISO7816
from jcsim.lang import SecurityException
from jcsim.runtime import channels, selection
from jcsim.runtime.atr import check_atr, contactless_atr, default_atr
from jcsim.runtime.dispatch import call_in_context, status_word_for
from jcsim.runtime.events import Exchange, Observer
from jcsim.runtime.interface import CONTACT, CONTACTLESS, Interface, LogicalChannel
from jcsim.runtime.registry import AppletRecord, Registry
from jcsim.runtime.t0 import (
    INS_GET_RESPONSE,
    frame_response,
    serve_get_response,
    serve_reissue,
)
from jcsim.runtime.transients import CLEAR_ON_DESELECT, TransientMemory

__all__ = ["PROTOCOLS", "Card"]

PROTOCOLS = {"T=0": APDU.PROTOCOL_T0, "T=1": APDU.PROTOCOL_T1}
CONTACTLESS_PROTOCOL = APDU.PROTOCOL_MEDIA_CONTACTLESS_TYPE_A | APDU.PROTOCOL_T1
DEFAULT_BUFFER_SIZE = 32767 + 7 + 2  # room for the largest extended command a card accepts
MAX_EXTENDED_NC = 32767

_SW_WRONG_LENGTH = b"\x67\x00"
_SW_CLA_NOT_SUPPORTED = b"\x6E\x00"
_SW_CHANNEL_NOT_SUPPORTED = b"\x68\x81"
_SW_NO_APPLET = b"\x69\x99"


def _is_applet_select(raw: bytes) -> bool:
    # JCRE §4.6.2: CLA %b000000cc or %b0100dddd (interindustry, no SM, no chaining), INS A4,
    # P1 04, P2 %b000x xx00 (first or only occurrence; b5 is the RMI reference format flag).
    cla = raw[0]
    return (raw[1] == 0xA4 and raw[2] == 0x04 and (cla & 0xFC == 0 or cla & 0xF0 == 0x40)
            and raw[3] & 0xE3 == 0)


class Card:
    """A simulated Java Card: interfaces, registry, transient memory, power state."""

    def __init__(self, protocol: str = "T=1", atr: bytes | None = None, *,
                 contactless_atr_bytes: bytes | None = None,
                 apdu_buffer_size: int = DEFAULT_BUFFER_SIZE) -> None:
        if protocol not in PROTOCOLS:
            raise JCSimError(f"protocol must be 'T=0' or 'T=1', not {protocol!r}")
        if apdu_buffer_size < 133:
            raise JCSimError("the APDU buffer holds at least 133 bytes (5 + 128)")
        contact_atr = default_atr(protocol) if atr is None else bytes(atr)
        cl_atr = contactless_atr() if contactless_atr_bytes is None else bytes(contactless_atr_bytes)
        for value in (contact_atr, cl_atr):
            try:
                check_atr(value)
            except ValueError as exc:
                raise JCSimError(f"invalid ATR {value.hex().upper()}: {exc}") from exc
        self.registry = Registry()
        self.transients = TransientMemory()
        self.interfaces: dict[str, Interface] = {
            CONTACT: Interface(CONTACT, PROTOCOLS[protocol], contact_atr,
                               APDU(apdu_buffer_size, PROTOCOLS[protocol])),
            CONTACTLESS: Interface(CONTACTLESS, CONTACTLESS_PROTOCOL, cl_atr,
                                   APDU(apdu_buffer_size, CONTACTLESS_PROTOCOL)),
        }
        self.observers: list[Observer] = []
        self.powered = False
        # What the JCRE is doing right now; read by the framework through the port methods.
        self.context: AppletRecord | None = None
        self.assigned_channel_number = 0
        self._cla_channel = 0
        self._apdu: APDU | None = None
        self._selecting: AppletRecord | None = None
        self._reselecting = False
        self._installing: AppletRecord | None = None
        self._install_aid: bytes | None = None

    # --- power -------------------------------------------------------------------------------

    def power_on(self) -> bytes:
        """Cold reset: power up (or cycle power) and answer the contact ATR."""
        self._reset_state()
        self.powered = True
        self._select_defaults()
        return self.interfaces[CONTACT].atr

    def reset(self) -> bytes:
        """Warm reset: the same card state as a cold one; answers the contact ATR."""
        if not self.powered:
            raise CardPoweredOffError("the card has no power: call power_on() first")
        return self.power_on()

    def power_off(self) -> None:
        """Remove power: every channel closes and transient memory is lost."""
        self._reset_state()
        self.powered = False

    def _reset_state(self) -> None:
        # Reset and power loss deselect without calling deselect() (JCRE §4.7).
        for iface in self.interfaces.values():
            iface.close_all()
        self.transients.clear_all()

    def _select_defaults(self) -> None:
        for iface in self.interfaces.values():
            basic = iface.channels[0]
            basic.is_open = True
            default = self.registry.default_for(iface.name)
            if default is not None and selection.may_activate(self, default, basic):
                selection.activate(self, default, iface, basic)

    # --- installation ------------------------------------------------------------------------

    def install(self, applet_class: type, aid: bytes, params: bytes = b"",
                privileges: bytes = b"", default_on: frozenset[str] = frozenset()) -> AID:
        """Create an applet instance through its ``install`` method; returns its AID."""
        if not isinstance(applet_class, type):
            raise InstallError(f"{applet_class!r} is not an applet class")
        if not 5 <= len(aid) <= 16:
            raise InstallError(f"an AID has 5 to 16 bytes, not {len(aid)}")
        if self.registry.find(aid) is not None:
            raise InstallError(f"AID {aid.hex().upper()} is already in use")
        for name in default_on:
            if name not in self.interfaces:
                raise InstallError(f"no interface named {name!r}")
            current = self.registry.default_for(name)
            if current is not None:
                raise InstallError(f"{current!r} is already the default applet on {name}")
        multiselectable = issubclass(applet_class, MultiSelectable)
        package = self.registry.package_for(applet_class)
        if package.multiselectable is not None and package.multiselectable != multiselectable:
            raise InstallError(
                f"package {package.name} mixes MultiSelectable and non-MultiSelectable applet "
                f"classes ({applet_class.__name__} is {'' if multiselectable else 'not '}"
                "MultiSelectable): all applets of a package must agree")
        install_data = (bytes((len(aid),)) + aid + bytes((len(privileges),)) + privileges
                        + bytes((len(params),)) + params)
        if len(install_data) > 127:
            raise InstallError("install parameters exceed 127 bytes with AID and privileges")
        record = AppletRecord(applet_class, package, multiselectable=multiselectable,
                              extended_length=issubclass(applet_class, ExtendedLength))
        b_array = ByteArray(install_data)
        b_array._owner = None  # a JCRE global array
        self._installing, self._install_aid = record, aid
        try:
            call_in_context(self, record, applet_class.install, b_array, 0, len(install_data))
        except Exception as exc:
            raise InstallError(f"{applet_class.__name__}.install() raised {exc!r}") from exc
        finally:
            self._installing = self._install_aid = None
            b_array._jc_clear()
        if record.instance is None:
            raise InstallError(f"{applet_class.__name__}.install() did not register an applet")
        record.default_on = frozenset(default_on)
        package.multiselectable = multiselectable
        self.registry.applets.append(record)
        return record.aid  # type: ignore[return-value]

    # --- commands ----------------------------------------------------------------------------

    def exchange(self, raw: bytes, interface: str = CONTACT) -> bytes:
        """Process one command APDU on ``interface``; returns the response (data + SW)."""
        if not self.powered:
            raise CardPoweredOffError("the card has no power: call power_on() first")
        iface = self.interfaces[interface]
        response = self._exchange(raw, iface)
        if self.observers:
            event = Exchange(interface, bytes(raw), response, self._cla_channel)
            for observer in self.observers:
                observer(event)
        return response

    def _exchange(self, raw: bytes, iface: Interface) -> bytes:
        if len(raw) < 4:
            self._cla_channel = 0
            return _SW_WRONG_LENGTH
        cla = CLA_TABLE[raw[0]]
        if cla is None:
            self._cla_channel = 0
            return _SW_CLA_NOT_SUPPORTED
        self._cla_channel = cla.channel
        try:
            lengths = decode_lengths(raw)
        except MalformedAPDUError:
            return _SW_WRONG_LENGTH
        channel = iface.channels[cla.channel]
        if iface.t0:
            served = self._t0_continuation(channel, raw, lengths)
            if served is not None:
                return served
        if raw[1] == channels.INS_MANAGE_CHANNEL and cla.interindustry:
            data, sw = channels.manage_channel(self, iface, cla, raw, lengths)
            return frame_response(iface.t0, channel, raw, lengths, data, sw)
        if _is_applet_select(raw):
            return self._select(iface, channel, raw, lengths)
        if not channel.is_open:
            return _SW_CHANNEL_NOT_SUPPORTED
        record = channel.selected
        if record is None:
            return _SW_NO_APPLET
        return self._process(iface, channel, record, raw, lengths)

    def _t0_continuation(self, channel: LogicalChannel, raw: bytes,
                         lengths: Lengths) -> bytes | None:
        if channel.reissue is not None:
            response = serve_reissue(channel, raw, lengths)
            if response is not None:
                return response
        if channel.pending is not None:
            if raw[1] == INS_GET_RESPONSE and raw[0] & 0x80 == 0:
                return serve_get_response(channel, raw, lengths)
            channel.pending = None
        return None

    def _select(self, iface: Interface, channel: LogicalChannel, raw: bytes,
                lengths: Lengths) -> bytes:
        """An applet SELECT by AID (JCRE §4.6.2)."""
        channel.is_open = True  # SELECT opens a closed channel
        aid = raw[lengths.cdata_offset:lengths.cdata_offset + lengths.nc]
        candidate = self.registry.find(aid) if aid else None
        if candidate is None and aid:
            candidate = self.registry.find_partial(aid)
        if candidate is None:
            if channel.selected is not None:
                return self._process(iface, channel, channel.selected, raw, lengths)
            return _SW_NO_APPLET
        reselecting = channel.selected is candidate
        if not selection.may_activate(self, candidate, channel):
            return frame_response(iface.t0, channel, raw, lengths, b"",
                                  ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        selection.deactivate(self, iface, channel)
        if selection.activate(self, candidate, iface, channel) != selection.SELECT_OK:
            return _SW_NO_APPLET
        self._selecting, self._reselecting = candidate, reselecting
        try:
            return self._process(iface, channel, candidate, raw, lengths)
        finally:
            self._selecting, self._reselecting = None, False

    def _process(self, iface: Interface, channel: LogicalChannel, record: AppletRecord,
                 raw: bytes, lengths: Lengths) -> bytes:
        """Run the applet's ``process`` on this command and frame what it answers."""
        if lengths.extended and (not record.extended_length or lengths.nc > MAX_EXTENDED_NC):
            return _SW_WRONG_LENGTH
        apdu = iface.apdu
        ne = min(lengths.ne, MAX_EXTENDED_NC)
        apdu._begin(raw, lengths.cdata_offset, lengths.nc, ne, lengths.le_present,
                    record.extended_length)
        self._apdu = apdu
        self.assigned_channel_number = channel.number
        try:
            call_in_context(self, record, record.instance.process, apdu)
            sw = ISO7816.SW_NO_ERROR
            data = apdu._output
        except Exception as exc:  # noqa: BLE001 - the JCRE answers every failure with a SW
            sw = status_word_for(exc, f"{record!r}.process")
            data = apdu._output if sw != ISO7816.SW_UNKNOWN else b""
        finally:
            self._apdu = None
        return frame_response(iface.t0, channel, raw, lengths, data, sw)

    # --- the framework's port (jcsim.framework._jcre) ----------------------------------------

    def current_context(self) -> AppletRecord | None:
        return self.context

    def context_aid(self) -> AID | None:
        return None if self.context is None else self.context.aid

    def lookup_aid(self, aid_bytes: bytes) -> AID | None:
        record = self.registry.find(aid_bytes)
        return None if record is None else record.aid

    def assigned_channel(self) -> int:
        return self.assigned_channel_number

    def cla_channel(self) -> int:
        return self._cla_channel

    def current_apdu(self) -> APDU:
        if self._apdu is None or self._installing is not None:
            raise SecurityException("no APDU is being processed in this context")
        return self._apdu

    def selecting_applet(self, applet: Any) -> bool:
        return self._selecting is not None and self._selecting.instance is applet

    def reselecting_applet(self, applet: Any) -> bool:
        return self._reselecting and self.selecting_applet(applet)

    def make_transient(self, obj: Any, event: int) -> None:
        context = self.context
        if event == CLEAR_ON_DESELECT and context is not None:
            if context is not self._installing and not self._is_selected_context(context):
                raise SystemException(SystemException.ILLEGAL_TRANSIENT)
        self.transients.add(obj, event, None if context is None else context.package)

    def _is_selected_context(self, context: AppletRecord) -> bool:
        for iface in self.interfaces.values():
            for channel in iface.channels:
                if channel.selected is not None and channel.selected.package is context.package:
                    return True
        return False

    def register_applet(self, applet: Any, aid_bytes: bytes | None) -> None:
        record = self._installing
        if record is None or record.instance is not None:
            raise SystemException(SystemException.ILLEGAL_AID)
        aid = self._install_aid if aid_bytes is None else aid_bytes
        if aid is None or self.registry.find(aid) is not None:
            raise SystemException(SystemException.ILLEGAL_AID)
        record.aid = AID(aid)
        record.instance = applet
        record.multiselectable = isinstance(applet, MultiSelectable)
        record.extended_length = isinstance(applet, ExtendedLength)
