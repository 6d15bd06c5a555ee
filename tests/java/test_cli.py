"""``jcsim run --classpath`` and ``jcsim serve --classpath --applet pkg.Class=AID``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from jcsim.cli import main
from jcsim.cli.loading import load_class, open_classpath
from jcsim.cli.serve import parse_applet
from jcsim.errors import JCSimError

SCRIPT = """\
install com.jcsim.twins.Purse A0 00 00 00 62 03 01 0C 02 01
install jcsim.samples.echo:Echo A0 00 00 00 62 03 01 0C 01 01
select A0 00 00 00 62 03 01 0C 02 01 => 9000
00 30 00 00 02 00 64 => 9000
00 50 00 00 00 => 0064 0001 0064 0000 0000 0000 9000
select A0 00 00 00 62 03 01 0C 01 01 => 9000
00 02 00 00 00 => 48656C6C6F2066726F6D206A6373696D 9000
"""


def test_run_installs_java_and_python_applets_from_one_script(
        tmp_path: Path, card_classes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "purse.jcsh"
    script.write_text(SCRIPT)
    assert main(["run", "-q", "--classpath", str(card_classes), str(script)]) == 0
    assert "5 commands, all as expected" in capsys.readouterr().out


def test_run_keeps_java_applets_in_an_image(tmp_path: Path, card_classes: Path) -> None:
    image = tmp_path / "card.jcimg"
    script = tmp_path / "first.jcsh"
    script.write_text(SCRIPT)
    assert main(["run", "-q", "--classpath", str(card_classes), "--image", str(image),
                 str(script)]) == 0
    again = tmp_path / "again.jcsh"
    again.write_text("select A0 00 00 00 62 03 01 0C 02 01 => 9000\n"
                     "00 50 00 00 00 => 0064 0001 0064 0000 0000 0000 9000\n")
    assert main(["run", "-q", "--classpath", str(card_classes), "--image", str(image),
                 str(again)]) == 0


def test_a_java_class_without_a_classpath_is_a_clear_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "java.jcsh"
    script.write_text("install com.jcsim.twins.Purse A0 00 00 00 62 03 01 0C 02 01\n")
    assert main(["run", "-q", str(script)]) == 2
    assert "give --classpath" in capsys.readouterr().out


def test_serve_names_java_applets_by_class_name(card_classes: Path) -> None:
    spec = parse_applet("com.jcsim.twins.Echo=A00000006203010C0101")
    assert spec.target == "com.jcsim.twins.Echo" and spec.aid.hex() == "a00000006203010c0101"
    assert parse_applet("jcsim.samples.echo:Echo=F00000000101").target == "jcsim.samples.echo:Echo"
    with pytest.raises(argparse.ArgumentTypeError):
        parse_applet("Echo=F00000000101")
    classpath = open_classpath([str(card_classes)])
    assert load_class(spec.target, classpath).__qualname__ == "Echo"
    with pytest.raises(JCSimError, match="no Java class com.jcsim.Missing"):
        load_class("com.jcsim.Missing", classpath)


def test_serve_runs_a_java_applet_for_a_vpcd_peer_with_a_trace(card_classes: Path,
                                                               tmp_path: Path) -> None:
    import re
    import signal
    import socket

    from jcsim.transport.vpcd_codec import Command, GetATR, PowerOn
    from tests.cli.test_serve import ServeProcess
    from tests.transport.fake_vpcd import PeerConnection

    image = tmp_path / "card.jcimg"
    args = ["--classpath", str(card_classes), "--applet",
            "com.jcsim.twins.Purse=A00000006203010C0201", "--default", "A00000006203010C0201",
            "--image", str(image), "--listen", "--vpcd", "127.0.0.1:0", "-v"]
    serve = ServeProcess(*args)
    try:
        port = int(serve.wait_for(r"listening on 127\.0\.0\.1:(\d+)").group(1))
        serve.wait_for(r"A00000006203010C0201 .*java\.com\.jcsim\.twins:Purse")
        peer = PeerConnection(socket.create_connection(("127.0.0.1", port), timeout=5))
        peer.send(PowerOn())
        peer.request(GetATR())
        assert peer.request(Command.from_hex("0030000002 0123")) == b"\x90\x00"
        assert peer.request(Command.from_hex("0050000000"))[:4] == bytes.fromhex("0123 0001")
        serve.wait_for(re.escape("C: 00 50 00 00 00"))
        assert serve.stop(signal.SIGTERM) == 0
        peer.close()
    finally:
        serve.stop(signal.SIGKILL)
    # The image keeps the Java purse; a new serve loads the class path first, then the image.
    again = ServeProcess(*args)
    try:
        port = int(again.wait_for(r"listening on 127\.0\.0\.1:(\d+)").group(1))
        again.wait_for("already on the card")
        peer = PeerConnection(socket.create_connection(("127.0.0.1", port), timeout=5))
        peer.send(PowerOn())
        peer.request(GetATR())
        assert peer.request(Command.from_hex("0050000000"))[:4] == bytes.fromhex("0123 0001")
        assert again.stop(signal.SIGTERM) == 0
        peer.close()
    finally:
        again.stop(signal.SIGKILL)
