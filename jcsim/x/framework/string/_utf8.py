"""UTF-8 code point boundaries as ``StringUtil`` sees them (RFC 3629).

A well-formed sequence is one code point. Anything else also counts as one code point: a lead
byte with the continuation bytes that follow it (at most as many as the lead byte announces),
or a lone continuation or invalid byte. ``tokens`` gives the (start, end, well_formed) of each.
"""

from __future__ import annotations

__all__ = ["tokens", "well_formed"]


def _expected(lead: int) -> int:
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0  # a continuation byte or a byte UTF-8 never uses


def well_formed(data: bytes) -> bool:
    """True if ``data`` is valid UTF-8 (no overlong forms, surrogates or values > U+10FFFF)."""
    try:
        data.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def tokens(data: bytes) -> list[tuple[int, int, bool]]:
    """(start, end, well_formed) of each code point of ``data``."""
    found = []
    i = 0
    while i < len(data):
        n = _expected(data[i])
        if n <= 1:
            found.append((i, i + 1, n == 1))
            i += 1
            continue
        end = i + 1
        while end < min(len(data), i + n) and 0x80 <= data[end] <= 0xBF:
            end += 1
        found.append((i, end, end - i == n and well_formed(data[i:end])))
        i = end
    return found
