"""The hostile-input campaigns, shared by the fuzz tests (short, driven by hypothesis) and
``bench/soak.py`` (long, counted): structure-aware card image mutations, hostile RAM over HTTP
peers on both sides, random vpcd frames and disconnects, random APDUs over every sample.

Each ``*_case`` function runs one case from a ``random.Random`` and returns what happened (a
short outcome name); anything that breaks a promise raises ``Escape`` with a reproduction hint.
"""

from __future__ import annotations

import builtins
import copy
import hashlib
import json
import random
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from jcsim import Response, Simulator
from jcsim.remote import Outcome, ScriptServer, SessionReport, run_session
from jcsim.runtime import image
from jcsim.runtime.image import ImageError
from jcsim.samples.channel_security.channel_security_applet import ChannelSecurityApplet
from jcsim.samples.echo.echo import Echo
from jcsim.samples.hotp import HotpApplet
from jcsim.samples.hotp.host import AID as HOTP_AID
from jcsim.samples.multiselectable.sample_applet import SampleApplet
from jcsim.samples.purse.purse_applet import PURSE_AID, PurseApplet
from jcsim.samples.purse_tx.purse import Purse
from jcsim.samples.ram_seed.seed_applet import AID as SEED_AID
from jcsim.samples.ram_seed.seed_applet import SeedApplet
from jcsim.samples.securepurse import protocol as secure_protocol
from jcsim.samples.securepurse.secure_purse_applet import SECURE_PURSE_AID, SecurePurseApplet
from jcsim.samples.update_buffer import UpdateBuffer
from jcsim.samples.wallet import AID as WALLET_AID
from jcsim.samples.wallet import SmartWallet
from jcsim.samples.wallet.protocol import personalisation as wallet_personalisation
from jcsim.transport.vpcd_codec import NEED_DATA, FrameDecoder


class Escape(AssertionError):
    """A promise broken: an exception that should not be, a hang, a changed process."""


# --- every sample on one card ------------------------------------------------------------------

SAMPLES: list[tuple[type, str, bytes]] = [
    (Echo, "F0 00 00 00 01 01", b""),
    (ChannelSecurityApplet, "F0 00 00 00 20 01", b""),
    (Purse, "F0 00 00 00 30 01", b""),
    (UpdateBuffer, "F0 00 00 00 40 01", b""),
    (SampleApplet, "F0 00 00 00 10 01", b""),
    (SampleApplet, "F0 00 00 00 10 02", b""),
    (PurseApplet, PURSE_AID, b""),
    (SecurePurseApplet, SECURE_PURSE_AID,
     secure_protocol.personalisation("1234", "5678", bytes(range(16)))),
    (SmartWallet, WALLET_AID.hex(),
     wallet_personalisation(bytes(range(16)), b"87654321", b"1234", b"4000123412341234")),
    (SeedApplet, SEED_AID.hex(), b""),
    (HotpApplet, HOTP_AID, b""),
]
AIDS = [bytes.fromhex(aid.replace(" ", "")) for _, aid, _ in SAMPLES]


def sample_card() -> Simulator:
    """Every sample applet on one card, used a little (so the image has state to mutate)."""
    sim = Simulator()
    for cls, aid, params in SAMPLES:
        sim.install(cls, aid, params) if params else sim.install(cls, aid)
    sim.power_on()
    for aid in AIDS:
        sim.select(aid)
        sim.transmit(bytes((0x80, 0x10, 0, 0, 2, 0, 5)))
        sim.transmit(bytes((0x00, 0x20, 0, 0x81, 4)) + b"1234")
    sim.select(AIDS[2])
    sim.transmit("80 20 00 00 02 00 64")  # a credit on the transaction purse
    return sim


def random_apdu(rng: random.Random) -> bytes:
    """A command APDU that is often well-formed and often aimed at a sample's instructions."""
    choice = rng.random()
    if choice < 0.1:
        return rng.randbytes(rng.randint(0, 12))  # anything, even too short
    cla = rng.choice([0x00, 0x80, 0x84, 0x01, 0x0C, 0x40, rng.randrange(256)])
    ins = rng.choice([0xA4, 0x20, 0x10, 0x12, 0x14, 0x16, 0x30, 0x40, 0xCA, 0xB0, 0x50,
                      0x70, rng.randrange(256)])
    header = bytes((cla, ins, rng.randrange(256), rng.randrange(256)))
    if choice < 0.3:
        return header
    if choice < 0.4:
        return header + bytes((rng.randrange(256),))
    data = rng.randbytes(rng.choice([0, 1, 2, 4, 8, 16, rng.randint(0, 255)]))
    body = bytes((len(data),)) + data if data else b""
    if choice < 0.9:
        return header + body + (bytes((rng.randrange(256),)) if rng.random() < 0.5 else b"")
    extended = rng.randbytes(rng.randint(0, 600))
    return header + b"\x00" + len(extended).to_bytes(2, "big") + extended


def apdu_case(sim: Simulator, rng: random.Random) -> str:
    """One random APDU (sometimes a SELECT of a sample, a reset or a channel change)."""
    roll = rng.random()
    try:
        if roll < 0.05:
            aid = rng.choice(AIDS)
            response = sim.select(aid, channel=rng.choice([0, 0, 0, 1, 2]))
        elif roll < 0.06:
            sim.reset()
            return "reset"
        else:
            response = sim.transmit(random_apdu(rng))
    except Exception as exc:
        raise Escape(f"an APDU raised {type(exc).__name__}: {exc}") from exc
    if not isinstance(response, Response) or not 0 <= response.sw <= 0xFFFF:
        raise Escape(f"not a response: {response!r}")
    return f"{response.sw >> 8:02X}xx"


# --- card images -------------------------------------------------------------------------------

_CLASS_NAMES = ["os:system", "builtins:eval", "sys:path", "subprocess:Popen",
                "jcsim.framework.arrays:ByteArray", "jcsim.framework.arrays:TemporaryByteArray",
                "jcsim.samples.echo.echo:Echo", "jcsim.runtime.statics:ClassStatics",
                "jcsim.samples.wallet:SmartWallet", "tests.fuzz.campaigns:Escape"]
_EDGE_INTS = [0, 1, -1, 2, 255, 256, 32767, 32768, -32769, 2 ** 31, 2 ** 63, 10 ** 10,
              -(2 ** 63), 10 ** 19]


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(12 if depth < 3 else 8)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice(_EDGE_INTS)
    if kind == 3:
        return rng.choice(["", "zz", "00", "0" * 9, "\u00b2", "__class__", "_jc_owner",
                           rng.choice(_CLASS_NAMES), "contact", "T=1"])
    if kind == 4:
        return {"r": rng.choice([0, 1, 2, 3, 10 ** 6, -1])}
    if kind == 5:
        return {"b": rng.choice(["", "0", "zz", "00" * rng.randint(1, 40)])}
    if kind == 6:
        return {"missing": True}
    if kind == 7:
        return {rng.choice(["s", "aid", "x", "t", "d"]): rng.choice(["A000000003", 5, None])}
    if kind in (8, 9):
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(["class", "fields", "owner", "t", "d", "r", "length"]):
            _random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def _nodes(tree: Any, found: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                found.append((node, key))
                stack.append(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                found.append((node, index))
                stack.append(value)
    return found


def mutate_body(body: dict, rng: random.Random) -> dict:
    """A copy of ``body`` with one to four structure-aware mutations."""
    body = copy.deepcopy(body)
    nested_once = False  # one deep nesting per image keeps the generator within Python's stack
    for _ in range(rng.randint(1, 4)):
        nodes = _nodes(body, [])
        if not nodes:
            break
        parent, key = rng.choice(nodes)
        op = rng.randrange(9)
        value = parent[key]
        if op == 0:
            parent[key] = _random_value(rng)
        elif op == 1:
            del parent[key]
        elif op == 2 and isinstance(value, int) and not isinstance(value, bool):
            parent[key] = rng.choice(_EDGE_INTS + [value + 1, value - 1, -value])
        elif op == 3 and isinstance(value, str):
            parent[key] = rng.choice([value[:-1], value + "0", value[::-1], value.upper(),
                                      rng.choice(_CLASS_NAMES), value + "00" * 40000])
        elif op == 4 and isinstance(value, list) and value:
            value.append(copy.deepcopy(rng.choice(value)))
        elif op == 5 and not nested_once:
            nested_once = True
            nested: Any = value
            for _ in range(rng.choice([5, 40, 100])):
                nested = {"t": [nested]}
            parent[key] = nested
        elif op == 6 and isinstance(parent, dict):
            parent[rng.choice(["__class__", "_jc_owner", "extra", "hmac", "9"])] = \
                _random_value(rng)
        elif op == 7 and not nested_once:
            other_parent, other_key = rng.choice(nodes)
            parent[key] = copy.deepcopy(other_parent[other_key])
    return body


def reseal(document: dict) -> bytes:
    """The document with a right plain checksum again (what anyone can do)."""
    if isinstance(document.get("body"), dict):
        document["sha256"] = hashlib.sha256(image._canonical(document["body"])).hexdigest()
    return json.dumps(document).encode()


def _process_state() -> tuple[Any, ...]:
    return (frozenset(sys.modules), list(sys.path), dict(vars(builtins)))


def image_case(base: dict, rng: random.Random) -> str:
    """Mutate the image ``base`` (a parsed document), load it, and use the card if it loads."""
    roll = rng.random()
    if roll < 0.8:
        document = copy.deepcopy(base)
        document["body"] = mutate_body(base["body"], rng)
        data = reseal(document)
    elif roll < 0.9:
        data = json.dumps(base).encode()
        data = data[:rng.randrange(len(data))]
    else:
        data = bytearray(json.dumps(base).encode())
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        data = bytes(data)
    before = _process_state()
    try:
        sim = Simulator.from_snapshot(data)
    except ImageError:
        if _process_state() != before:
            raise Escape("a refused image changed the process") from None
        return "refused"
    except BaseException as exc:
        raise Escape(f"loading raised {type(exc).__name__}: {exc}") from exc
    try:
        if not sim.powered:
            sim.power_on()
        for _ in range(4):
            apdu_case(sim, rng)
        sim.snapshot()
    except Escape:
        raise
    except Exception as exc:
        raise Escape(f"a loaded card failed: {type(exc).__name__}: {exc}") from exc
    return "loaded"


def base_image() -> dict:
    return json.loads(sample_card().snapshot())


# --- RAM over HTTP: hostile servers --------------------------------------------------------------

_VERIFY = bytes.fromhex("AA 06 22 04 00 20 00 81")


def hostile_reply(rng: random.Random) -> tuple[bytes, bool]:
    """Bytes a server might answer with, and whether they are one complete, valid reply."""
    status = rng.choice([200, 200, 204, 404, 500, 100, 999, 0])
    body = rng.choice([_VERIFY, b"", rng.randbytes(rng.randint(0, 64)), b"\xaa\x83\x7f\xff\xff"])
    headers = []
    if rng.random() < 0.5:
        headers.append(b"X-Admin-Next-URI: " + rng.choice(
            [b"/next", b"/n\xc3\xa9xt", b"http://evil/x", b"/a b", b"", b"\xff" * 3]))
    if rng.random() < 0.3:
        headers.append(b"Set-Cookie: " + rng.choice([b"JSESSIONID=1", b"\xe9=\xe9", b";;"]))
    framing = rng.randrange(6)
    valid = True
    if framing == 0:
        headers.append(b"Content-Length: %d" % len(body))
        payload = body
    elif framing == 1:
        cut = rng.randint(1, 4)
        chunks = [body[i:i + cut] for i in range(0, len(body), cut)]
        payload = b"".join(b"%x\r\n" % len(c) + c + b"\r\n" for c in chunks) + b"0\r\n\r\n"
        headers.append(b"Transfer-Encoding: chunked")
    elif framing == 2:
        headers.append(b"Content-Length: " + rng.choice([b"-1", b"\xc2\xb2", b"1e3",
                                                         b"99999999999999", b"5, 6"]))
        payload, valid = body, False
    elif framing == 3:
        headers.append(b"Transfer-Encoding: chunked")
        payload = rng.choice([b"-5\r\nhello\r\n", b"zz\r\n", b"5\r\nab", b"ffffffffffff\r\n"])
        valid = False
    elif framing == 4:
        headers.append(b"Content-Length: %d" % (len(body) + rng.randint(1, 9)))
        payload, valid = body, False
    else:
        payload = body  # no framing: the body runs to the close
    if status == 204 and framing != 2:
        valid = True  # a 204 has no body, whatever its framing headers say
    reply = b"HTTP/1.1 %d X\r\n" % status + b"".join(h + b"\r\n" for h in headers) + b"\r\n"
    reply += payload
    if rng.random() < 0.15:
        head_end = reply.find(b"\r\n\r\n") + 4
        cut = rng.randrange(max(1, len(reply)))
        reply = reply[:cut]
        # A 204 has no body: cut after its head, it is still a whole reply.
        valid = valid and status == 204 and cut >= head_end > 3
    if rng.random() < 0.05:
        reply, valid = rng.randbytes(rng.randint(0, 40)), False
    return reply, valid and status in (200, 204, 404, 500)


class HostileServer:
    """A raw TCP server answering every request with the next planned bytes, then closing."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.plan: list[tuple[bytes, float]] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d" % self.sock.getsockname()[1]

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(2)
                try:
                    while self.plan:
                        if not _read_request(conn):
                            break
                        reply, trickle = self.plan.pop(0)
                        if trickle:
                            for i in range(0, len(reply), 3):
                                conn.sendall(reply[i:i + 3])
                                time.sleep(trickle)
                        else:
                            conn.sendall(reply)
                    conn.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

    def close(self) -> None:
        self.stopping.set()
        self.thread.join()
        self.sock.close()


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            return b""
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        piece = conn.recv(65536)
        if not piece:
            break
        body += piece
    return data


def client_case(server: HostileServer, sim: Simulator, rng: random.Random) -> str:
    """One session of ``run_session`` against a server answering 1-3 hostile replies."""
    replies = [hostile_reply(rng) for _ in range(rng.randint(1, 3))]
    server.plan = [(reply, 0.02 if rng.random() < 0.03 else 0.0) for reply, _ in replies]
    profile = rng.choice(["openscdp", "gp-amd-b"])
    start = time.monotonic()
    try:
        report = run_session(sim, server.url + "/ram", profile=profile, timeout=0.3,
                             session_timeout=0.6, max_body=4096)
    except Exception as exc:
        raise Escape(f"run_session raised {type(exc).__name__}: {exc} "
                     f"(replies {[r for r, _ in replies]!r})") from exc
    if time.monotonic() - start > 5.0:
        raise Escape("a session outlived its deadline")
    if not isinstance(report, SessionReport):
        raise Escape(f"not a report: {report!r}")
    if report.outcome is Outcome.COMPLETED and not any(valid for _, valid in replies):
        raise Escape(f"broken replies completed a session: {[r for r, _ in replies]!r}")
    return report.outcome.value


# --- RAM over HTTP: hostile clients --------------------------------------------------------------

def hostile_request(rng: random.Random) -> bytes:
    method = rng.choice([b"POST", b"POST", b"GET", b"BREW", b"P\xc3\xb6ST", b""])
    target = rng.choice([b"/", b"/ram?jcsim-session=x&step=1", b"/\xff", b"*", b"/" * 3000])
    version = rng.choice([b"HTTP/1.1", b"HTTP/1.0", b"HTTP/9.9", b"HTCPCP/1.0"])
    headers = [b"Host: x"] if rng.random() < 0.9 else []
    body = rng.choice([b"", b"\xe8\x02\xc0\x00", b"\xab\x05\x23\x01\x90\x00",
                       rng.randbytes(rng.randint(0, 50))])
    framing = rng.randrange(5)
    if framing == 0:
        headers.append(b"Content-Length: %d" % len(body))
    elif framing == 1:
        headers.append(b"Content-Length: " + rng.choice([b"\xc2\xb2", b"-1", b"1, 2", b"99999999"]))
    elif framing == 2:
        headers.append(b"Transfer-Encoding: chunked")
        body = rng.choice([b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n", b"-5\r\n", b"zz\r\n"])
    elif framing == 3:
        headers.append(b"X-Big: " + b"a" * rng.choice([10, 70000]))
    if rng.random() < 0.3:
        headers.append(b"Cookie: JSESSIONID=" + rng.choice([b"\xe9", b"abc", b"../.."]))
    request = method + b" " + target + b" " + version + b"\r\n" + b"".join(
        h + b"\r\n" for h in headers) + b"\r\n" + body
    if rng.random() < 0.15:
        request = request[:rng.randrange(max(1, len(request)))]
    return request


def server_case(server: ScriptServer, rng: random.Random) -> str:
    """Send one hostile request; the server answers with a status line or closes, in time."""
    host, port = server.url.removeprefix("http://").split(":")
    request = hostile_request(rng)
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        try:
            sock.sendall(request)
            if rng.random() < 0.5:
                sock.shutdown(socket.SHUT_WR)
            answer = b""
            deadline = time.monotonic() + 4
            while len(answer) < 65536 and time.monotonic() < deadline:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                piece = sock.recv(65536)
                if not piece:
                    break
                answer += piece
                if b"\r\n\r\n" in answer:
                    break
        except TimeoutError:
            raise Escape(f"the server neither answered nor closed: {request[:80]!r}") from None
        except ConnectionResetError:
            return "reset"
    if not answer:
        return "closed"
    if not answer.startswith(b"HTTP/1.1 ") or answer[9:12] not in (
            b"200", b"204", b"400", b"404", b"405", b"408", b"409", b"413", b"431", b"503",
            b"501", b"505", b"504", b"500"):
        # 500 is the documented answer when the script fails (here: on a malformed answer
        # delivered to a session another hostile request opened with the same cookie).
        raise Escape(f"unexpected answer {answer[:40]!r} to {request[:80]!r}")
    return answer[9:12].decode()


def script_server(**options: Any) -> ScriptServer:
    def perform(session: Any, path_info: str) -> None:
        session.card.transmit("00 20 00 81")

    return ScriptServer(perform, response_timeout=1.0, script_timeout=1.0, idle_timeout=1.0,
                        max_connections=16, max_sessions=16, **options)


# --- vpcd ----------------------------------------------------------------------------------------

def vpcd_stream(rng: random.Random) -> bytes:
    """Frames vpcd might send, mixed with frames it never would and cut-off ends."""
    frames = []
    for _ in range(rng.randint(1, 12)):
        kind = rng.random()
        if kind < 0.4:
            payload = bytes((rng.choice([0, 1, 2, 4, 4, 4, 3, 0xFF]),))
        elif kind < 0.8:
            payload = random_apdu(rng) or b"\x00\xa4"
        elif kind < 0.9:
            payload = b""
        else:
            payload = rng.randbytes(rng.randint(2, 300))
        frames.append(len(payload).to_bytes(2, "big") + payload)
    stream = b"".join(frames)
    if rng.random() < 0.2:
        stream = stream[:rng.randrange(max(1, len(stream)))]
    if rng.random() < 0.05:
        stream += b"\xff\xff" + rng.randbytes(rng.randint(0, 100))  # a frame that never ends
    return stream


def vpcd_case(address: tuple[str, int], rng: random.Random) -> tuple[str, int]:
    """Connect to a listening link, send a hostile stream, read what comes back, hang up."""
    stream = vpcd_stream(rng)
    with socket.create_connection(address, timeout=5) as sock:
        cut = rng.randrange(len(stream) + 1) if rng.random() < 0.5 else len(stream)
        for part in (stream[:cut], stream[cut:]):
            if part:
                try:
                    sock.sendall(part)
                except OSError:
                    return "dropped", len(stream)
        sock.settimeout(0.05)
        try:
            while sock.recv(65536):
                pass
        except (TimeoutError, OSError):
            pass
    return "sent", len(stream)


class FrameDecoderForPeer:
    """A vpcd peer's reader of the card's answers, one frame at a time, bounded in time."""

    def __init__(self) -> None:
        self.frames = FrameDecoder()

    def read(self, sock: socket.socket, timeout: float = 5.0) -> bytes | None:
        """The next frame; None when the card closed the connection; Escape when it hangs."""
        deadline = time.monotonic() + timeout
        while (frame := self.frames.next_frame()) is NEED_DATA:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Escape(f"the card did not answer within {timeout:g} s")
            sock.settimeout(left)
            try:
                data = sock.recv(65538)
            except TimeoutError:
                continue
            except ConnectionResetError:
                return None
            if not data:
                return None
            self.frames.receive_data(data)
        return frame  # type: ignore[return-value]


def served_after(address: tuple[str, int], deadline: float = 5.0) -> bool:
    """A well-behaved peer is served (power on, ATR) within ``deadline`` seconds."""
    end = time.monotonic() + deadline
    with socket.create_connection(address, timeout=deadline) as sock:
        sock.sendall(b"\x00\x01\x01\x00\x01\x04")
        answer = b""
        while time.monotonic() < end:
            sock.settimeout(max(0.01, end - time.monotonic()))
            try:
                piece = sock.recv(100)
            except TimeoutError:
                return False
            if not piece:
                return False
            answer += piece
            if len(answer) >= 2 and len(answer) >= 2 + int.from_bytes(answer[:2], "big"):
                return answer[2:3] == b"\x3b"
    return False


Case = Callable[..., Any]
