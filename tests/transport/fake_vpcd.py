"""A fake vpcd made of real sockets on 127.0.0.1: it listens like vpcd, accepts the card, sends
frames and reads the card's answers with the sans-IO frame decoder."""

from __future__ import annotations

import socket
import time

from jcsim.transport import Backoff
from jcsim.transport.vpcd_codec import (
    NEED_DATA,
    Command,
    Event,
    FrameDecoder,
    GetATR,
    PowerOn,
    encode_event,
)

# What the transport tests send the echo sample (jcsim.samples.echo) and what it answers.
ECHO_AID = "F0 00 00 00 01 01"
SELECT_ECHO = Command.from_hex("00A4040006F0000000010100")
HELLO = Command.from_hex("8002000000")
GREETING = b"Hello from jcsim\x90\x00"
# Reconnection delays short enough for a test to see several.
FAST = Backoff(0.02, 0.2, removal=0.05)


class PeerConnection:
    """The fake vpcd's end of one connection to the card."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.frames = FrameDecoder()

    def send(self, *events: Event) -> None:
        self.sock.sendall(b"".join(encode_event(e) for e in events))

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def read_frame(self, timeout: float = 5.0) -> bytes:
        """The next frame the card sends; AssertionError when the card closes first."""
        deadline = time.monotonic() + timeout
        while (frame := self.frames.next_frame()) is NEED_DATA:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the card sent no frame")
            self.sock.settimeout(remaining)
            data = self.sock.recv(65538)
            if not data:
                raise AssertionError("the card closed the connection instead of answering")
            self.frames.receive_data(data)
        return frame  # type: ignore[return-value]

    def request(self, event: Event, timeout: float = 5.0) -> bytes:
        self.send(event)
        return self.read_frame(timeout)

    def closed_by_card(self, timeout: float = 5.0) -> bool:
        """True when the card closes the connection (without sending anything more)."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65538)
        except TimeoutError:
            return False
        except ConnectionResetError:
            return True
        if data:
            raise AssertionError(f"the card sent {data.hex()} instead of closing")
        return True

    def close(self) -> None:
        self.sock.close()


class FakeVpcd:
    """Listens on a free port of 127.0.0.1, as vpcd does for one reader slot."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.peers: list[PeerConnection] = []

    def accept(self, timeout: float = 5.0) -> PeerConnection:
        self.server.settimeout(timeout)
        sock, _ = self.server.accept()
        sock.settimeout(timeout)
        peer = PeerConnection(sock)
        self.peers.append(peer)
        return peer

    def close(self) -> None:
        for peer in self.peers:
            peer.close()
        self.server.close()


def powered(peer: PeerConnection) -> bytes:
    """Power the card up as vpcd does (01, then 04); returns the ATR."""
    peer.send(PowerOn())
    atr = peer.request(GetATR())
    assert atr[:1] == b"\x3B"
    return atr
