"""The host API: a simulated card you install applets on and send APDUs to.

Plain Python, snake_case. ``Simulator`` wraps a ``runtime.Card`` and powers it up at once, so
``Simulator().install(...)`` then ``transmit(...)`` just works.
"""

from __future__ import annotations

from collections.abc import Iterable

from jcsim.apdu import CommandAPDU, Response, parse_hex
from jcsim.errors import JCSimError
from jcsim.framework.aid import AID
from jcsim.framework.cla import CLA_TABLE, channel_cla
from jcsim.runtime.card import DEFAULT_BUFFER_SIZE, Card
from jcsim.runtime.events import Observer
from jcsim.runtime.interface import CONTACT, CONTACTLESS

__all__ = ["CONTACT", "CONTACTLESS", "Simulator"]

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
    """

    def __init__(self, protocol: str = "T=1", atr: bytes | str | None = None, *,
                 contactless_atr: bytes | str | None = None,
                 apdu_buffer_size: int = DEFAULT_BUFFER_SIZE) -> None:
        self.card = Card(protocol,
                         parse_hex(atr) if isinstance(atr, str) else atr,
                         contactless_atr_bytes=(parse_hex(contactless_atr)
                                                if isinstance(contactless_atr, str)
                                                else contactless_atr),
                         apdu_buffer_size=apdu_buffer_size)
        self.protocol = protocol
        self.card.power_on()

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

    # --- commands ----------------------------------------------------------------------------

    def transmit(self, apdu: bytes | bytearray | str | CommandAPDU, channel: int | None = None,
                 *, interface: str = CONTACT) -> Response:
        """Send one command APDU (bytes, hex text or ``CommandAPDU``); returns the response.

        ``channel=None`` sends the CLA as given; a number re-encodes the CLA for that logical
        channel (0-19). ``interface`` is ``"contact"`` or ``"contactless"``.
        """
        raw = _to_bytes(apdu)
        if channel is not None and raw and CLA_TABLE[raw[0]] is not None:
            try:
                raw = bytes((channel_cla(raw[0], channel),)) + raw[1:]
            except ValueError as exc:
                raise JCSimError(str(exc)) from exc
        if interface not in self.card.interfaces:
            raise JCSimError(f"no interface named {interface!r}: use 'contact' or 'contactless'")
        return Response.from_bytes(self.card.exchange(raw, interface))

    def select(self, aid: AIDLike, channel: int = 0, *, interface: str = CONTACT) -> Response:
        """SELECT an applet by AID on ``channel``."""
        value = aid_bytes(aid)
        if not 1 <= len(value) <= 16:
            raise JCSimError(f"SELECT by AID takes 1 to 16 bytes, not {len(value)}")
        command = bytes((0x00, 0xA4, 0x04, 0x00, len(value))) + value + b"\x00"
        return self.transmit(command, channel, interface=interface)

    # --- power -------------------------------------------------------------------------------

    @property
    def atr(self) -> bytes:
        """The contact interface's ATR."""
        return self.card.interfaces[CONTACT].atr

    def atr_of(self, interface: str) -> bytes:
        return self.card.interfaces[interface].atr

    def reset(self) -> bytes:
        """Warm reset; returns the ATR."""
        return self.card.reset()

    def power_on(self) -> bytes:
        """Power the card up (a cold reset if it already has power); returns the ATR."""
        return self.card.power_on()

    def power_off(self) -> None:
        """Remove power."""
        self.card.power_off()

    @property
    def powered(self) -> bool:
        return self.card.powered

    # --- observation -------------------------------------------------------------------------

    def subscribe(self, observer: Observer) -> None:
        """Call ``observer(exchange)`` after every command (see ``runtime.events.Exchange``)."""
        self.card.observers.append(observer)

    def unsubscribe(self, observer: Observer) -> None:
        self.card.observers.remove(observer)
