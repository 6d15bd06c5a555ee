"""MANAGE CHANNEL (ISO 7816-4 §11.1.2; JCRE 3.0.5 §4.6.1 open, §4.7.1 close).

``CLA 70 00 00 01``: open the lowest free channel, answer its number. ``CLA 70 00 0R``: open
channel R. ``CLA 70 80 0R``: close channel R. P2 carries the channel number 0-19 itself, not a
CLA encoding. The checks run in the specification's order; MANAGE CHANNEL never reaches an
applet. Opening from the basic channel selects the interface's default applet on the new
channel; opening from channel Q > 0 selects there the applet active on Q (its ``select`` is
called, ``process`` is not). With no such applet the channel opens with nothing selected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jcsim.apdu import Lengths
from jcsim.framework.cla import ClassByte
from jcsim.framework.iso7816 import ISO7816
from jcsim.runtime import selection
from jcsim.runtime.interface import CHANNEL_COUNT, Interface

if TYPE_CHECKING:
    from jcsim.runtime.card_state import CardState

__all__ = ["INS_MANAGE_CHANNEL", "manage_channel", "open_channel"]

INS_MANAGE_CHANNEL = 0x70
P1_OPEN = 0x00
P1_CLOSE = 0x80


def manage_channel(card: CardState, iface: Interface, cla: ClassByte, raw: bytes,
                   lengths: Lengths) -> tuple[bytes, int]:
    """Carry out a MANAGE CHANNEL command; returns (response data, status word)."""
    p1, p2 = raw[2], raw[3]
    if cla.secure_messaging:
        return b"", ISO7816.SW_SECURE_MESSAGING_NOT_SUPPORTED
    if p1 not in (P1_OPEN, P1_CLOSE) or p2 >= CHANNEL_COUNT:
        return b"", ISO7816.SW_FUNC_NOT_SUPPORTED
    origin = iface.channels[cla.channel]
    if not origin.is_open:
        return b"", ISO7816.SW_LOGICAL_CHANNEL_NOT_SUPPORTED
    if p1 == P1_CLOSE:
        return b"", close_channel(card, iface, p2)
    if p2 == 0:
        if not lengths.le_present or lengths.ne != 1:
            return b"", ISO7816.SW_CORRECT_LENGTH_00 | 0x01
        free = next((ch.number for ch in iface.channels[1:] if not ch.is_open), None)
        if free is None:
            return b"", ISO7816.SW_FUNC_NOT_SUPPORTED
        sw = open_channel(card, iface, origin.number, free)
        # The channel number is the answer only when the channel stayed open: after 6985 or
        # 6999 the JCRE has closed it again, and an error carries no data.
        return (bytes((free,)) if sw == ISO7816.SW_NO_ERROR else b""), sw
    if iface.channels[p2].is_open:
        return b"", ISO7816.SW_INCORRECT_P1P2
    return b"", open_channel(card, iface, origin.number, p2)


def open_channel(card: CardState, iface: Interface, origin: int, number: int) -> int:
    """Open channel ``number`` of ``iface`` from ``origin`` and select its applet."""
    channel = iface.channels[number]
    channel.is_open = True
    if origin == 0:
        candidate = card.registry.default_for(iface.name)
    else:
        candidate = iface.channels[origin].selected
    if candidate is None:
        return ISO7816.SW_NO_ERROR
    if not selection.may_activate(card, candidate, channel):
        channel.close()
        return ISO7816.SW_CONDITIONS_NOT_SATISFIED
    if selection.activate(card, candidate, iface, channel) != selection.SELECT_OK:
        channel.close()
        return ISO7816.SW_APPLET_SELECT_FAILED
    return ISO7816.SW_NO_ERROR


def close_channel(card: CardState, iface: Interface, number: int) -> int:
    """Close channel ``number`` (1-19), deselecting its applet; 6200 if it was not open."""
    if number == 0:
        return ISO7816.SW_FUNC_NOT_SUPPORTED
    channel = iface.channels[number]
    if not channel.is_open:
        return ISO7816.SW_WARNING_STATE_UNCHANGED
    selection.deactivate(card, iface, channel)
    channel.close()
    return ISO7816.SW_NO_ERROR
