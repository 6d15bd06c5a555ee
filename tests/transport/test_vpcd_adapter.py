"""The vpcd socket adapter against a fake vpcd made of real sockets on 127.0.0.1: power events,
commands, malformed and oversized frames, dropped connections, reconnection with backoff, the
listening mode, two interfaces on one card, and the 40 ms delayed-ACK trap."""

from __future__ import annotations

import logging
import socket
import statistics
import threading
import time

import pytest

from jcsim import Simulator, serve_vpcd
from jcsim.samples.echo.echo import Echo
from jcsim.transport import Backoff, LinkEvent, VpcdLink
from jcsim.transport.vpcd_codec import Command, GetATR, PowerOff, PowerOn, Reset, encode_frame
from tests.integration.applets import (
    INS_BUMP,
    JOURNALED_AID,
    STATE_PROBE_AID,
    Journaled,
    StateProbe,
)
from tests.integration.dual_applet import DUAL_AID, INS_WHERE, Dual
from tests.transport.fake_vpcd import (
    ECHO_AID,
    FAST,
    HELLO,
    SELECT_ECHO,
    FakeVpcd,
    PeerConnection,
    powered,
)



def select(aid: str, cla: int = 0x00) -> Command:
    value = bytes.fromhex(aid)
    return Command(bytes((cla, 0xA4, 0x04, 0x00, len(value))) + value + b"\x00")


@pytest.fixture
def card() -> Simulator:
    sim = Simulator()
    sim.install(Echo, ECHO_AID)
    sim.install(StateProbe, STATE_PROBE_AID)
    return sim


@pytest.fixture
def served(vpcd, card):
    """The card served to the fake vpcd, and the fake's end of the accepted connection."""
    with serve_vpcd(card, port=vpcd.port, host="127.0.0.1", backoff=FAST) as server:
        peer = vpcd.accept()
        yield server, peer


def record_pauses(link: VpcdLink) -> list[float]:
    """Make ``link`` note each pause it asks for between connections instead of waiting it
    out: the test checks the delays, not the wall clock."""
    pauses: list[float] = []

    def pause(stop: threading.Event, seconds: float) -> bool:
        pauses.append(seconds)
        return stop.is_set()

    link.pause = pause
    return pauses


def test_the_card_answers_the_atr_poll_without_power_and_waits_for_power_on(served, card):
    server, peer = served
    assert peer.request(GetATR()) == card.atr
    assert server.wait_connected(5)
    # A card entering a reader has no power until the reader gives it.
    assert not card.powered


def test_a_command_without_power_gets_no_answer_and_the_card_leaves_for_a_while(vpcd, card):
    # Never an empty frame (vpcd would wait forever for its zero bytes): the card closes the
    # connection and stays away long enough for pcscd's 400 ms presence poll to notice.
    server = serve_vpcd(card, port=vpcd.port, host="127.0.0.1",
                        backoff=Backoff(0.02, 0.2, removal=0.5))
    pauses = record_pauses(server.link("contact"))
    with server:
        peer = vpcd.accept()
        peer.send(SELECT_ECHO)
        assert peer.closed_by_card()
        again = vpcd.accept()
        assert pauses == [0.5]  # the removal time, not the first backoff delay
        powered(again)
        assert again.request(SELECT_ECHO) == b"\x90\x00"


def test_power_on_then_commands_are_answered_by_the_card(served, card):
    _, peer = served
    powered(peer)
    assert card.card.powered_interfaces == {"contact"}
    assert peer.request(SELECT_ECHO) == b"\x90\x00"
    assert peer.request(HELLO) == b"Hello from jcsim\x90\x00"


def test_power_off_is_a_power_loss_and_reset_deselects_and_clears_transients(served, card):
    _, peer = served
    powered(peer)
    assert peer.request(select(STATE_PROBE_AID)) == b"\x90\x00"
    assert peer.request(Command(bytes((0x80, INS_BUMP, 0, 0, 0)))) == b"\x01\x01\x01\x90\x00"
    peer.send(Reset())
    assert peer.request(GetATR()) == card.atr
    assert card.selected() is None
    assert peer.request(Command(bytes((0x80, INS_BUMP, 0, 0, 0)))) == b"\x69\x99"
    assert peer.request(select(STATE_PROBE_AID)) == b"\x90\x00"
    # The persistent counter went on; both transients started again from zero.
    assert peer.request(Command(bytes((0x80, INS_BUMP, 0, 0, 0)))) == b"\x02\x01\x01\x90\x00"
    peer.send(PowerOff())
    assert peer.request(GetATR()) == card.atr  # answered without power, as vpcd polls
    assert not card.powered


def test_an_extended_command_and_a_4000_byte_response_cross_the_socket(served):
    _, peer = served
    powered(peer)
    peer.request(SELECT_ECHO)
    data = bytes(range(256)) * 8
    answer = peer.request(Command(b"\x80\x01\x00\x00\x00\x08\x00" + data + b"\x00\x00"))
    assert answer == data + b"\x90\x00"
    answer = peer.request(Command(b"\x80\x03\x0F\xA0\x00\x0F\xA0"))
    assert len(answer) == 4002 and answer[-2:] == b"\x90\x00"


def test_several_frames_in_one_write_and_a_frame_in_many_writes_are_answered_in_order(served):
    _, peer = served
    peer.send(PowerOn(), GetATR(), SELECT_ECHO, HELLO)
    assert peer.read_frame() == Simulator().atr
    assert peer.read_frame() == b"\x90\x00"
    assert peer.read_frame() == b"Hello from jcsim\x90\x00"
    frame = encode_frame(HELLO.apdu)
    for i in range(len(frame)):
        peer.send_raw(frame[i:i + 1])
        time.sleep(0.002)
    assert peer.read_frame() == b"Hello from jcsim\x90\x00"


def test_the_largest_command_frame_gets_6700_and_the_connection_stays(served):
    _, peer = served
    powered(peer)
    peer.request(SELECT_ECHO)
    huge = b"\x80\x01\x00\x00\x00\xFF\xF8" + bytes(0xFFF8)
    assert len(huge) == 0xFFFF
    assert peer.request(Command(huge)) == b"\x67\x00"
    assert peer.request(HELLO) == b"Hello from jcsim\x90\x00"


@pytest.mark.parametrize("bad", [b"\x00\x00", b"\x00\x01\x03", b"\x00\x01\xFF"],
                         ids=["empty frame", "control 03", "control FF"])
def test_a_malformed_frame_is_logged_what_came_before_is_answered_and_the_card_reconnects(
        vpcd, card, bad, caplog):
    with serve_vpcd(card, port=vpcd.port, host="127.0.0.1", backoff=FAST) as server:
        peer = vpcd.accept()
        with caplog.at_level(logging.WARNING, logger="jcsim.transport.vpcd"):
            peer.send_raw(encode_frame(b"\x04") + bad + encode_frame(b"\x04"))
            assert peer.read_frame() == card.atr
            assert peer.closed_by_card()
        assert "malformed frame" in caplog.text
        again = vpcd.accept()
        powered(again)
        assert again.request(SELECT_ECHO) == b"\x90\x00"
        assert server.link("contact").connections == 2


def test_a_frame_cut_short_by_the_peer_costs_the_card_its_power_and_it_comes_back(vpcd, card):
    with serve_vpcd(card, port=vpcd.port, host="127.0.0.1", backoff=FAST) as server:
        peer = vpcd.accept()
        powered(peer)
        assert card.powered
        peer.send_raw(b"\xFF\xFF" + bytes(100))  # announces 65535 bytes, sends 100
        peer.close()
        again = vpcd.accept()
        assert not card.powered  # pulled out of the reader
        powered(again)
        assert again.request(SELECT_ECHO) == b"\x90\x00"
        assert server.link("contact").connections == 2


def test_the_card_reconnects_with_growing_delays_while_the_peer_hangs_up_at_once(card):
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        listener.settimeout(5)
        server = serve_vpcd(card, port=port, host="127.0.0.1", backoff=Backoff(0.05, 0.4))
        pauses = record_pauses(server.link("contact"))
        with server:
            for _ in range(6):
                sock, _ = listener.accept()
                sock.close()  # before saying anything: the card is not reset to fast retries
    assert pauses[:5] == [0.05, 0.1, 0.2, 0.4, 0.4]


def test_the_card_connects_once_vpcd_appears_and_wait_connected_says_so(card):
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nobody listens on that port now: connections are refused
    with serve_vpcd(card, port=port, host="127.0.0.1", backoff=FAST) as server:
        assert not server.wait_connected(0.3)
        listener = socket.create_server(("127.0.0.1", port))
        listener.settimeout(5)
        sock, _ = listener.accept()
        peer = PeerConnection(sock)
        assert peer.request(GetATR()) == card.atr
        assert server.wait_connected(5)
        peer.close()
        listener.close()


def test_a_tear_answers_nothing_closes_the_connection_and_rolls_back_at_power_on(vpcd):
    sim = Simulator()
    sim.install(Journaled, JOURNALED_AID)
    with serve_vpcd(sim, port=vpcd.port, host="127.0.0.1", backoff=FAST):
        peer = vpcd.accept()
        powered(peer)
        peer.request(select(JOURNALED_AID))
        assert peer.request(Command.from_hex("8020000004 01020304")) == b"\x90\x00"
        sim.arm_tear(after_writes=1)
        peer.send(Command.from_hex("8020000004 AABBCCDD"))
        assert peer.closed_by_card()
        again = vpcd.accept()
        powered(again)
        again.request(select(JOURNALED_AID))
        assert again.request(Command.from_hex("8021000000")) == b"\x01\x02\x03\x04\x90\x00"


def test_stop_closes_the_connection_and_the_card_loses_power(vpcd, card):
    server = serve_vpcd(card, port=vpcd.port, host="127.0.0.1").start()
    peer = vpcd.accept()
    powered(peer)
    server.stop()
    assert peer.closed_by_card()
    assert not card.powered


def test_the_listening_mode_serves_one_peer_after_another(card):
    events: list[LinkEvent] = []
    with serve_vpcd(card, port=0, listen=True, listener=events.append) as server:
        host, port = server.addresses["contact"]
        assert host == "127.0.0.1" and port != 0
        for _ in range(2):
            peer = PeerConnection(socket.create_connection((host, port), timeout=5))
            powered(peer)
            assert peer.request(SELECT_ECHO) == b"\x90\x00"
            peer.close()
            deadline = time.monotonic() + 5
            while card.powered and time.monotonic() < deadline:
                time.sleep(0.01)
            assert not card.powered
        assert server.link("contact").connections == 2
    kinds = [e.kind for e in events]
    assert kinds[0] == "listening" and kinds.count("connected") == 2
    assert "power-on" in kinds and kinds[-1] == "disconnected"


def test_two_readers_share_one_card_and_the_contactless_reader_answers_the_uid():
    contact, contactless = FakeVpcd(), FakeVpcd()
    sim = Simulator()
    sim.install(Dual, DUAL_AID)
    try:
        with serve_vpcd(sim, port=contact.port, host="127.0.0.1",
                        contactless_port=contactless.port, uid=bytes.fromhex("04112233445566")):
            c, cl = contact.accept(), contactless.accept()
            powered(c)
            cl.send(PowerOn())
            assert cl.request(GetATR()) == sim.atr_of("contactless")
            assert cl.request(Command.from_hex("FFCA000000")) == bytes.fromhex("04112233445566 9000")
            assert cl.request(Command.from_hex("FFCA000004")) == b"\x6C\x07"
            assert c.request(Command.from_hex("FFCA000000")) == b"\x6E\x00"  # the card's answer
            assert c.request(select(DUAL_AID)) == b"\x90\x00"
            assert cl.request(select(DUAL_AID)) == b"\x90\x00"
            where = Command(bytes((0x80, INS_WHERE, 0, 0, 0)))
            assert c.request(where) == b"\x00\x01\x90\x00"
            assert cl.request(where) == b"\x80\x02\x90\x00"
            cl.send(PowerOff())
            assert cl.request(GetATR()) == sim.atr_of("contactless")
            assert sim.card.powered_interfaces == {"contact"}
            assert c.request(where) == b"\x00\x03\x90\x00"
    finally:
        contact.close()
        contactless.close()


def test_commands_from_two_readers_are_serialised_on_the_card():
    contact, contactless = FakeVpcd(), FakeVpcd()
    sim = Simulator()
    sim.install(Dual, DUAL_AID)
    active: list[str] = []
    overlaps: list[str] = []
    exchange = sim.card.exchange

    def watched_exchange(raw: bytes, interface: str) -> bytes:
        # The card's own exchange, watched: a second command entering it is an overlap.
        if active:
            overlaps.append(interface)
        active.append(interface)
        try:
            time.sleep(0.0002)
            return exchange(raw, interface)
        finally:
            active.pop()

    sim.card.exchange = watched_exchange
    where = Command(bytes((0x80, INS_WHERE, 0, 0, 0)))
    failures: list[bytes] = []
    try:
        with serve_vpcd(sim, port=contact.port, host="127.0.0.1",
                        contactless_port=contactless.port):
            peers = [contact.accept(), contactless.accept()]
            for peer in peers:
                powered(peer)
                assert peer.request(select(DUAL_AID)) == b"\x90\x00"

            def hammer(peer: PeerConnection) -> None:
                for _ in range(200):
                    answer = peer.request(where)
                    if answer[-2:] != b"\x90\x00":
                        failures.append(answer)

            threads = [threading.Thread(target=hammer, args=(p,)) for p in peers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            # 400 commands each counted once by the one shared instance, then this one.
            assert peers[0].request(where)[1] == 401 & 0xFF
    finally:
        contact.close()
        contactless.close()
    assert not failures and not overlaps


def test_the_card_image_is_saved_at_start_and_after_each_change(vpcd, tmp_path):
    path = tmp_path / "card.jcimg"
    sim = Simulator()
    sim.install(Journaled, JOURNALED_AID)
    with serve_vpcd(sim, port=vpcd.port, host="127.0.0.1", image=path):
        assert path.exists()
        peer = vpcd.accept()
        powered(peer)
        peer.request(select(JOURNALED_AID))
        before = path.read_bytes()
        peer.request(Command.from_hex("8021000000"))  # a read changes nothing
        assert path.read_bytes() == before
        assert peer.request(Command.from_hex("8020000004 0A0B0C0D")) == b"\x90\x00"
        assert path.read_bytes() != before
    reloaded = Simulator.load(path)
    reloaded.select(JOURNALED_AID)
    assert reloaded.transmit("8021000000").data == bytes.fromhex("0A0B0C0D")


def test_frames_split_like_vpcd_writes_them_do_not_wait_for_delayed_acks(served):
    # vpcd writes the length and the payload in two sends; without TCP_QUICKACK on the card's
    # side each command waits ~40 ms for the card's delayed ACK (Nagle holds the payload).
    server, peer = served
    powered(peer)
    peer.request(SELECT_ECHO)
    frame = encode_frame(HELLO.apdu)
    times = []
    for _ in range(40):
        start = time.perf_counter()
        peer.send_raw(frame[:2])
        peer.send_raw(frame[2:])
        assert peer.read_frame() == b"Hello from jcsim\x90\x00"
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.02
    link_sock = server.link("contact")._sock
    assert link_sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def test_run_serves_the_first_link_in_the_calling_thread_until_stop_is_set(vpcd, card):
    # What `jcsim serve` does: no thread of its own for the one link; a signal handler (here a
    # peer thread) sets the event, and the link notices within its poll interval.
    served_by: list[threading.Thread] = []
    card.subscribe(lambda exchange: served_by.append(threading.current_thread()))
    stop = threading.Event()
    answers: list[bytes] = []
    failures: list[BaseException] = []
    server = serve_vpcd(card, port=vpcd.port, host="127.0.0.1", backoff=FAST)

    def peer_side() -> None:
        try:
            peer = vpcd.accept()
            powered(peer)
            answers.append(peer.request(SELECT_ECHO))
            answers.append(peer.request(HELLO))
        except BaseException as exc:  # reported by the test thread
            failures.append(exc)
        finally:
            stop.set()

    peer_thread = threading.Thread(target=peer_side)
    peer_thread.start()
    started = time.monotonic()
    server.run(stop)
    peer_thread.join(5)
    assert not failures, failures
    assert answers == [b"\x90\x00", b"Hello from jcsim\x90\x00"]
    assert served_by == [threading.current_thread()] * 2
    assert server.link("contact")._thread is None
    assert time.monotonic() - started < 5
    # run() stopped the link on its way out: the card left the reader and lost power.
    assert not card.powered
    assert not server.link("contact").connected.is_set()
