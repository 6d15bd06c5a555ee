"""Java applets on the card: exceptions and status words, statics per card, card images, tear
sweeps through images."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.errors import MalformedAPDUError
from jcsim.java import JavaClasspath
from jcsim.testing import tear_sweep
from tests.java.conftest import CARD_SOURCES

FAULTS_AID = "A0 00 00 00 62 03 01 0C 03 01"
PURSE_AID = "A0 00 00 00 62 03 01 0C 02 01"


@pytest.fixture(scope="module")
def classes(card_classes: Path) -> JavaClasspath:
    return JavaClasspath([card_classes])


@pytest.fixture
def faults(classes: JavaClasspath) -> Simulator:
    sim = Simulator()
    sim.install(classes["com.jcsim.faults.Faults"], FAULTS_AID)
    assert sim.select(FAULTS_AID).sw == 0x9000
    return sim


@pytest.mark.parametrize(("command", "sw"), [
    ("00 10 05 00", 0x6A81), ("00 10 01 00", 0x9000),  # ArrayIndexOutOfBoundsException
    ("00 11 00 00", 0x6A82), ("00 11 01 00", 0x9000),  # NullPointerException
    ("00 12 00 00", 0x6A83), ("00 12 02 00", 0x9000),  # ArithmeticException
    ("00 13 00 00", 0x6A84),  # ClassCastException
    ("00 14 00 00", 0x6124),  # an ISOException caught, its reason read back
])
def test_bytecode_exceptions_are_catchable_java_exceptions(faults: Simulator, command: str,
                                                            sw: int) -> None:
    assert faults.transmit(command).sw == sw


@pytest.mark.parametrize(("ins", "exception", "statement"), [
    ("20", "ArrayIndexOutOfBoundsException", "small[p1] = 1;"),
    ("21", "NullPointerException", "none[0] = 1;"),
    ("22", "ArithmeticException", "buf[0] = (byte) (10 / p1);"),
    ("23", "ClassCastException", "byte[] wrong = (byte[]) thing;"),
])
def test_uncaught_exceptions_answer_6f00_and_log_the_java_line(
        faults: Simulator, caplog: pytest.LogCaptureFixture, ins: str, exception: str,
        statement: str) -> None:
    source = (CARD_SOURCES / "com/jcsim/faults/Faults.java").read_text().splitlines()
    # The uncaught forms come after "case 0x20:", each statement's last occurrence.
    line = max(i for i, text in enumerate(source, 1) if text.strip() == statement)
    with caplog.at_level(logging.WARNING, logger="jcsim.card"):
        p1 = "00" if ins == "22" else "05"  # divide by zero, or index 5 of a 2-byte array
        assert faults.transmit(f"00 {ins} {p1} 00").sw == 0x6F00
    assert f"uncaught {exception}" in caplog.text
    assert f"com.jcsim.faults.Faults.process(Faults.java:{line})" in caplog.text
    assert faults.transmit("00 10 01 00").sw == 0x9000  # the card keeps working


def _purse(classes: JavaClasspath) -> Simulator:
    sim = Simulator()
    sim.install(classes["com.jcsim.twins.Purse"], PURSE_AID)
    sim.select(PURSE_AID)
    return sim


def _balance(sim: Simulator) -> tuple[int, int]:
    data = sim.transmit("00 50 00 00 00").data
    return int.from_bytes(data[:2], "big"), int.from_bytes(data[2:4], "big")


def test_statics_are_per_card(classes: JavaClasspath) -> None:
    first, second = _purse(classes), _purse(classes)
    first.transmit("00 30 00 00 02 00 05")
    first.transmit("00 30 00 00 02 00 05")
    second.transmit("00 30 00 00 02 00 07")
    assert _balance(first) == (10, 2) and _balance(second) == (7, 1)
    assert first.card.statics.values["com/jcsim/twins/Purse"]["operations"] == 2


def test_a_card_image_keeps_java_fields_arrays_and_statics(classes: JavaClasspath) -> None:
    sim = _purse(classes)
    sim.transmit("00 30 00 00 02 01 00")
    sim.transmit("00 40 00 00 02 00 01")
    restored = Simulator.from_snapshot(sim.snapshot())
    restored.select(PURSE_AID)
    full = restored.transmit("00 50 00 00 00").data
    assert full == sim.transmit("00 50 00 00 00").data
    assert _balance(restored) == (0xFF, 2)
    assert restored.transmit("00 40 00 00 02 00 0F").sw == 0x9000
    assert _balance(restored) == (0xF0, 3)
    assert _balance(sim) == (0xFF, 2)  # the original card is untouched


def test_a_tear_sweep_through_card_images(classes: JavaClasspath) -> None:
    sim = _purse(classes)
    sim.transmit("00 30 00 00 02 00 40")

    def invariant(card: Simulator, point: object) -> None:
        card.select(PURSE_AID)
        assert _balance(card) in ((0x40, 1), (0x30, 2))

    report = tear_sweep(sim, [f"00 A4 04 00 0A {PURSE_AID}", "00 40 00 00 02 00 10"], invariant)
    assert report.writes_per_command[1] >= 3


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commands=st.lists(st.binary(min_size=4, max_size=40), min_size=1, max_size=8))
def test_random_commands_never_break_a_java_applet(classes: JavaClasspath,
                                                   commands: list[bytes]) -> None:
    sim = Simulator()
    sim.install(classes["com.jcsim.faults.Faults"], FAULTS_AID)
    sim.install(classes["com.jcsim.twins.Purse"], PURSE_AID)
    for aid in (FAULTS_AID, PURSE_AID):
        sim.select(aid)
        for command in commands:
            try:
                response = sim.transmit(command)
            except MalformedAPDUError:
                continue
            assert 0x6000 <= response.sw <= 0x9FFF
    sim.select(PURSE_AID)
    balance = sim.transmit("00 50 00 00 00")
    assert balance.sw == 0x9000 and len(balance.data) == 12
