"""A sans-IO reader of HTTP/1.1 chunked request bodies (RFC 9112 §7.1).

Amendment B cards send their responses chunked, and ``http.server`` does not decode that. The
reader tells the adapter exactly what to read next, so it never reads past the body:
``wants()`` is ``("line", limit)``, ``("data", n)`` or None when finished (``body``) or broken
(``error``); ``give(bytes)`` hands over what was read (an empty ``give`` means the peer closed).
"""

from __future__ import annotations

__all__ = ["ChunkedReader"]

_LINE_LIMIT = 1024


class ChunkedReader:
    def __init__(self, max_body: int) -> None:
        self.max_body = max_body
        self.error: str | None = None
        self._parts: list[bytes] = []
        self._size = 0
        self._state = "size"  # size -> data -> crlf -> size ... -> trailer -> done
        self._pending = 0

    @property
    def body(self) -> bytes:
        return b"".join(self._parts)

    @property
    def done(self) -> bool:
        return self._state == "done"

    def wants(self) -> tuple[str, int] | None:
        if self.error is not None or self._state == "done":
            return None
        if self._state == "data":
            return ("data", self._pending)
        return ("line", _LINE_LIMIT)

    def _fail(self, message: str) -> None:
        self.error = message

    def give(self, data: bytes) -> None:
        if self.error is not None or self._state == "done":
            return
        if not data:
            self._fail("the body ended before its last chunk")
            return
        if self._state == "data":
            self._parts.append(data)
            self._pending -= len(data)
            if self._pending < 0:
                self._fail("more data than the chunk announced")
            elif self._pending == 0:
                self._state = "crlf"
            return
        if not data.endswith(b"\n"):
            self._fail("a chunk line is too long or cut short")
            return
        line = data.rstrip(b"\r\n")
        if self._state == "crlf":
            if line:
                self._fail("chunk data is not followed by CRLF")
            else:
                self._state = "size"
            return
        if self._state == "trailer":
            if not line:
                self._state = "done"
            return
        size_text = line.split(b";", 1)[0].strip()
        if not size_text or size_text.strip(b"0123456789abcdefABCDEF"):
            self._fail(f"not a chunk size: {size_text[:20]!r}")
            return
        size = int(size_text, 16)
        if size == 0:
            self._state = "trailer"
            return
        self._size += size
        if self._size > self.max_body:
            self._fail(f"the body exceeds {self.max_body} bytes")
            return
        self._pending = size
        self._state = "data"
