"""The JCRE's dispatch of one command (JCRE §3.3, §4.8): status words for normal returns,
exceptions, malformed commands, invalid classes and a channel with no applet."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from jcsim import Response, Simulator, lang
from jcsim.framework import (
    APDU,
    APDUException,
    ArrayIndexOutOfBoundsException,
    ISOException,
    NullPointerException,
    SystemException,
    UserException,
)
from tests.helpers import ECHO_AID, Echo, exchange, install_probe


def test_a_normal_return_answers_the_data_sent_and_9000(sim: Simulator) -> None:
    install_probe(sim, lambda apdu: apdu.setOutgoingAndSend(0, 4))
    assert exchange(sim, "80 10 20 30") == (bytes.fromhex("80102030"), 0x9000)


def test_a_normal_return_without_data_answers_9000_alone(sim: Simulator) -> None:
    install_probe(sim, lambda apdu: None)
    assert sim.transmit("80 10 00 00") == Response(b"", 0x9000)


@pytest.mark.parametrize("sw", [0x6A82, 0x6985, 0x9000, 0x6300, 0x0000])
def test_an_ISOException_answers_its_reason_as_the_status_word(sim: Simulator, sw: int) -> None:
    install_probe(sim, lambda apdu: ISOException.throwIt(sw))
    assert sim.transmit("80 10 00 00") == Response(b"", sw)


def test_an_ISOException_after_sending_data_keeps_the_data(sim: Simulator) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoingAndSend(0, 3)
        ISOException.throwIt(0x6283)

    install_probe(sim, script)
    assert exchange(sim, "80 10 01 00") == (bytes.fromhex("801001"), 0x6283)


def test_an_ISOException_after_a_partial_send_keeps_what_was_sent(t1: Simulator) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        apdu.setOutgoingLength(4)
        apdu.sendBytes(0, 2)
        ISOException.throwIt(0x6A80)

    install_probe(t1, script)
    assert t1.transmit("80 10 00 00 04") == Response(b"\x80\x10", 0x6A80)


def raise_(exc: BaseException) -> Callable[[APDU], None]:
    def script(apdu: APDU) -> None:
        apdu.setOutgoingAndSend(0, 2)  # discarded: only an ISOException keeps the data
        raise exc

    return script


UNCAUGHT = [
    SystemException(SystemException.ILLEGAL_VALUE),
    APDUException(APDUException.BAD_LENGTH),
    UserException(0x6A82),
    ArrayIndexOutOfBoundsException(9),
    NullPointerException("x"),
    lang.ArithmeticException("/ by zero"),
    ZeroDivisionError("division by zero"),
    KeyError("k"),
    AssertionError("oops"),
    NotImplementedError(),
    RecursionError(),
]


@pytest.mark.parametrize("exc", UNCAUGHT, ids=lambda e: type(e).__name__)
def test_any_other_exception_answers_6F00_without_data_and_the_card_keeps_working(
        sim: Simulator, exc: BaseException) -> None:
    install_probe(sim, raise_(exc))
    sim.install(Echo, ECHO_AID)
    assert sim.transmit("80 10 00 00") == Response(b"", 0x6F00)
    assert sim.transmit("80 10 00 00") == Response(b"", 0x6F00)
    assert sim.select(ECHO_AID).sw == 0x9000
    assert exchange(sim, "80 01 00 00 02 0102") == (b"\x01\x02", 0x9000)


def test_an_uncaught_exception_is_logged_as_one_line_naming_it_and_the_applet_frame(
        t1: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    def fail(apdu: APDU) -> None:
        apdu.getBuffer()[0] = 1 // 0

    install_probe(t1, fail)
    with caplog.at_level(logging.WARNING, logger="jcsim.card"):
        for _ in range(20):
            assert t1.transmit("80 10 00 00").sw == 0x6F00
    records = [r for r in caplog.records if r.name == "jcsim.card"]
    assert len(records) == 20  # one per command
    message = records[0].getMessage()
    assert "\n" not in message and records[0].exc_info is None
    assert "ZeroDivisionError" in message and "by zero" in message
    assert f"{__file__}:" in message and "in fail" in message


def test_at_debug_an_uncaught_exception_is_logged_with_its_traceback(
        t1: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    install_probe(t1, raise_(ZeroDivisionError("boom")))
    with caplog.at_level(logging.DEBUG, logger="jcsim.card"):
        assert t1.transmit("80 10 00 00").sw == 0x6F00
    records = [r for r in caplog.records if r.name == "jcsim.card"]
    assert len(records) == 1
    assert records[0].exc_info is not None
    assert records[0].exc_info[0] is ZeroDivisionError


def test_an_ISOException_is_not_logged(t1: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    install_probe(t1, lambda apdu: ISOException.throwIt(0x6A82))
    with caplog.at_level(logging.DEBUG, logger="jcsim.card"):
        t1.transmit("80 10 00 00")
    assert [r for r in caplog.records if r.name == "jcsim.card"] == []


def test_an_applet_that_does_not_override_process_answers_6F00(t1: Simulator) -> None:
    from jcsim.framework import Applet

    class Lazy(Applet):
        pass

    t1.install(Lazy, ECHO_AID)
    # process() runs for the SELECT too, and raises NotImplementedError there.
    assert t1.select(ECHO_AID).sw == 0x6F00
    assert t1.transmit("80 10 00 00").sw == 0x6F00


# --- malformed commands ---------------------------------------------------------------------

SHORT = ["", "80", "80 10", "80 10 00"]
INCONSISTENT = [
    "80 10 00 00 05 0102",  # Lc=5, 2 data bytes
    "80 10 00 00 02 010203 00 00",  # Lc=2, 5 bytes after it
    "80 10 00 00 00 01",  # 00 then one byte: no case
    "80 10 00 00 00 0000 AA",  # extended Lc 0000
    "80 10 00 00 00 0003 0102",  # extended Lc=3, 2 data bytes
    "80 10 00 00 00 0002 010203",  # extended Lc=2, 3 bytes after it
]


@pytest.mark.parametrize("command", SHORT + INCONSISTENT)
def test_a_command_too_short_or_with_inconsistent_lengths_is_6700_before_process(
        sim: Simulator, command: str) -> None:
    calls: list[int] = []
    install_probe(sim, lambda apdu: calls.append(1), extended=True)
    assert sim.transmit(command) == Response(b"", 0x6700)
    assert calls == []


@pytest.mark.parametrize("cla", [0x20, 0x21, 0x2C, 0x30, 0x3F, 0xFF])
def test_an_invalid_class_byte_is_6E00_before_process(sim: Simulator, cla: int) -> None:
    calls: list[int] = []
    install_probe(sim, lambda apdu: calls.append(1))
    assert sim.transmit(bytes((cla, 0x10, 0x00, 0x00))) == Response(b"", 0x6E00)
    assert sim.transmit(bytes((cla, 0xA4, 0x04, 0x00, 0x01, 0xF0))).sw == 0x6E00
    assert calls == []


@pytest.mark.parametrize("cla", [0x00, 0x1C, 0x80, 0xBC, 0x90, 0xB0])
def test_valid_class_bytes_on_the_basic_channel_reach_the_applet(
        t1: Simulator, cla: int) -> None:
    seen: list[int] = []
    install_probe(t1, lambda apdu: seen.append(apdu.getBuffer()[0]))
    assert t1.transmit(bytes((cla, 0x10, 0x00, 0x00))).sw == 0x9000
    assert seen == [cla]


# --- no applet ------------------------------------------------------------------------------


def test_a_command_with_no_applet_selected_is_6999(sim: Simulator) -> None:
    assert sim.transmit("80 10 00 00") == Response(b"", 0x6999)
    sim.install(Echo, ECHO_AID)
    assert sim.transmit("80 01 00 00 01 AA") == Response(b"", 0x6999)


def test_a_command_on_a_closed_logical_channel_is_6881(t1: Simulator) -> None:
    t1.install(Echo, ECHO_AID)
    t1.select(ECHO_AID)
    assert t1.transmit("81 01 00 00 01 AA").sw == 0x6881
