"""Framing an applet's response for the interface's protocol (ISO 7816-3 §10-12, JCRE §9).

T=1 (and T=CL) carry the whole response, data then SW, in one exchange. Under T=0 the card
sends data directly only for a case 2 command whose Le matches the length; a mismatch gets 6Cxx
(the terminal re-issues the command with P3 = xx), and data for any other case waits behind
61xx for GET RESPONSE (``00 C0 00 00 xx``) on the same logical channel, in chunks of at most 256
bytes. Any other command on that channel discards what was waiting.
"""

from __future__ import annotations

from jcsim.runtime.interface import LogicalChannel

__all__ = ["INS_GET_RESPONSE", "frame_t0", "serve_get_response", "serve_reissue"]

INS_GET_RESPONSE = 0xC0


def frame_t0(channel: LogicalChannel, raw: bytes, nc: int, ne: int, le_present: bool,
             extended: bool, data: bytes, sw: int) -> tuple[bytes, int]:
    """What a T=0 card answers now for an applet's (non-empty) ``data`` and ``sw``: the data
    at once, or 6Cxx or 61xx with the response kept on ``channel`` for the next command."""
    if le_present and not nc and not extended and len(data) <= 256:
        # 6Cxx can only name a length up to 256; a longer answer (an ExtendedLength applet
        # may give one to a short case 2 command) waits behind 61xx like any other.
        if len(data) == ne:
            return data, sw
        channel.reissue = (raw[:4], len(data) & 0xFF, data, sw)
        return b"", 0x6C00 | (len(data) & 0xFF)
    channel.pending = data + bytes((sw >> 8 & 0xFF, sw & 0xFF))
    return b"", 0x6100 | (len(data) & 0xFF if len(data) < 256 else 0)


def serve_get_response(channel: LogicalChannel, raw: bytes, wanted: int) -> tuple[bytes, int]:
    """Answer GET RESPONSE (Le = ``wanted`` bytes) from the response waiting on ``channel``."""
    pending = channel.pending
    assert pending is not None
    if raw[2] or raw[3]:
        return b"", 0x6A86
    available = len(pending) - 2
    if wanted > available:
        return b"", 0x6C00 | (available & 0xFF)
    chunk = pending[:wanted]
    rest = available - wanted
    if rest > 0:
        channel.pending = pending[wanted:]
        return chunk, 0x6100 | (rest & 0xFF if rest < 256 else 0)
    channel.pending = None
    return chunk, (pending[-2] << 8) | pending[-1]


def serve_reissue(channel: LogicalChannel, raw: bytes) -> tuple[bytes, int] | None:
    """The response a 6Cxx asked to re-issue for, if ``raw`` is that re-issued command."""
    reissue = channel.reissue
    channel.reissue = None
    if reissue is None:
        return None
    header, p3, data, sw = reissue
    if raw[:4] == header and len(raw) == 5 and raw[4] == p3:
        return data, sw
    return None
