"""One behaviour suite, run on the Python twin and on the Java twin of each applet: the Java
class compiled by javac must answer exactly as the Python applet does, through the same JCRE
(selection, extended length, transactions, tears, rollback)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from jcsim import Simulator
from jcsim.java import JavaClasspath
from jcsim.samples.echo.echo import Echo as PythonEcho
from jcsim.testing import tear_sweep
from tests.java import twins

ECHO_AID = "A0 00 00 00 62 03 01 0C 01 01"
PURSE_AID = "A0 00 00 00 62 03 01 0C 02 01"


@pytest.fixture(scope="module")
def java_classes(card_classes: Path) -> JavaClasspath:
    return JavaClasspath([card_classes])


@pytest.fixture(params=["python", "java"])
def twin(request: pytest.FixtureRequest) -> SimpleNamespace:
    if request.param == "python":
        return SimpleNamespace(kind="python", Echo=PythonEcho, Purse=twins.Purse)
    classes = request.getfixturevalue("java_classes")
    return SimpleNamespace(kind="java", Echo=classes["com.jcsim.twins.Echo"],
                           Purse=classes["com.jcsim.twins.Purse"])


@pytest.fixture
def echo(twin: SimpleNamespace) -> Simulator:
    sim = Simulator("T=1")
    sim.install(twin.Echo, ECHO_AID)
    assert sim.select(ECHO_AID).sw == 0x9000
    return sim


def _purse(twin: SimpleNamespace) -> Simulator:
    sim = Simulator()
    sim.install(twin.Purse, PURSE_AID)
    assert sim.select(PURSE_AID).sw == 0x9000
    return sim


def _balance(sim: Simulator) -> tuple[int, int, bytes]:
    response = sim.transmit("00 50 00 00 00")
    assert response.sw == 0x9000
    data = response.data
    return int.from_bytes(data[:2], "big", signed=True), int.from_bytes(data[2:4], "big"), data[4:]


# --- echo ------------------------------------------------------------------------------------

def test_echo_short_command(echo: Simulator) -> None:
    response = echo.transmit("00 01 00 00 03 01 02 03 00")
    assert (response.data, response.sw) == (b"\x01\x02\x03", 0x9000)


def test_echo_greeting_and_pattern(echo: Simulator) -> None:
    assert echo.transmit("00 02 00 00 00").data == b"Hello from jcsim"
    pattern = echo.transmit("00 03 01 2C 00")  # 300 bytes, in more than one sendBytes
    assert pattern.sw == 0x9000 and pattern.data == bytes(i & 0xFF for i in range(300))
    assert echo.transmit("00 03 FF FF 00").sw == 0x6B00


def test_echo_extended_length(twin: SimpleNamespace) -> None:
    sim = Simulator("T=1")
    sim.install(twin.Echo, ECHO_AID)
    sim.select(ECHO_AID)
    payload = bytes(range(256)) * 12  # 3072 bytes: more than one receiveBytes
    response = sim.transmit(b"\x00\x01\x00\x00\x00" + len(payload).to_bytes(2, "big") + payload
                            + b"\x00\x00")
    assert response.sw == 0x9000 and response.data == payload


def test_echo_unknown_instruction(echo: Simulator) -> None:
    assert echo.transmit("00 7F 00 00").sw == 0x6D00


# --- purse -----------------------------------------------------------------------------------

def test_purse_credit_debit_and_history(twin: SimpleNamespace) -> None:
    sim = _purse(twin)
    assert sim.transmit("00 30 00 00 02 00 64").sw == 0x9000
    assert sim.transmit("00 40 00 00 02 00 14").sw == 0x9000
    assert _balance(sim) == (80, 2, bytes.fromhex("0064 FFEC 0000 0000"))
    assert sim.transmit("00 40 00 00 02 01 00").sw == 0x6985
    assert sim.transmit("00 30 00 00 01 00").sw == 0x6700
    assert sim.transmit("00 30 00 00 02 80 00").sw == 0x6A80


def test_purse_abort_rolls_back_fields_arrays_and_counters(twin: SimpleNamespace) -> None:
    sim = _purse(twin)
    sim.transmit("00 30 00 00 02 00 64")
    before = _balance(sim)
    assert sim.transmit("00 30 00 00 02 27 10").sw == 0x6A84  # over the limit: abortTransaction
    assert _balance(sim) == before
    # An ISOException with the transaction open: the JCRE aborts it.
    assert sim.transmit("00 60 00 00 02 00 01").sw == 0x6985
    assert _balance(sim) == before


def test_purse_tear_sweep_keeps_credits_atomic(twin: SimpleNamespace) -> None:
    def fresh() -> Simulator:
        sim = _purse(twin)
        sim.transmit("00 30 00 00 02 00 10")
        return sim

    def invariant(sim: Simulator, point: object) -> None:
        sim.select(PURSE_AID)
        balance, operations, history = _balance(sim)
        assert (balance, operations) in ((0x10, 1), (0x10 + 0x20, 2), (0x10 + 0x20 - 0x08, 3))
        if operations == 1:
            assert history == bytes.fromhex("0010 0000 0000 0000")

    report = tear_sweep(fresh, [f"00 A4 04 00 {len(bytes.fromhex(PURSE_AID.replace(' ', ''))):02X}"
                                f" {PURSE_AID}", "00 30 00 00 02 00 20", "00 40 00 00 02 00 08"],
                        invariant)
    assert report.writes_per_command[1] >= 4  # balance, two history bytes, counter
    assert len(report.points) == sum(w + 1 for w in report.writes_per_command)
