"""Bounds on vpcd peers: in listening mode a silent, slow or stalled peer never keeps the card
from the next one, and a frame begun must be finished in time in either mode."""

from __future__ import annotations

import socket
import time

from jcsim import Simulator, serve_vpcd
from jcsim.samples.echo.echo import Echo
from jcsim.transport import LinkTimeouts
from jcsim.transport.vpcd_codec import GetATR, PowerOn
from tests.transport.fake_vpcd import (
    ECHO_AID,
    SELECT_ECHO,
    FakeVpcd,
    PeerConnection,
    powered,
)

QUICK = LinkTimeouts(first_frame=0.4, frame=0.4, idle=0.4, send=2.0, poll=0.02)


def _card() -> Simulator:
    sim = Simulator()
    sim.install(Echo, ECHO_AID)
    return sim


def _peer(address: tuple[str, int]) -> PeerConnection:
    return PeerConnection(socket.create_connection(address, timeout=5))


def _served_by_card(peer: PeerConnection) -> None:
    powered(peer)
    assert peer.request(SELECT_ECHO) == b"\x90\x00"


def test_a_peer_that_connects_and_stays_silent_does_not_block_the_next_one():
    with serve_vpcd(_card(), port=0, listen=True, timeouts=QUICK) as server:
        address = server.addresses["contact"]
        silent = _peer(address)
        start = time.monotonic()
        second = _peer(address)
        _served_by_card(second)
        assert time.monotonic() - start < 3
        assert silent.closed_by_card(timeout=2)
        second.close()
        silent.close()


def test_a_peer_stalled_in_the_middle_of_a_frame_is_dropped():
    card = _card()
    with serve_vpcd(card, port=0, listen=True, timeouts=QUICK) as server:
        address = server.addresses["contact"]
        stalled = _peer(address)
        stalled.send(PowerOn())
        assert stalled.request(GetATR())[:1] == b"\x3b"
        stalled.send_raw(b"\x00\x10\x00\xa4")  # 4 of the 18 bytes announced, then nothing
        assert stalled.closed_by_card(timeout=3)
        # The card leaves the reader (loses power) just after the link closes the socket.
        deadline = time.monotonic() + 3
        while card.powered and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not card.powered
        stalled.close()
        _served_by_card(following := _peer(address))
        following.close()


def test_a_quiet_peer_gives_way_to_a_waiting_one_but_keeps_the_card_while_alone():
    with serve_vpcd(_card(), port=0, listen=True, timeouts=QUICK) as server:
        address = server.addresses["contact"]
        first = _peer(address)
        _served_by_card(first)
        time.sleep(QUICK.idle * 2)
        # Alone, a quiet reader keeps the card.
        assert first.request(SELECT_ECHO) == b"\x90\x00"
        second = _peer(address)
        _served_by_card(second)
        assert first.closed_by_card(timeout=2)
        first.close()
        second.close()


def test_an_active_peer_keeps_the_card_while_another_waits():
    with serve_vpcd(_card(), port=0, listen=True, timeouts=QUICK) as server:
        address = server.addresses["contact"]
        first = _peer(address)
        _served_by_card(first)
        waiting = _peer(address)
        for _ in range(20):
            # Busy at a rate faster than the idle bound: the card stays with the first peer.
            assert first.request(SELECT_ECHO) == b"\x90\x00"
            time.sleep(QUICK.idle / 4)
        first.close()
        _served_by_card(waiting)
        waiting.close()


def test_the_card_drops_a_stalled_frame_from_vpcd_and_reconnects():
    fake = FakeVpcd()
    try:
        with serve_vpcd(_card(), port=fake.port, host="127.0.0.1", timeouts=QUICK):
            peer = fake.accept()
            peer.send(PowerOn())
            peer.send_raw(b"\x00")  # half a length field
            assert peer.closed_by_card(timeout=3)
            again = fake.accept()
            _served_by_card(again)
    finally:
        fake.close()
