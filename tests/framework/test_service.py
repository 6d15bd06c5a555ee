"""javacard.framework.service: the Dispatcher's registry and phases, and BasicService's helpers
on the Common Service Format of the APDU buffer, checked on a card."""

from __future__ import annotations

from typing import Any

import pytest

from jcsim import Simulator
from jcsim.apdu import parse_hex
from jcsim.framework import APDU, ISO7816, Applet, ISOException, ServiceException
from jcsim.framework.service import BasicService, Dispatcher
from jcsim.rmi.client import SimulatorCardAccessor

AID = "F0 00 00 00 7A 01"

# What the services of the current test saw and did, in order.
LOG: list[Any] = []
# What each service does in each phase: name -> phase -> action.
PLAN: dict[str, dict[str, Any]] = {}


class Scripted(BasicService):
    """A service that logs its calls and runs the test's plan for its phase."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _run(self, phase: str, apdu: APDU) -> bool:
        LOG.append((self.name, phase))
        action = PLAN.get(self.name, {}).get(phase)
        return bool(action(self, apdu)) if action is not None else False

    def processDataIn(self, apdu):
        return self._run("in", apdu)

    def processCommand(self, apdu):
        return self._run("command", apdu)

    def processDataOut(self, apdu):
        return self._run("out", apdu)


class ServiceApplet(Applet):
    """Two input services (a, b), two command services (c, d), one output service (e)."""

    def __init__(self) -> None:
        self.dispatcher = Dispatcher(5)
        for name, phase in (("a", 1), ("b", 1), ("c", 2), ("d", 2), ("e", 3)):
            self.dispatcher.addService(Scripted(name), phase)

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        self.dispatcher.process(apdu)


@pytest.fixture
def card(protocol: str) -> Simulator:
    LOG.clear()
    PLAN.clear()
    sim = Simulator(protocol)
    sim.install(ServiceApplet, AID)
    assert sim.select(AID).sw == 0x9000
    return sim


def send(sim: Simulator, command: str) -> tuple[bytes, int]:
    """Send as a terminal does (GET RESPONSE after 61xx, a re-issue after 6Cxx under T=0)."""
    response = SimulatorCardAccessor(sim).exchange_apdu(parse_hex(command))
    return response[:-2], int.from_bytes(response[-2:], "big")


def answer(data: bytes, sw: int = 0x9000):
    def act(service: BasicService, apdu: APDU) -> bool:
        buffer = apdu.getBuffer()
        for i, value in enumerate(data):
            buffer[ISO7816.OFFSET_CDATA + i] = value
        service.setOutputLength(apdu, len(data))
        return service.succeedWithStatusWord(apdu, sw)
    return act


def test_a_command_no_service_processes_gets_6d00_after_every_input_and_command_service(card):
    assert send(card, "80 10 00 00") == (b"", 0x6D00)
    assert LOG == [("a", "in"), ("b", "in"), ("c", "command"), ("d", "command")]


def test_the_first_service_to_return_true_ends_its_phase_and_output_runs_when_processed(card):
    PLAN["a"] = {"in": lambda s, apdu: True}
    PLAN["c"] = {"command": answer(b"\x01\x02")}
    assert send(card, "80 10 00 00 00") == (b"\x01\x02", 0x9000)
    assert LOG == [("a", "in"), ("c", "command"), ("e", "out")]


def test_the_status_word_the_services_set_is_the_answer(card):
    PLAN["d"] = {"command": lambda s, apdu: s.fail(apdu, 0x6A80)}
    assert send(card, "80 10 00 00 02 AA BB") == (b"", 0x6A80)
    PLAN["d"] = {"command": answer(b"\x07", 0x6282)}
    assert send(card, "80 10 00 00 00") == (b"\x07", 0x6282)


def test_a_service_that_throws_makes_process_answer_6f00(card):
    def boom(service, apdu):
        ISOException.throwIt(0x6A88)

    PLAN["b"] = {"in": boom}
    assert send(card, "80 10 00 00") == (b"", 0x6F00)
    assert LOG == [("a", "in"), ("b", "in")]


def test_an_output_service_can_change_the_output_of_the_csf(card):
    def double(service, apdu):
        length = service.getOutputLength(apdu)
        buffer = apdu.getBuffer()
        for i in range(length):
            buffer[5 + length + i] = buffer[5 + i]
        service.setOutputLength(apdu, 2 * length)
        return True

    PLAN["c"] = {"command": answer(b"\x0A\x0B")}
    PLAN["e"] = {"out": double}
    assert send(card, "80 10 00 00 00") == (b"\x0A\x0B\x0A\x0B", 0x9000)


def test_an_input_service_may_rewrite_lc_for_the_command_services(card):
    seen = []

    def strip(service, apdu):
        length = service.receiveInData(apdu)
        apdu.getBuffer()[ISO7816.OFFSET_LC] = length - 1
        return False

    def read(service, apdu):
        seen.append(service.receiveInData(apdu))
        seen.append(bytes(apdu.getBuffer()[5:5 + seen[-1]]))
        seen.append((service.getP1(apdu), service.getP2(apdu), service.getINS(apdu),
                     service.getCLA(apdu)))
        service.setOutputLength(apdu, 0)  # succeed() leaves La (here still Lc) alone
        return service.succeed(apdu)

    PLAN["a"] = {"in": strip}
    PLAN["c"] = {"command": read}
    assert send(card, "80 10 01 02 03 0A 0B 0C") == (b"", 0x9000)
    assert seen == [2, b"\x0A\x0B", (1, 2, 0x10, 0x80)]


def test_receive_in_data_of_a_case_2_command_is_0(card):
    seen = []
    PLAN["c"] = {"command": lambda s, apdu: seen.append(s.receiveInData(apdu)) or s.succeed(apdu)}
    assert send(card, "80 10 00 00 08") == (b"", 0x9000)
    assert seen == [0]


def test_helpers_refuse_what_the_state_of_the_command_does_not_allow(card):
    reasons = []

    def misuse(service, apdu):
        for attempt in (lambda: service.getOutputLength(apdu),
                        lambda: service.getStatusWord(apdu),
                        lambda: service.setOutputLength(apdu, 257),
                        lambda: service.setOutputLength(apdu, -1)):
            try:
                attempt()
            except ServiceException as exc:
                reasons.append(exc.getReason())
        service.succeed(apdu)
        assert service.isProcessed(apdu)
        reasons.append(service.getStatusWord(apdu))
        for attempt in (lambda: service.getP1(apdu), lambda: service.receiveInData(apdu)):
            try:
                attempt()
            except ServiceException as exc:
                reasons.append(exc.getReason())
        return True

    PLAN["c"] = {"command": misuse}
    assert send(card, "80 10 00 00")[1] == 0x9000
    assert reasons == [ServiceException.CANNOT_ACCESS_OUT_COMMAND,
                       ServiceException.CANNOT_ACCESS_OUT_COMMAND,
                       ServiceException.ILLEGAL_PARAM, ServiceException.ILLEGAL_PARAM,
                       0x9000, ServiceException.CANNOT_ACCESS_IN_COMMAND,
                       ServiceException.CANNOT_ACCESS_IN_COMMAND]


def test_selecting_applet_is_true_only_for_the_select_that_selected_the_applet(protocol):
    seen = []

    class Watcher(BasicService):
        def processCommand(self, apdu):
            seen.append(self.selectingApplet())
            self.setOutputLength(apdu, 0)
            return self.succeed(apdu)

    class WatchApplet(Applet):
        def __init__(self):
            self.dispatcher = Dispatcher(1)
            self.dispatcher.addService(Watcher(), Dispatcher.PROCESS_COMMAND)

        def process(self, apdu):
            self.dispatcher.process(apdu)

    sim = Simulator(protocol)
    sim.install(WatchApplet, AID)
    assert sim.select(AID).sw == 0x9000
    assert sim.transmit("80 10 00 00").sw == 0x9000
    assert seen == [True, False]


# --- the registry (no card needed) -----------------------------------------------------------


def test_the_registry_keeps_the_add_order_and_reuses_freed_slots():
    dispatcher = Dispatcher(3)
    one, two, three, four = (Scripted(n) for n in "wxyz")
    for service in (one, two, three):
        dispatcher.addService(service, Dispatcher.PROCESS_COMMAND)
    dispatcher.addService(two, Dispatcher.PROCESS_COMMAND)  # already there: nothing happens
    with pytest.raises(ServiceException) as caught:
        dispatcher.addService(four, Dispatcher.PROCESS_COMMAND)
    assert caught.value.getReason() == ServiceException.DISPATCH_TABLE_FULL
    dispatcher.removeService(one, Dispatcher.PROCESS_COMMAND)
    dispatcher.removeService(one, Dispatcher.PROCESS_COMMAND)  # not there: nothing happens
    dispatcher.addService(four, Dispatcher.PROCESS_COMMAND)
    assert [s.name for s in dispatcher._services] == ["x", "y", "z"]


@pytest.mark.parametrize("call", [
    lambda d, s: d.addService(None, Dispatcher.PROCESS_COMMAND),
    lambda d, s: d.addService(s, Dispatcher.PROCESS_NONE),
    lambda d, s: d.addService(s, 4),
    lambda d, s: d.removeService(None, Dispatcher.PROCESS_INPUT_DATA),
    lambda d, s: d.removeService(s, 7),
    lambda d, s: d.dispatch(None, Dispatcher.PROCESS_NONE),
    lambda d, s: Dispatcher(-1),
])
def test_illegal_arguments_are_service_exception_illegal_param(call):
    with pytest.raises(ServiceException) as caught:
        call(Dispatcher(2), Scripted("s"))
    assert caught.value.getReason() == ServiceException.ILLEGAL_PARAM


def test_the_phase_constants_are_javas():
    assert (Dispatcher.PROCESS_NONE, Dispatcher.PROCESS_INPUT_DATA, Dispatcher.PROCESS_COMMAND,
            Dispatcher.PROCESS_OUTPUT_DATA) == (0, 1, 2, 3)
