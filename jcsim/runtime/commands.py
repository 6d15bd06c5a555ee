"""The life of one command APDU, from its bytes to the response (JCRE 3.0.5 ch. 3-4, §9).

``respond(raw, interface)`` answers the response data and status word; ``exchange`` the same
as the bytes on the wire. Theory of operation, in the order of the checks:

1. shorter than 4 bytes, or inconsistent length fields: 6700; an invalid class byte
   (RFU 0x20-0x3F, 0xFF): 6E00;
2. under T=0, GET RESPONSE / a 6Cxx re-issue is served from the channel's waiting response;
3. a channel that is not open: 6881, except for an applet SELECT, which opens it;
4. MANAGE CHANNEL is carried out by the JCRE (``channels``);
5. an applet SELECT (``selection``), then ``process`` with ``selectingApplet()`` true;
6. anything else goes to the channel's selected applet (6999 when there is none); an extended
   command goes only to an applet that implements ExtendedLength (others: 6700);
7. the result is framed for the protocol (``t0``).

Two paths, one behaviour. Nearly every command is a short command with Lc or Le (cases 2-4)
for the applet already selected on an open channel, with no tear armed and, under T=0, no
response waiting. ``respond`` recognises that case from the bytes in line and goes straight to
``_process``: steps 1-6 then have nothing to do but the checks it made. Any other command
(case 1, extended, malformed, an invalid class, MANAGE CHANNEL, any INS A4, a closed channel
or one without an applet, a T=0 continuation, an armed tear, an unpowered interface) takes
the general path, ``_dispatch``, which walks the steps one by one. Both end in the same
``_process``, so the context switch, the APDU's preparation, the mapping of exceptions to
status words, the abort of an open transaction and the framing are written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jcsim.apdu import decode_lengths
from jcsim.errors import CardPoweredOffError, CardTornError, JCSimError, MalformedAPDUError
from jcsim.framework import _jcre
from jcsim.framework.cla import CLA_TABLE
from jcsim.framework.exceptions import ISOException
from jcsim.framework.iso7816 import ISO7816
from jcsim.runtime import channels, selection
from jcsim.runtime.card_manager import may_select
from jcsim.runtime.card_state import CardState
from jcsim.runtime.dispatch import status_word_for
from jcsim.runtime.events import Exchange, Observer
from jcsim.runtime.interface import CONTACT, Interface, LogicalChannel
from jcsim.runtime.journal import PowerLoss
from jcsim.runtime.registry import AppletRecord
from jcsim.runtime.t0 import INS_GET_RESPONSE, frame_t0, serve_get_response, serve_reissue

if TYPE_CHECKING:
    pass

__all__ = ["MAX_EXTENDED_NC", "CommandDispatch", "sw_bytes"]

MAX_EXTENDED_NC = 32767

_SW_NO_ERROR = ISO7816.SW_NO_ERROR
_SW_UNKNOWN = ISO7816.SW_UNKNOWN
_INS_SELECT = 0xA4
_INS_MANAGE_CHANNEL = channels.INS_MANAGE_CHANNEL
_NO_ERROR_BYTES = b"\x90\x00"
_local = _jcre._local
_temporaries = _jcre._temporaries
_oga = object.__getattribute__
# The logical channel each class byte names, None for an invalid class (6E00): the lean path
# reads validity and channel in one lookup.
_CHANNEL_OF: tuple[int | None, ...] = tuple(None if c is None else c.channel for c in CLA_TABLE)


def sw_bytes(sw: int) -> bytes:
    """A status word as its two bytes on the wire."""
    return _NO_ERROR_BYTES if sw == _SW_NO_ERROR else bytes((sw >> 8 & 0xFF, sw & 0xFF))


def _is_applet_select(raw: bytes) -> bool:
    # JCRE §4.6.2: CLA %b000000cc or %b0100dddd (interindustry, no SM, no chaining), INS A4,
    # P1 04, P2 %b000x xx00 (first or only occurrence; b5 is the RMI reference format flag).
    cla = raw[0]
    return (raw[1] == _INS_SELECT and raw[2] == 0x04 and (cla & 0xFC == 0 or cla & 0xF0 == 0x40)
            and raw[3] & 0xE3 == 0)


class CommandDispatch(CardState):
    """Mixed into ``Card``: what the card does with each command APDU."""

    # Set by Card.__init__, beside the state declared in CardState.
    powered_interfaces: set[str]
    observers: list[Observer]
    tear_after_writes: int | None
    tear_at_hook: str | None
    _armed_hook: str | None

    def exchange(self, raw: bytes, interface: str = CONTACT) -> bytes:
        """Process one command APDU on ``interface``; returns the response (data + SW)."""
        data, sw = self.respond(raw, interface)
        return data + sw_bytes(sw)

    def respond(self, raw: bytes, interface: str = CONTACT) -> tuple[bytes, int]:
        """Process one command APDU on ``interface``; returns the response data and SW."""
        size = len(raw)
        if (size > 4 and interface in self.powered_interfaces and self.tear_after_writes is None
                and self.tear_at_hook is None):
            number = _CHANNEL_OF[raw[0]]
            ins = raw[1]
            if number is not None and ins != _INS_SELECT and ins != _INS_MANAGE_CHANNEL:
                # decode_lengths for the short cases 2-4; anything else is left to it.
                lc = raw[4]
                if size == 5:
                    nc, ne, le_present = 0, lc or 256, True
                elif lc and size == lc + 5:
                    nc, ne, le_present = lc, 0, False
                elif lc and size == lc + 6:
                    nc, ne, le_present = lc, raw[size - 1] or 256, True
                else:
                    nc = -1
                iface = self.interfaces[interface]
                channel = iface.channels[number]
                record = channel.selected
                answer: tuple[bytes, int] | None = None
                # The command's bookkeeping (_begin_command, written out). Should the command
                # go the general way after all, that path does the same again, which changes
                # nothing: the writes were counted afresh and no write happened since.
                journal = self.journal
                journal.total_writes += journal.writes
                journal.writes = 0
                self._iface = iface
                self._cla_channel = number
                if iface.t0 and (channel.pending is not None or channel.reissue is not None):
                    # Step 2: only GET RESPONSE (case 2, interindustry class) for a waiting
                    # response is served here; a re-issue, or any other command, which
                    # discards what was waiting, goes the general way.
                    if (ins == INS_GET_RESPONSE and size == 5 and raw[0] & 0x80 == 0
                            and channel.reissue is None):
                        answer = serve_get_response(channel, raw, ne)
                elif nc >= 0 and record is not None and channel.is_open:
                    answer = self._process(iface, channel, record, raw, 5, nc, ne, le_present,
                                           False)
                if answer is not None:
                    if self.deletion_requests:
                        self.run_object_deletion()
                    if self.observers:
                        self._tell_observers(interface, raw, answer[0] + sw_bytes(answer[1]))
                    return answer
        return self._respond_generally(raw, interface)

    def _begin_command(self, iface: Interface) -> None:
        # A command with no tear armed: its writes are counted afresh.
        journal = self.journal
        journal.total_writes += journal.writes
        journal.writes = 0
        self._iface = iface

    def _respond_generally(self, raw: bytes, interface: str) -> tuple[bytes, int]:
        if interface not in self.powered_interfaces:
            if interface not in self.interfaces:
                raise JCSimError(f"no interface named {interface!r}: use 'contact' or "
                                 "'contactless'")
            raise CardPoweredOffError(f"the {interface} interface has no power: "
                                      "call power_on() first")
        iface = self.interfaces[interface]
        if self.tear_after_writes is None and self.tear_at_hook is None:
            self._begin_command(iface)
            data, sw = self._dispatch(raw, iface)
        else:
            data, sw = self._dispatch_with_tear(raw, iface, interface)
        if self.deletion_requests:
            self.run_object_deletion()
        if self.observers:
            self._tell_observers(interface, raw, data + sw_bytes(sw))
        return data, sw

    def _tell_observers(self, interface: str, raw: bytes, response: bytes) -> None:
        event = Exchange(interface, bytes(raw), response, self._cla_channel)
        for observer in self.observers:
            observer(event)

    def _dispatch_with_tear(self, raw: bytes, iface: Interface,
                            interface: str) -> tuple[bytes, int]:
        self._iface = iface
        journal = self.journal
        journal.start_command(self.tear_after_writes)
        hook, after = self.tear_at_hook, self.tear_after_writes
        self.tear_after_writes = self.tear_at_hook = None
        self._armed_hook = hook
        try:
            if after == 0:
                raise PowerLoss("tear before the first persistent write")
            answer = self._dispatch(raw, iface)
        except PowerLoss as loss:
            self._lose_power()
            if self.observers:
                self._tell_observers(interface, raw, b"")
            torn = CardTornError(f"the card lost power during the command ({loss})")
            torn.location = loss.location
            raise torn from None
        finally:
            # The tear was armed for this command only: a write made later outside any command
            # (a default applet's select() at power-up, an install) must not trip it.
            self._armed_hook = None
            journal.tear_after = None
        return answer

    def _dispatch(self, raw: bytes, iface: Interface) -> tuple[bytes, int]:
        """Steps 1-6 of the module docstring, one by one."""
        if len(raw) < 4:
            self._cla_channel = 0
            return b"", ISO7816.SW_WRONG_LENGTH
        cla = CLA_TABLE[raw[0]]
        if cla is None:
            self._cla_channel = 0
            return b"", ISO7816.SW_CLA_NOT_SUPPORTED
        self._cla_channel = cla.channel
        try:
            lengths = decode_lengths(raw)
        except MalformedAPDUError:
            return b"", ISO7816.SW_WRONG_LENGTH
        cdata_offset, nc, ne, le_present, extended = lengths
        channel = iface.channels[cla.channel]
        if iface.t0:
            if channel.reissue is not None:
                served = serve_reissue(channel, raw)
                if served is not None:
                    return served
            if channel.pending is not None:
                if raw[1] == INS_GET_RESPONSE and raw[0] & 0x80 == 0:
                    return serve_get_response(channel, raw, ne if le_present else 256)
                channel.pending = None
        if raw[1] == _INS_MANAGE_CHANNEL and cla.interindustry:
            data, sw = channels.manage_channel(self, iface, cla, raw, lengths)
            return self._frame(iface, channel, raw, nc, ne, le_present, extended, data, sw)
        if raw[1] == _INS_SELECT and _is_applet_select(raw):
            return self._select(iface, channel, raw, cdata_offset, nc, ne, le_present, extended)
        if not channel.is_open:
            return b"", ISO7816.SW_LOGICAL_CHANNEL_NOT_SUPPORTED
        record = channel.selected
        if record is None:
            return b"", ISO7816.SW_APPLET_SELECT_FAILED
        return self._process(iface, channel, record, raw, cdata_offset, nc, ne, le_present,
                             extended)

    def _select(self, iface: Interface, channel: LogicalChannel, raw: bytes, cdata_offset: int,
                nc: int, ne: int, le_present: bool, extended: bool) -> tuple[bytes, int]:
        """An applet SELECT by AID (JCRE §4.6.2)."""
        channel.is_open = True  # SELECT opens a closed channel
        aid = raw[cdata_offset:cdata_offset + nc]
        candidate = self.registry.find(aid) if aid else None
        if candidate is None and aid:
            candidate = self.registry.find_partial(aid)
        if candidate is not None and not (candidate.selectable
                                          and may_select(self, candidate)):
            candidate = None
        if candidate is None:
            if channel.selected is not None:
                return self._process(iface, channel, channel.selected, raw, cdata_offset, nc,
                                     ne, le_present, extended)
            return b"", ISO7816.SW_APPLET_SELECT_FAILED
        reselecting = channel.selected is candidate
        if not selection.may_activate(self, candidate, channel):
            return self._frame(iface, channel, raw, nc, ne, le_present, extended, b"",
                               ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        selection.deactivate(self, iface, channel)
        if selection.activate(self, candidate, iface, channel) != selection.SELECT_OK:
            return b"", ISO7816.SW_APPLET_SELECT_FAILED
        self.selecting, self._reselecting = candidate, reselecting
        try:
            return self._process(iface, channel, candidate, raw, cdata_offset, nc, ne,
                                 le_present, extended)
        finally:
            self.selecting, self._reselecting = None, False

    def _process(self, iface: Interface, channel: LogicalChannel, record: AppletRecord,
                 raw: bytes, cdata_offset: int, nc: int, ne: int, le_present: bool,
                 extended: bool) -> tuple[bytes, int]:
        """Run the applet's ``process`` on this command and frame what it answers."""
        if extended and (not record.extended_length or nc > MAX_EXTENDED_NC):
            return b"", ISO7816.SW_WRONG_LENGTH
        apdu = iface._apdu or iface.apdu  # made at the interface's first command
        apdu._begin(raw, cdata_offset, nc, ne if ne < MAX_EXTENDED_NC else MAX_EXTENDED_NC,
                    le_present, record.extended_length)
        self._apdu = apdu
        self.assigned_channel_number = channel.number
        # dispatch.call_in_context, written out: this runs for every command. The exception
        # becomes a status word only once the JCRE's context is back (its getReason is then
        # called by the JCRE, as in the general case).
        stack = self.context_stack
        saved = self.context
        stack.append(saved)
        self.context = record
        previous = _local.jcre
        _local.jcre = self
        try:
            try:
                _oga(record.instance, "process")(apdu)
            finally:
                self.context = saved
                stack.pop()
                if not stack and _temporaries:
                    _jcre.release_temporaries(self)
                _local.jcre = previous
        except Exception as exc:
            sw = status_word_for(exc, f"{record!r}.process")
            data: bytes | bytearray = apdu._output if sw != _SW_UNKNOWN else b""
            if self.journal.depth and not isinstance(exc, ISOException):
                sw, data = _SW_UNKNOWN, b""
        else:
            sw, data = _SW_NO_ERROR, apdu._output
        finally:
            self._apdu = None
        if self.journal.depth:
            # JCRE §7.6.2: abort, then carry on as if an exception had escaped process().
            self.abort_transaction()
            if sw == _SW_NO_ERROR:
                sw, data = _SW_UNKNOWN, b""
        if data and iface.t0:
            return frame_t0(channel, raw, nc, ne, le_present, extended, bytes(data), sw)
        return bytes(data), sw

    @staticmethod
    def _frame(iface: Interface, channel: LogicalChannel, raw: bytes, nc: int, ne: int,
               le_present: bool, extended: bool, data: bytes, sw: int) -> tuple[bytes, int]:
        if data and iface.t0:
            return frame_t0(channel, raw, nc, ne, le_present, extended, data, sw)
        return data, sw

    if TYPE_CHECKING:  # provided by Card and FrameworkPort
        def _lose_power(self) -> None: ...

        def abort_transaction(self) -> None: ...

        def run_object_deletion(self) -> Any: ...
