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

Every persistent write goes through the card's ``journal`` (transactions and tears). A
transaction still open when ``process``, ``select``, ``deselect`` or ``install`` ends is aborted
by the JCRE (JCRE §7.6.2): ``process`` then answers 6F00 (or the ISOException's status word),
``select`` fails, ``install`` fails.

The card is also the framework's port to the runtime (``jcsim.framework._jcre``): the
``JCSystem`` and ``APDU`` static methods call the methods in the last section.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from jcsim.apdu import Lengths, decode_lengths
from jcsim.errors import (
    CardPoweredOffError,
    CardTornError,
    JCSimError,
    MalformedAPDUError,
)
from jcsim.framework import firewall as firewall_hooks
from jcsim.framework.apdu import APDU
from jcsim.framework.cla import CLA_TABLE
from jcsim.framework.exceptions import ISOException
from jcsim.framework.iso7816 import ISO7816
from jcsim.runtime import channels, selection
from jcsim.runtime.atr import check_atr, contactless_atr, default_atr
from jcsim.runtime.card_manager import CARD_MANAGER_AID, CardManager, may_select
from jcsim.runtime.dispatch import call_method, status_word_for
from jcsim.runtime.events import Exchange, Observer
from jcsim.runtime.installer import Installer
from jcsim.runtime.interface import CONTACT, CONTACTLESS, Interface, LogicalChannel
from jcsim.runtime.journal import DEFAULT_COMMIT_CAPACITY, Journal, PowerLoss
from jcsim.runtime.memory import DEFAULT_PERSISTENT, DEFAULT_TRANSIENT, Memory
from jcsim.runtime.port import FrameworkPort
from jcsim.runtime.registry import AppletRecord, Registry
from jcsim.runtime.remote_refs import RemoteRefIds
from jcsim.runtime.statics import StaticFields
from jcsim.runtime.t0 import (
    INS_GET_RESPONSE,
    frame_response,
    serve_get_response,
    serve_reissue,
)
from jcsim.runtime.transients import TransientMemory

if TYPE_CHECKING:
    from jcsim.runtime.gp.port import CvmFlags

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


class Card(Installer, FrameworkPort):
    """A simulated Java Card: interfaces, registry, transient memory, power state."""

    def __init__(self, protocol: str = "T=1", atr: bytes | None = None, *,
                 contactless_atr_bytes: bytes | None = None,
                 apdu_buffer_size: int = DEFAULT_BUFFER_SIZE,
                 commit_capacity: int = DEFAULT_COMMIT_CAPACITY,
                 persistent_memory: int = DEFAULT_PERSISTENT,
                 transient_reset_memory: int = DEFAULT_TRANSIENT,
                 transient_deselect_memory: int = DEFAULT_TRANSIENT,
                 firewall: bool = True,
                 card_manager: bool = True) -> None:
        if protocol not in PROTOCOLS:
            raise JCSimError(f"protocol must be 'T=0' or 'T=1', not {protocol!r}")
        if apdu_buffer_size < 133:
            raise JCSimError("the APDU buffer holds at least 133 bytes (5 + 128)")
        contact_atr = default_atr(protocol) if atr is None else bytes(atr)
        cl_atr = (contactless_atr() if contactless_atr_bytes is None
                  else bytes(contactless_atr_bytes))
        for value in (contact_atr, cl_atr):
            try:
                check_atr(value)
            except ValueError as exc:
                raise JCSimError(f"invalid ATR {value.hex().upper()}: {exc}") from exc
        # The state the card's parts share is declared, with its types, in CardState.
        self.registry = Registry()
        self.transients = TransientMemory()
        # Java Card RMI object ids, unique on the card (runtime/remote_refs.py).
        self.remote_refs = RemoteRefIds()
        self.memory = Memory(persistent_memory, transient_reset_memory, transient_deselect_memory)
        self.journal = Journal(commit_capacity)
        self.journal.memory = self.memory
        self.statics = StaticFields(self.journal)
        self.firewall = firewall
        if firewall:
            firewall_hooks.install()
        self.root_providers = []
        self.context_stack = []
        self.deletion_requests = set()
        # A tear armed for the next command: after N persistent writes, or at a named hook.
        self.tear_after_writes: int | None = None
        self.tear_at_hook: str | None = None
        # The global PIN's verified and submitted states, made at its first use (runtime/gp).
        self.gp_cvm_flags: CvmFlags | None = None
        self.interfaces = {
            CONTACT: Interface(CONTACT, PROTOCOLS[protocol], contact_atr, apdu_buffer_size),
            CONTACTLESS: Interface(CONTACTLESS, CONTACTLESS_PROTOCOL, cl_atr, apdu_buffer_size),
        }
        self.protocol = protocol
        self.apdu_buffer_size = apdu_buffer_size
        self.registry_changes = 0
        self.observers: list[Observer] = []
        self.powered_interfaces: set[str] = set()
        # What the JCRE is doing right now; read by the framework through the port methods.
        self.context = None
        self.assigned_channel_number = 0
        self._cla_channel = 0
        self._apdu = None
        self._selecting = None
        self._reselecting = False
        self._installing = None
        self._install_aid = None
        self._armed_hook: str | None = None
        self._iface = None
        if card_manager:
            self.install(CardManager, CARD_MANAGER_AID)

    def persistent_version(self) -> int:
        """A number that changes whenever persistent state may have changed (for autosave)."""
        return self.journal.total_writes + self.journal.writes + self.registry_changes

    def configuration(self) -> dict[str, Any]:
        """What it takes to build an identical empty card (for card images)."""
        return {
            "protocol": self.protocol,
            "atr": self.interfaces[CONTACT].atr.hex(),
            "contactless_atr": self.interfaces[CONTACTLESS].atr.hex(),
            "apdu_buffer_size": self.apdu_buffer_size,
            "commit_capacity": self.journal.capacity,
            "memory": list(self.memory.capacity),
            "firewall": self.firewall,
        }

    @classmethod
    def from_configuration(cls, config: dict[str, Any]) -> Card:
        return cls(config["protocol"], bytes.fromhex(config["atr"]),
                   contactless_atr_bytes=bytes.fromhex(config["contactless_atr"]),
                   apdu_buffer_size=config["apdu_buffer_size"],
                   commit_capacity=config["commit_capacity"],
                   persistent_memory=config["memory"][0],
                   transient_reset_memory=config["memory"][1],
                   transient_deselect_memory=config["memory"][2],
                   firewall=config["firewall"], card_manager=False)

    # --- power -------------------------------------------------------------------------------

    def power_on(self, interfaces: Iterable[str] | None = None) -> bytes:
        """Cold reset: power up (or cycle power) and answer the contact ATR.

        ``interfaces`` names the I/O interfaces that get power (all by default); each gets its
        basic channel and default applet. An interrupted transaction or atomic write is rolled
        back first, before any applet code runs (JCRE §7.5)."""
        if self.journal.pending:
            self._forget(self.journal.recover())
        self._reset_state()
        # Always the card's order, contact first, whatever order (or set) the caller gives:
        # a default applet that is not MultiSelectable and is the default on both interfaces
        # must end up on the contact one (JCRE §4.2.2), and a set's order changes from run
        # to run.
        wanted = set(self.interfaces if interfaces is None else interfaces)
        names = [name for name in self.interfaces if name in wanted]
        self.powered_interfaces = set(names)
        for name in names:
            self._select_default(self.interfaces[name])
        return self.interfaces[CONTACT].atr

    @property
    def powered(self) -> bool:
        return bool(self.powered_interfaces)

    def reset(self) -> bytes:
        """Warm reset: the same card state as a cold one; answers the contact ATR."""
        if not self.powered:
            raise CardPoweredOffError("the card has no power: call power_on() first")
        return self.power_on(self.powered_interfaces)

    def power_off(self) -> None:
        """Remove power: every channel closes and transient memory is lost."""
        self._reset_state()
        self.powered_interfaces = set()

    def interface_up(self, name: str) -> bytes:
        """A reader powers (or resets) one interface; answers that interface's ATR.

        With no other interface powered this is a reset of the whole card. While another
        interface stays powered (a dual-interface card in two fields), only this interface's
        channels are closed and its default applet selected again: the other session, and the
        card's transient memory, carry on.
        """
        iface = self.interfaces[name]
        others = self.powered_interfaces - {name}
        if not others:
            self.power_on([name])
        else:
            iface.close_all()
            self.powered_interfaces.add(name)
            self._select_default(iface)
        return iface.atr

    def interface_down(self, name: str) -> None:
        """A reader removes power from one interface; the card loses power with the last."""
        self.powered_interfaces.discard(name)
        if self.powered_interfaces:
            self.interfaces[name].close_all()
        else:
            self.power_off()

    def _reset_state(self) -> None:
        # Reset and power loss deselect without calling deselect() (JCRE §4.7).
        for iface in self.interfaces.values():
            iface.close_all()
        self.transients.clear_all()
        # No command is in progress after a reset: a default applet's select() must see
        # getCLAChannel() and getAssignedChannel() as 0, not the channel of the last command.
        self._cla_channel = 0
        self.assigned_channel_number = 0

    def _select_default(self, iface: Interface) -> None:
        basic = iface.channels[0]
        basic.is_open = True
        # No command drives this selection (also when one interface is reset while the other
        # carries on): the default applet's select() sees channel 0 as the CLA channel.
        self._cla_channel = 0
        default = self.registry.default_for(iface.name)
        if default is not None and may_select(self, default) and \
                selection.may_activate(self, default, basic):
            selection.activate(self, default, iface, basic)

    # --- commands ----------------------------------------------------------------------------

    def exchange(self, raw: bytes, interface: str = CONTACT) -> bytes:
        """Process one command APDU on ``interface``; returns the response (data + SW)."""
        if interface not in self.powered_interfaces:
            if interface not in self.interfaces:
                raise JCSimError(f"no interface named {interface!r}: use 'contact' or "
                                 "'contactless'")
            raise CardPoweredOffError(f"the {interface} interface has no power: "
                                      "call power_on() first")
        iface = self.interfaces[interface]
        self._iface = iface
        journal = self.journal
        if self.tear_after_writes is None and self.tear_at_hook is None:
            # The common case, kept lean: no tear armed, so no PowerLoss can occur.
            journal.total_writes += journal.writes
            journal.writes = 0
            response = self._exchange(raw, iface)
        else:
            response = self._exchange_with_tear(raw, iface, interface)
        if self.deletion_requests:
            self.run_object_deletion()
        if self.observers:
            event = Exchange(interface, bytes(raw), response, self._cla_channel)
            for observer in self.observers:
                observer(event)
        return response

    def _exchange_with_tear(self, raw: bytes, iface: Interface, interface: str) -> bytes:
        journal = self.journal
        journal.start_command(self.tear_after_writes)
        hook, after = self.tear_at_hook, self.tear_after_writes
        self.tear_after_writes = self.tear_at_hook = None
        self._armed_hook = hook
        try:
            if after == 0:
                raise PowerLoss("tear before the first persistent write")
            response = self._exchange(raw, iface)
        except PowerLoss as loss:
            self._lose_power()
            if self.observers:
                event = Exchange(interface, bytes(raw), b"", self._cla_channel)
                for observer in self.observers:
                    observer(event)
            torn = CardTornError(f"the card lost power during the command ({loss})")
            torn.location = loss.location
            raise torn from None
        finally:
            # The tear was armed for this command only: a write made later outside any command
            # (a default applet's select() at power-up, an install) must not trip it.
            self._armed_hook = None
            journal.tear_after = None
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
        if raw[1] == 0xA4 and _is_applet_select(raw):
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
        if candidate is not None and not (candidate.selectable
                                          and may_select(self, candidate)):
            candidate = None
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
        apdu = iface._apdu or iface.apdu  # made at the interface's first command
        ne = min(lengths.ne, MAX_EXTENDED_NC)
        apdu._begin(raw, lengths.cdata_offset, lengths.nc, ne, lengths.le_present,
                    record.extended_length)
        self._apdu = apdu
        self.assigned_channel_number = channel.number
        data: bytes | bytearray
        try:
            call_method(self, record, "process", apdu)
            sw = ISO7816.SW_NO_ERROR
            data = apdu._output
        except Exception as exc:
            sw = status_word_for(exc, f"{record!r}.process")
            data = apdu._output if sw != ISO7816.SW_UNKNOWN else b""
            if self.journal.depth and not isinstance(exc, ISOException):
                sw, data = ISO7816.SW_UNKNOWN, b""
        finally:
            self._apdu = None
        if self.journal.depth:
            # JCRE §7.6.2: abort, then carry on as if an exception had escaped process().
            self.abort_transaction()
            if sw == ISO7816.SW_NO_ERROR:
                sw, data = ISO7816.SW_UNKNOWN, b""
        return frame_response(iface.t0, channel, raw, lengths, data, sw)

    # --- power loss and transactions --------------------------------------------------------

    def arm_tear(self, after_writes: int | None = None, at_hook: str | None = None) -> None:
        """Lose power during the next command: after its N-th persistent write, or when its code
        reaches the named tear hook (``jcsim.testing.tear_hook``)."""
        if (after_writes is None) == (at_hook is None):
            raise JCSimError("arm a tear with exactly one of after_writes= or at_hook=")
        if after_writes is not None and after_writes < 0:
            raise JCSimError("after_writes counts writes: 0 or more")
        self.tear_after_writes, self.tear_at_hook = after_writes, at_hook

    def _lose_power(self) -> None:
        # The journal keeps what it must undo; power_on() rolls it back.
        self._selecting, self._reselecting, self._apdu = None, False, None
        self.context = None
        self.power_off()

    def reach_hook(self, name: str) -> None:
        if self._armed_hook is not None and self._armed_hook == name:
            self._armed_hook = None
            raise PowerLoss(f"tear at hook {name!r}")
