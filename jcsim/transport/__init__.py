"""Transports that carry APDUs between a simulated card and the outside world.

``vpcd_codec`` is the sans-IO framing of vsmartcard's virtual PCD driver, ``vpcd_card`` what the
card answers to each of its events, ``vpcd`` the socket adapter (one link per reader slot) and
``vpcd_server`` what serves a card to pcscd on one or two slots (``serve_vpcd``); ``busy_poll`` is
the links' optional spin before a blocking read, which keeps a link awake through a burst.
"""

from jcsim.transport.vpcd import (
    DEFAULT_PORT,
    Backoff,
    LinkEvent,
    LinkTimeouts,
    VpcdLink,
)
from jcsim.transport.vpcd_card import DEFAULT_UID, CardPort
from jcsim.transport.vpcd_codec import (
    NEED_DATA,
    Command,
    Event,
    FrameDecoder,
    GetATR,
    Malformed,
    PowerOff,
    PowerOn,
    Reset,
    VpcdDecoder,
    encode_event,
    encode_frame,
)
from jcsim.transport.vpcd_server import VpcdServer, serve_vpcd

__all__ = [
    "DEFAULT_PORT",
    "DEFAULT_UID",
    "NEED_DATA",
    "Backoff",
    "CardPort",
    "Command",
    "Event",
    "FrameDecoder",
    "GetATR",
    "LinkEvent",
    "LinkTimeouts",
    "Malformed",
    "PowerOff",
    "PowerOn",
    "Reset",
    "VpcdDecoder",
    "VpcdLink",
    "VpcdServer",
    "encode_event",
    "encode_frame",
    "serve_vpcd",
]
