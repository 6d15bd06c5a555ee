"""Framing an applet's response for the interface's protocol (ISO 7816-3 §10-12, JCRE §9).

T=1 (and T=CL) carry the whole response, data then SW, in one exchange. Under T=0 the card
sends data directly only for a case 2 command whose Le matches the length; a mismatch gets 6Cxx
(the terminal re-issues the command with P3 = xx), and data for any other case waits behind
61xx for GET RESPONSE (``00 C0 00 00 xx``) on the same logical channel, in chunks of at most 256
bytes. Any other command on that channel discards what was waiting.
"""

from __future__ import annotations

from jcsim.apdu import Lengths
from jcsim.runtime.interface import LogicalChannel

__all__ = ["INS_GET_RESPONSE", "frame_response", "serve_get_response", "serve_reissue"]

INS_GET_RESPONSE = 0xC0


_SW_NO_ERROR = b"\x90\x00"


def _sw(sw: int) -> bytes:
    return bytes((sw >> 8 & 0xFF, sw & 0xFF))


def frame_response(t0: bool, channel: LogicalChannel, raw: bytes, lengths: Lengths,
                   data: bytes | bytearray, sw: int) -> bytes:
    """The bytes the card answers: ``data + SW`` (T=1), or the T=0 procedure for them."""
    if not t0 or not data:
        tail = _SW_NO_ERROR if sw == 0x9000 else _sw(sw)
        return bytes(data) + tail if data else tail
    if lengths.le_present and not lengths.nc and not lengths.extended and len(data) <= 256:
        # 6Cxx can only name a length up to 256; a longer answer (an ExtendedLength applet
        # may give one to a short case 2 command) waits behind 61xx like any other.
        if len(data) == lengths.ne:
            return bytes(data) + _sw(sw)
        channel.reissue = (raw[:4], len(data) & 0xFF, bytes(data) + _sw(sw))
        return _sw(0x6C00 | (len(data) & 0xFF))
    channel.pending = bytes(data) + _sw(sw)
    return _sw(0x6100 | (min(len(data), 256) & 0xFF))


def serve_get_response(channel: LogicalChannel, raw: bytes, lengths: Lengths) -> bytes:
    """Answer GET RESPONSE from the response waiting on ``channel``."""
    pending = channel.pending
    assert pending is not None
    if raw[2] or raw[3]:
        return _sw(0x6A86)
    available = len(pending) - 2
    wanted = lengths.ne if lengths.le_present else 256
    if wanted > available:
        return _sw(0x6C00 | (available & 0xFF))
    chunk = pending[:wanted]
    rest = pending[wanted:]
    if len(rest) > 2:
        channel.pending = rest
        return chunk + _sw(0x6100 | (min(len(rest) - 2, 256) & 0xFF))
    channel.pending = None
    return chunk + rest


def serve_reissue(channel: LogicalChannel, raw: bytes, lengths: Lengths) -> bytes | None:
    """The response a 6Cxx asked to re-issue for, if ``raw`` is that re-issued command."""
    reissue = channel.reissue
    channel.reissue = None
    if reissue is None:
        return None
    header, p3, response = reissue
    if raw[:4] == header and len(raw) == 5 and raw[4] == p3:
        return response
    return None
