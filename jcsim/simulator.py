"""The host API: a simulated card you install applets on and send APDUs to.

Plain Python, snake_case. ``Simulator`` wraps a ``runtime.Card`` and powers it up at once, so
``Simulator().install(...)`` then ``transmit(...)`` just works.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from jcsim.apdu import CommandAPDU, Response, parse_hex
from jcsim.errors import ChannelError, JCSimError
from jcsim.framework import _jcre
from jcsim.framework.aid import AID
from jcsim.framework.cla import CLA_TABLE, channel_cla
from jcsim.runtime import image_on_demand as image
from jcsim.runtime.card import DEFAULT_BUFFER_SIZE, Card
from jcsim.runtime.events import Observer
from jcsim.runtime.interface import CHANNEL_COUNT, CONTACT, CONTACTLESS
from jcsim.runtime.journal import DEFAULT_COMMIT_CAPACITY
from jcsim.runtime.memory import DEFAULT_PERSISTENT, DEFAULT_TRANSIENT

if TYPE_CHECKING:
    from jcsim.inventory import AppletInfo, PackageInfo
    from jcsim.runtime.memory_snapshot import MemorySnapshot

__all__ = ["CONTACT", "CONTACTLESS", "AppletInfo", "PackageInfo", "Simulator",
           "watch_new_simulators"]

# Called with every Simulator made, loaded or copied: how a test harness traces each card a test
# uses without the test having to hand them over.
_creation_watchers: list[Callable[[Simulator], object]] = []


def watch_new_simulators(watcher: Callable[[Simulator], object]) -> Callable[[], None]:
    """Call ``watcher(sim)`` for every ``Simulator`` created from now on (made, loaded from an
    image or copied from a snapshot); returns the function that stops it."""
    _creation_watchers.append(watcher)
    return lambda: _creation_watchers.remove(watcher)

_new_response = object.__new__
# The slots of the frozen Response, set directly (what its __init__ does past the checks).
_set_data = Response.__dict__["data"].__set__
_set_sw = Response.__dict__["sw"].__set__
# The responses without data made so far, by status word (at most 65,536 of them).
_BARE_RESPONSES: dict[int, Response] = {}


def __getattr__(name: str) -> object:
    # The listing values live in ``jcsim.inventory``, imported by the first listing.
    if name in ("AppletInfo", "PackageInfo"):
        from jcsim import inventory

        return getattr(inventory, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


AIDLike = AID | bytes | str


def aid_bytes(aid: AIDLike) -> bytes:
    """The bytes of an ``AID``, of bytes, or of hex text (spaces allowed); not validated, since
    a SELECT may name just the first bytes of an AID."""
    if isinstance(aid, AID):
        return aid.value
    if isinstance(aid, str):
        return parse_hex(aid)
    return bytes(aid)


def _to_bytes(apdu: bytes | bytearray | str | CommandAPDU) -> bytes:
    if isinstance(apdu, str):
        return parse_hex(apdu)
    return bytes(apdu)


class Simulator:
    """A simulated Java Card, powered on.

    ``protocol`` is the contact interface's ``"T=1"`` (default) or ``"T=0"``; ``atr`` replaces
    the default contact ATR. The contactless interface (T=CL, ISO 14443 type A) is always there.

    The card manager (issuer security domain) is in the SECURED state: INSTALL, DELETE, PUT
    KEY and SET STATUS need an SCP02/SCP03 secure channel opened with its keys, by default
    ``40 41 .. 4F`` (key version 30 for SCP03, 20 for SCP02). ``gp_keys`` sets others (a
    ``GPKeys``, several, or one key); ``gp_open=True`` accepts those commands in plain CLA 80
    as a development card does.
    """

    def __init__(self, protocol: str = "T=1", atr: bytes | str | None = None, *,
                 contactless_atr: bytes | str | None = None,
                 apdu_buffer_size: int = DEFAULT_BUFFER_SIZE,
                 commit_capacity: int = DEFAULT_COMMIT_CAPACITY,
                 persistent_memory: int = DEFAULT_PERSISTENT,
                 transient_reset_memory: int = DEFAULT_TRANSIENT,
                 transient_deselect_memory: int = DEFAULT_TRANSIENT,
                 firewall: bool = True,
                 gp_keys: Any = None,
                 gp_open: bool = False) -> None:
        self.card = Card(protocol,
                         parse_hex(atr) if isinstance(atr, str) else atr,
                         contactless_atr_bytes=(parse_hex(contactless_atr)
                                                if isinstance(contactless_atr, str)
                                                else contactless_atr),
                         apdu_buffer_size=apdu_buffer_size,
                         commit_capacity=commit_capacity,
                         persistent_memory=persistent_memory,
                         transient_reset_memory=transient_reset_memory,
                         transient_deselect_memory=transient_deselect_memory,
                         firewall=firewall)
        self.protocol = protocol
        if gp_keys is not None or gp_open:
            self._configure_gp(gp_keys, gp_open)
        self.card.power_on()
        for watcher in _creation_watchers:
            watcher(self)

    def _configure_gp(self, gp_keys: Any, gp_open: bool) -> None:
        from jcsim.runtime.card_manager import CARD_MANAGER_AID
        from jcsim.runtime.gp.host_keys import key_sets_from

        record = self.card.registry.find(CARD_MANAGER_AID)
        assert record is not None  # a new Card installs its card manager first
        if gp_keys is not None:
            record.instance.key_sets = key_sets_from(gp_keys)
        record.instance.open_access = bool(gp_open)

    @classmethod
    def _around(cls, card: Card) -> Simulator:
        sim = cls.__new__(cls)
        sim.card = card
        sim.protocol = card.protocol
        for watcher in _creation_watchers:
            watcher(sim)
        return sim

    # --- applets -----------------------------------------------------------------------------

    def install(self, applet_class: type, aid: AIDLike, params: bytes | str = b"", *,
                default: bool | str | Iterable[str] = False,
                privileges: bytes = b"") -> AID:
        """Install an instance of ``applet_class`` under ``aid``; returns the registered AID.

        ``default=True`` makes it the default applet of every interface (selected on the basic
        channel at each reset); a name or names (``"contact"``, ``"contactless"``) limit that.
        """
        if default is True:
            default_on = frozenset(self.card.interfaces)
        elif default is False:
            default_on = frozenset()
        elif isinstance(default, str):
            default_on = frozenset({default})
        else:
            default_on = frozenset(default)
        data = parse_hex(params) if isinstance(params, str) else bytes(params)
        return self.card.install(applet_class, aid_bytes(aid), data, bytes(privileges),
                                 default_on)

    def load_package(self, module: str) -> bytes:
        """Load the package of an (importable) module without installing an applet; returns
        its AID. INSTALL through the card manager can then create its applets."""
        import importlib

        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise JCSimError(f"cannot import {module!r}: {exc}") from exc
        return self.card.load_package(module).aid

    def delete_applet(self, aid: AIDLike) -> None:
        """Delete an applet instance; ``DeletionRefusedError`` says why when the rules forbid it."""
        self.card.delete_applet(aid_bytes(aid))

    def delete_package(self, aid: AIDLike, with_applets: bool = False) -> None:
        """Delete a package (and, with ``with_applets``, its applets) all or nothing."""
        self.card.delete_package(aid_bytes(aid), with_applets)

    def packages(self) -> list[PackageInfo]:
        """The packages loaded on the card."""
        from jcsim.inventory import PackageInfo  # with the first listing, not at start-up

        return [PackageInfo(AID(p.aid), p.name, p.version, p.imports)
                for p in self.card.registry.packages.values()]

    def applets(self) -> list[AppletInfo]:
        """The applet instances on the card, in install order."""
        from jcsim.inventory import AppletInfo  # with the first listing, not at start-up

        # An applet joins the registry once register() gave it its AID: the filter never drops
        # one.
        return [AppletInfo(r.aid, f"{r.applet_class.__module__}:{r.applet_class.__qualname__}",
                           AID(r.package.aid), tuple(sorted(r.default_on)))
                for r in self.card.registry.applets if r.aid is not None]

    def applet_instance(self, aid: AIDLike) -> Any:
        """The Python object of an installed applet, for tests that look inside it."""
        record = self.card.registry.find(aid_bytes(aid))
        if record is None:
            raise JCSimError(f"no applet {aid_bytes(aid).hex().upper()} on this card")
        return record.instance

    def static_field(self, cls: type, name: str) -> Any:
        """The value of the static field ``cls.name`` on this card (the class-body value until
        card code writes it), for tests that look inside; read as card code would, without a
        firewall check (statics have none)."""
        previous = _jcre.bind(self.card)
        try:
            return getattr(cls, name)
        finally:
            _jcre.unbind(previous)

    def memory(self) -> MemorySnapshot:
        """The memory accounting now: each pool's capacity, use and what is available."""
        return self.card.memory.snapshot()

    # --- commands ----------------------------------------------------------------------------

    def transmit(self, apdu: bytes | bytearray | str | CommandAPDU, channel: int | None = None,
                 *, interface: str = CONTACT) -> Response:
        """Send one command APDU (bytes, hex text or ``CommandAPDU``); returns the response.

        ``channel=None`` sends the CLA as given; a number re-encodes the CLA for that logical
        channel (0-19). ``interface`` is ``"contact"`` or ``"contactless"``.
        """
        raw = apdu if type(apdu) is bytes else _to_bytes(apdu)
        if channel is not None and raw and CLA_TABLE[raw[0]] is not None:
            try:
                raw = bytes((channel_cla(raw[0], channel),)) + raw[1:]
            except ValueError as exc:
                raise JCSimError(str(exc)) from exc
        data, sw = self.card.respond(raw, interface)
        if not data:
            # A Response is immutable: one without data is shared per status word.
            response = _BARE_RESPONSES.get(sw)
            if response is None:
                response = _BARE_RESPONSES[sw] = Response(b"", sw)
            return response
        # Response(data, sw) without its converter and validator: the card answers bytes and
        # a two-byte status word.
        response = _new_response(Response)
        _set_data(response, data)
        _set_sw(response, sw)
        return response

    def select(self, aid: AIDLike, channel: int = 0, *, interface: str = CONTACT) -> Response:
        """SELECT an applet by AID on ``channel``."""
        value = aid_bytes(aid)
        if not 1 <= len(value) <= 16:
            raise JCSimError(f"SELECT by AID takes 1 to 16 bytes, not {len(value)}")
        command = bytes((0x00, 0xA4, 0x04, 0x00, len(value))) + value + b"\x00"
        return self.transmit(command, channel, interface=interface)

    # --- logical channels --------------------------------------------------------------------

    def open_channel(self, origin: int = 0, *, interface: str = CONTACT) -> int:
        """Open a logical channel with MANAGE CHANNEL OPEN (``00 70 00 00 01``) sent on
        ``origin``; returns the channel number the card assigned.

        From the basic channel the new channel gets the interface's default applet (if any);
        from channel Q > 0 it gets the applet active on Q (JCRE §4.6.1). Raises
        ``ChannelError`` (with ``sw``) when the card refuses.
        """
        response = self.transmit(b"\x00\x70\x00\x00\x01", origin, interface=interface)
        if response.sw != 0x9000 or len(response.data) != 1:
            raise ChannelError(f"MANAGE CHANNEL OPEN from channel {origin} on {interface} was "
                               f"refused with {response.sw:04X}", response.sw)
        return response.data[0]

    def close_channel(self, channel: int, *, interface: str = CONTACT) -> None:
        """Close ``channel`` with MANAGE CHANNEL CLOSE (``00 70 80 0n``) sent on the basic
        channel, deselecting its applet. Raises ``ChannelError`` for any answer but 9000,
        including the 6200 warning for a channel that was not open."""
        if not 0 <= channel <= 0xFF:
            raise JCSimError(f"P2 of MANAGE CHANNEL CLOSE is one byte: cannot name {channel}")
        response = self.transmit(bytes((0x00, 0x70, 0x80, channel)), interface=interface)
        if response.sw != 0x9000:
            raise ChannelError(f"MANAGE CHANNEL CLOSE of channel {channel} on {interface} "
                               f"answered {response.sw:04X}", response.sw)

    def selected(self, channel: int = 0, *, interface: str = CONTACT) -> AID | None:
        """The AID of the applet selected on ``channel`` of ``interface``; None when the
        channel is closed or has no applet. Reads the card's state; sends nothing."""
        if interface not in self.card.interfaces:
            raise JCSimError(f"no interface named {interface!r}: use 'contact' or 'contactless'")
        if not 0 <= channel < CHANNEL_COUNT:
            raise JCSimError(f"logical channels are numbered 0 to {CHANNEL_COUNT - 1}, "
                             f"not {channel}")
        record = self.card.interfaces[interface].channels[channel].selected
        return None if record is None else record.aid

    def open_channels(self, *, interface: str = CONTACT) -> list[int]:
        """The numbers of the open logical channels of ``interface`` (0 while powered)."""
        if interface not in self.card.interfaces:
            raise JCSimError(f"no interface named {interface!r}: use 'contact' or 'contactless'")
        return [ch.number for ch in self.card.interfaces[interface].channels if ch.is_open]

    # --- power -------------------------------------------------------------------------------

    @property
    def atr(self) -> bytes:
        """The contact interface's ATR."""
        return self.card.interfaces[CONTACT].atr

    def atr_of(self, interface: str) -> bytes:
        return self.card.interfaces[interface].atr

    def reset(self) -> bytes:
        """Warm reset; returns the ATR."""
        atr = self.card.reset()
        self._note(f"warm reset, ATR {atr.hex(' ').upper()}")
        return atr

    def power_on(self) -> bytes:
        """Power the card up (a cold reset if it already has power); returns the ATR."""
        atr = self.card.power_on()
        self._note(f"power on, ATR {atr.hex(' ').upper()}")
        return atr

    def power_off(self) -> None:
        """Remove power."""
        self.card.power_off()
        self._note("power off")

    def _note(self, text: str) -> None:
        for observer in self.card.observers:
            note = getattr(observer, "note", None)
            if note is not None:
                note(text)

    @property
    def powered(self) -> bool:
        return self.card.powered

    # --- power loss ----------------------------------------------------------------------------

    def arm_tear(self, after_writes: int | None = None, *, at_hook: str | None = None) -> None:
        """Make the next command lose power: just after its N-th persistent write (0: before
        the first), or when its code calls ``jcsim.testing.tear_hook(at_hook)``. That command
        raises ``CardTornError``; ``power_on()`` then rolls back what was interrupted."""
        self.card.arm_tear(after_writes, at_hook)

    # --- card images -------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str], *, key: bytes | None = None) -> None:
        """Save the card's persistent state to ``path`` atomically (see ``runtime.image``);
        with ``key``, signed with HMAC-SHA256."""
        image.save(self.card, path, key=key)

    @classmethod
    def load(cls, path: str | os.PathLike[str], allow_modules: Iterable[str] | None = None,
             *, key: bytes | None = None) -> Simulator:
        """A card from an image. Classes are found only in the card's packages, in modules
        already imported or named in ``allow_modules``; a bad image (or, with ``key``, one
        not signed with it) raises ``ImageError`` and changes nothing."""
        return cls._around(image.load_file(path, Card.from_configuration, allow_modules or (),
                                           key=key))

    def snapshot(self, *, key: bytes | None = None) -> bytes:
        """The card's image as bytes (for copies: ``Simulator.from_snapshot``)."""
        return image.dumps(self.card, key=key)

    @classmethod
    def from_snapshot(cls, data: bytes, allow_modules: Iterable[str] | None = None, *,
                      key: bytes | None = None) -> Simulator:
        return cls._around(image.loads(data, Card.from_configuration, allow_modules or (),
                                       key=key))

    # --- observation -------------------------------------------------------------------------

    def subscribe(self, observer: Observer) -> None:
        """Call ``observer(exchange)`` after every command (see ``runtime.events.Exchange``).
        An observer with a ``note(text)`` method also hears of the power-ups, resets and
        power-offs asked through this ``Simulator`` (a trace shows them between commands)."""
        self.card.observers.append(observer)

    def unsubscribe(self, observer: Observer) -> None:
        self.card.observers.remove(observer)
