"""Transports that carry APDUs between a simulated card and the outside world.

``vpcd_codec`` is the sans-IO framing of vsmartcard's virtual PCD driver, ``vpcd_card`` what the
card answers to each of its events, and ``vpcd`` the socket adapter that serves a card to pcscd
(``serve_vpcd``); ``busy_poll`` is the adapter's optional spin before a blocking read, which keeps
a link awake between the commands of a burst.
"""

from jcsim.transport.vpcd import (
    DEFAULT_PORT,
    Backoff,
    LinkEvent,
    LinkTimeouts,
    VpcdLink,
    VpcdServer,
    serve_vpcd,
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
