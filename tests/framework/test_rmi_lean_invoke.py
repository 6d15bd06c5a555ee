"""The Dispatcher's shortcut for RMIService's INVOKE (``RMIService._jc_lean_command``) against
the general path: twin cards run the same command sequences, one with the RMI purse as it is
(the shortcut taken whenever it applies), one whose service declines every shortcut; answers,
the purse's balance, the transaction state and the APDU buffer's Common Service Format must be
the same after every command, under T=1 and T=0."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.framework import APDU, Applet, JCSystem
from jcsim.framework.service import Dispatcher, RMIService
from jcsim.rmi import UserException
from jcsim.rmi.remote import remote_class_info
from jcsim.samples.purse.purse_impl import PurseImpl

AID = "F0 00 00 00 7A 10"


class GeneralRMIService(RMIService):
    """Declines the shortcut: the Dispatcher calls processCommand for every command."""

    _jc_lean_command = None


class Misbehaving(PurseImpl):
    """A purse whose methods also do what a remote method may: throw, leave a transaction
    open, touch the current APDU, answer a value of the wrong type."""

    def debit(self, amount: int) -> int:
        if amount == 7:
            JCSystem.beginTransaction()  # left open: the JCRE aborts it
        if amount == 9:
            APDU.getCurrentAPDU().setOutgoing()  # the APDU moves under the service's feet
        if amount == 11:
            raise ZeroDivisionError("not a Java exception")
        if amount == 13:
            return "thirteen"  # type: ignore[return-value]
        return super().debit(amount)

    def credit(self, amount: int) -> int:
        if amount == 5:
            UserException.throwIt(0x0105)
        return super().credit(amount)


def applet_class(service_class: type) -> type:
    class RMIApplet(Applet):
        def __init__(self) -> None:
            self.purse = Misbehaving()
            self.dispatcher = Dispatcher(1)
            self.dispatcher.addService(service_class(self.purse), Dispatcher.PROCESS_COMMAND)

        def process(self, apdu: APDU) -> None:
            self.dispatcher.process(apdu)

    return RMIApplet


def method_ids() -> dict[str, int]:
    info = remote_class_info(Misbehaving)
    return {method.name: method_id for method_id, method in info.by_id.items()}


IDS = method_ids()
SELECT = bytes.fromhex("00A4040006" + AID.replace(" ", "") + "00")

invoke = st.builds(
    lambda cla, ins, p1p2, obj, method, params, le: bytes([cla, ins, *p1p2])
    + bytes([4 + len(params)]) + obj.to_bytes(2, "big") + method.to_bytes(2, "big") + params
    + le,
    cla=st.sampled_from([0x80, 0x80, 0x80, 0x00, 0x81, 0x90]),
    ins=st.sampled_from([0x38, 0x38, 0x38, 0x36]),
    p1p2=st.sampled_from([(2, 2), (2, 2), (2, 2), (2, 1), (1, 2)]),
    obj=st.sampled_from([0x0000, 0x0000, 0x0000, 0x0001, 0xFFFF]),  # the initial reference is 0
    method=st.sampled_from([*IDS.values(), *IDS.values(), 0x0000, 0xBEEF]),
    params=st.one_of(st.just(b""), st.integers(0, 20).map(lambda n: n.to_bytes(2, "big")),
                     st.binary(max_size=5)),
    le=st.sampled_from([b"\x00", b"", b"\x03"]),
)
command = st.one_of(invoke, invoke, invoke, st.just(SELECT))


def state(sim: Simulator) -> tuple[Any, ...]:
    """The purse's balance, whether a transaction is open, and the head of the APDU buffer
    (the Common Service Format the services leave there)."""
    card = sim.card
    buffer = card.interfaces["contact"].apdu.getBuffer()
    return sim.applet_instance(AID).purse.balance, card.journal.depth, bytes(buffer[:16])


@pytest.mark.parametrize("protocol", ["T=1", "T=0"])
@settings(max_examples=120, deadline=None)
@given(commands=st.lists(command, min_size=1, max_size=12))
def test_the_shortcut_answers_as_the_general_path(protocol: str, commands: list[bytes]) -> None:
    cards = {}
    for name, service_class in (("lean", RMIService), ("general", GeneralRMIService)):
        sim = Simulator(protocol=protocol)
        sim.install(applet_class(service_class), AID)
        cards[name] = sim
    for apdu in [SELECT, *commands]:
        answers = {}
        for name, sim in cards.items():
            try:
                response = sim.transmit(apdu)
                answers[name] = (response.data, response.sw)
            except Exception as exc:  # a host-side refusal is part of the answer
                answers[name] = (type(exc).__name__, str(exc))
        assert answers["lean"] == answers["general"], apdu.hex()
        assert state(cards["lean"]) == state(cards["general"])


def test_the_shortcut_is_taken_for_the_common_invoke(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    general = RMIService.processCommand

    def counted(self: Any, apdu: APDU) -> bool:
        calls.append("general")
        return general(self, apdu)

    monkeypatch.setattr(RMIService, "processCommand", counted)

    class Counting(RMIService):
        def processCommand(self, apdu: APDU) -> bool:
            calls.append("processCommand")
            return super().processCommand(apdu)

    sim = Simulator()
    sim.install(applet_class(RMIService), AID)
    assert sim.transmit(SELECT).sw == 0x9000
    balance = bytes([0x80, 0x38, 2, 2, 4, 0, 0]) + IDS["getBalance"].to_bytes(2, "big") + b"\x00"
    calls.clear()
    assert sim.transmit(balance).data[:1] == b"\x81"
    assert calls == []  # the shortcut answered
    # A subclass overriding processCommand is called: the shortcut stands only for RMIService's.
    other = Simulator()
    other.install(applet_class(Counting), AID)
    assert other.transmit(SELECT).sw == 0x9000
    assert other.transmit(balance).data == sim.transmit(balance).data
    assert calls == ["processCommand", "general", "processCommand", "general"]
