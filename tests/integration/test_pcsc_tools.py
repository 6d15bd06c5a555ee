"""Other real PC/SC clients: OpenSC's ``opensc-tool`` and pcsc-tools' ``scriptor``."""

from __future__ import annotations

import subprocess

import pytest

from jcsim import Simulator
from jcsim.samples.echo.echo import GREETING, Echo
from tests.integration.conftest import CONTACT_READER, CONTACTLESS_READER

pytestmark = pytest.mark.pcsc

ECHO = "F00000000101"


def run(*command: str, stdin: str | None = None) -> str:
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def echo_card(serve_card) -> Simulator:
    sim = Simulator()
    sim.install(Echo, ECHO, default=True)
    serve_card(sim)
    return sim


def test_opensc_tool_lists_the_readers_and_the_card_in_the_contact_one(echo_card):
    rows = {line.split(maxsplit=2)[2]: line.split()[1]
            for line in run("opensc-tool", "-l").splitlines() if "Virtual PCD" in line}
    assert rows == {CONTACT_READER: "Yes", CONTACTLESS_READER: "No"}


def test_opensc_tool_reads_the_atr(echo_card):
    assert run("opensc-tool", "-r", "0", "-a").strip() == echo_card.atr.hex(":")


def test_opensc_tool_sends_apdus_to_the_default_applet(echo_card):
    out = run("opensc-tool", "-r", "0", "-s", "80 02 00 00 00",
              "-s", "00 A4 04 00 06 F0 00 00 00 01 01 00", "-s", "80 01 00 00 03 0A 0B 0C 00")
    assert out.count("Received (SW1=0x90, SW2=0x00)") == 3
    assert GREETING.hex(" ").upper() in out
    assert "0A 0B 0C" in out


def test_scriptor_runs_a_script_with_an_extended_command(echo_card):
    data = bytes(range(256)) * 2
    script = "\n".join([
        "00 A4 04 00 06 F0 00 00 00 01 01 00",
        "80 02 00 00 00",
        "80 01 00 00 00 02 00 " + data.hex(" ").upper() + " 00 00",
        "80 7F 00 00",
    ]) + "\n"
    out = run("scriptor", "-r", CONTACT_READER, stdin=script)
    assert "Using T=1 protocol" in out
    responses = [line for line in out.splitlines() if line.startswith("< ")]
    assert responses[0] == "< 90 00 : Normal processing."
    assert responses[1].strip() == "< " + GREETING.hex(" ").upper()
    assert "6D 00 : Instruction code not supported or invalid." in out
    # scriptor prints a long response on several lines: the 512 bytes all come back.
    echoed = out.split("> 80 01 00 00 00 02 00", 1)[1].split("< ", 1)[1]
    hex_digits = "".join(echoed.split(":")[0].split())
    assert hex_digits == data.hex().upper() + "9000"
