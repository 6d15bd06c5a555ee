"""``jcsim serve --gp-keys / --gp-open``: the served card manager's secure channel keys."""

from __future__ import annotations

import signal
import socket

import pytest

from jcsim.errors import JCSimError
from jcsim.runtime.gp.keys import parse_gp_keys
from jcsim.transport.vpcd_codec import Command, PowerOn
from tests.cli.test_serve import ServeProcess
from tests.transport.fake_vpcd import PeerConnection

SELECT_ISD = Command.from_hex("00A4040008A00000015100000000")


def test_gp_keys_text_names_key_sets() -> None:
    default = parse_gp_keys("404142434445464748494A4B4C4D4E4F")
    assert [(k.kvn, k.scp) for k in default] == [(0x30, 3), (0x20, 2)]
    split = parse_gp_keys("31=" + "11" * 32 + ":" + "22" * 32 + ":" + "33" * 32)
    assert [(k.kvn, k.scp, k.mac) for k in split] == [(0x31, 3, b"\x22" * 32)]
    assert parse_gp_keys("21=" + "AB" * 16)[0].scp == 2
    for bad in ("zz", "11:22", "31=" + "11" * 15, "21=" + "11" * 32):
        with pytest.raises(JCSimError):
            parse_gp_keys(bad)


def test_serve_gives_the_card_manager_the_named_keys() -> None:
    key = "31=" + "5A" * 16
    serve = ServeProcess("--gp-keys", key, "--listen", "--vpcd", "127.0.0.1:0")
    try:
        port = int(serve.wait_for(r"listening on 127\.0\.0\.1:(\d+)").group(1))
        peer = PeerConnection(socket.create_connection(("127.0.0.1", port), timeout=5))
        peer.send(PowerOn())
        assert peer.request(SELECT_ISD)[-2:] == b"\x90\x00"
        answer = peer.request(Command.from_hex("8050310008" + "00" * 8 + "00"))
        assert answer[-2:] == b"\x90\x00" and answer[10:12] == b"\x31\x03"
        # The default key set 30 is gone.
        assert peer.request(Command.from_hex("8050300008" + "00" * 8 + "00")) == b"\x6A\x88"
        assert serve.stop(signal.SIGTERM) == 0
        peer.close()
    finally:
        serve.stop(signal.SIGKILL)
