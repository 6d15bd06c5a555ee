"""The direct INVOKE (primitive parameters and results, answered in one step) against the
general path: a twin card whose ``RMIService`` subclass overrides one of the steps, which
keeps it on the general path, must answer every command byte for byte alike."""

from __future__ import annotations

import logging

from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.framework.service import RMIService
from jcsim.framework.service import rmi_plans
from jcsim.framework.service import rmi_direct
from jcsim.rmi.client import JCRMIConnect, SimulatorCardAccessor
from jcsim.rmi.remote import remote_class_info
from tests.rmi.applets import ECHOES_AID, PYTHON_BUG, THROWN, EchoesApplet, EchoesImpl


class GeneralPathService(RMIService):
    """Overrides a step (with the same behaviour): its INVOKEs all go the general way."""

    def _direct_call(self, data: bytes) -> bytes | None:
        return None


class GeneralPathApplet(EchoesApplet):
    def __init__(self) -> None:
        super().__init__()
        self.dispatcher.removeService(self.rmi, self.dispatcher.PROCESS_COMMAND)
        self.rmi = GeneralPathService(self.impl)
        self.dispatcher.addService(self.rmi, self.dispatcher.PROCESS_COMMAND)


METHOD_IDS = sorted(remote_class_info(EchoesImpl).by_id)


def _card(applet: type, ref_format: int) -> tuple[Simulator, bytes, int]:
    sim = Simulator()
    sim.install(applet, ECHOES_AID)
    connection = JCRMIConnect(SimulatorCardAccessor(sim))
    connection.select_applet(ECHOES_AID, ref_format)
    fci = bytes(connection.select_response.initial_ref.value.object_id.to_bytes(2, "big"))
    return sim, fci, connection.invoke_ins


def test_only_the_plain_service_takes_the_direct_path():
    assert rmi_direct.keeps_the_steps(RMIService)
    assert not rmi_direct.keeps_the_steps(GeneralPathService)
    sim, object_id, ins = _card(EchoesApplet, JCRMIConnect.REF_WITH_CLASS_NAME)
    echo_short = remote_class_info(EchoesImpl).by_name["echoShort"].method_id()
    response = sim.transmit(bytes((0x80, ins, 2, 2, 6)) + object_id
                            + echo_short.to_bytes(2, "big") + b"\xfe\xdc\x00")
    assert (response.data, response.sw) == (b"\x81\xfe\xdc", 0x9000)
    assert rmi_plans._PLANS[EchoesImpl][echo_short] is not None  # planned: taken directly
    mix = remote_class_info(EchoesImpl).by_name["mix"].method_id()
    assert rmi_plans.direct_plan(EchoesImpl, mix) is None  # a byte[] parameter: general


def _invoke_data(draw_object_id, method_id, params):
    return draw_object_id.to_bytes(2, "big") + method_id.to_bytes(2, "big") + params


commands = st.tuples(
    st.one_of(st.just(None), st.integers(0, 0xFFFF)),   # None: the initial reference's id
    st.one_of(st.sampled_from(METHOD_IDS), st.integers(0, 0xFFFF)),
    st.one_of(st.binary(max_size=9),
              st.tuples(st.sampled_from([*sorted(THROWN), 0, PYTHON_BUG]),
                        st.integers(0, 0xFFFF)).map(lambda kr: bytes((kr[0] & 0xFF,))
                                                    + kr[1].to_bytes(2, "big"))),
    st.sampled_from([b"\x02\x02", b"\x02\x02", b"\x02\x03", b"\x00\x00"]),
    st.sampled_from([0x80, 0x81, 0x00]),
)


@settings(max_examples=300, deadline=None)
@given(ref_format=st.sampled_from([JCRMIConnect.REF_WITH_CLASS_NAME,
                                   JCRMIConnect.REF_WITH_INTERFACE_NAMES]),
       script=st.lists(commands, min_size=1, max_size=6))
def test_the_direct_and_the_general_path_answer_alike(ref_format, script):
    direct, direct_id, ins = _card(EchoesApplet, ref_format)
    general, general_id, general_ins = _card(GeneralPathApplet, ref_format)
    assert (direct_id, ins) == (general_id, general_ins)
    for object_id, method_id, params, p1p2, cla in script:
        data = _invoke_data(int.from_bytes(direct_id, "big") if object_id is None
                            else object_id, method_id, params)
        command = bytes((cla, ins)) + p1p2 + bytes((len(data),)) + data + b"\x00"
        answers = [(r.data, r.sw) for r in (direct.transmit(command),
                                            general.transmit(command))]
        assert answers[0] == answers[1], command.hex()
    impls = [card.applet_instance(ECHOES_AID).impl for card in (direct, general)]
    assert (impls[0].callCount, impls[0].count) == (impls[1].callCount, impls[1].count)


def _connections(ref_format):
    """Two sessions with twin cards: the first calls directly, the second (watched by
    ``on_invoke``) the general way."""
    seen = []
    connections = []
    for on_invoke in (None, seen.append):
        sim = Simulator()
        sim.install(EchoesApplet, ECHOES_AID)
        connection = JCRMIConnect(SimulatorCardAccessor(sim), on_invoke=on_invoke)
        connection.select_applet(ECHOES_AID, ref_format)
        connections.append(connection)
    return connections, seen


def _outcome(call):
    try:
        return ("value", call())
    except Exception as exc:  # the exception is the outcome compared
        return (type(exc).__name__, str(exc))


host_calls = st.one_of(
    st.sampled_from([("calls", ()), ("nothing", ()), ("increment", ()), ("reselect", ()),
                     ("calls", (1,)), ("echoShort", ()), ("echoShort", (True,))]),
    st.tuples(st.sampled_from(["echoByte", "echoShort", "echoInt"]),
              st.tuples(st.integers(-(2**32), 2**33))),
    st.tuples(st.sampled_from(["echoByte", "echoShort"]), st.tuples(st.integers(-300, 300))),
    st.tuples(st.just("throwIt"), st.tuples(st.sampled_from([*sorted(THROWN), 0]),
                                            st.integers(-40000, 70000))),
)


@settings(max_examples=100, deadline=None)
@given(ref_format=st.sampled_from([JCRMIConnect.REF_WITH_CLASS_NAME,
                                   JCRMIConnect.REF_WITH_INTERFACE_NAMES]),
       calls=st.lists(host_calls, min_size=1, max_size=8))
def test_the_host_stub_answers_alike_with_and_without_the_direct_plan(ref_format, calls):
    connections, seen = _connections(ref_format)
    proxies = [c.get_initial_reference() for c in connections]
    sent: list[list[bytes]] = [[], []]
    for connection, commands in zip(connections, sent, strict=True):
        connection.card_accessor.simulator.subscribe(
            lambda event, commands=commands: commands.append(event.command))
    for name, args in calls:
        outcomes = []
        for connection, proxy in zip(connections, proxies, strict=True):
            if name == "reselect":  # the proxies' object ids are then unknown: error 0001
                outcomes.append(_outcome(lambda c=connection: c.select_applet(ECHOES_AID,
                                                                              ref_format)))
            else:
                outcomes.append(_outcome(lambda p=proxy, n=name, a=args: getattr(p, n)(*a)))
        assert outcomes[0] == outcomes[1], (name, args)
    sims = [proxy.remote_ref.connection.card_accessor.simulator for proxy in proxies]
    impls = [sim.applet_instance(ECHOES_AID).impl for sim in sims]
    assert (impls[0].callCount, impls[0].count) == (impls[1].callCount, impls[1].count)
    # The same commands reached both cards, byte for byte; the watched session saw each.
    assert sent[0] == sent[1]
    assert len(seen) == sum(1 for command in sent[1] if command[1] == 0x38)


def test_object_ids_past_7fff_are_found_though_kept_as_java_shorts():
    sim = Simulator()
    sim.install(EchoesApplet, ECHOES_AID)
    sim.card.remote_refs.next_id = 0xFFF0
    connection = JCRMIConnect(SimulatorCardAccessor(sim))
    connection.select_applet(ECHOES_AID)
    echoes = connection.get_initial_reference()
    assert connection.select_response.initial_ref.value.object_id == 0xFFF0
    assert echoes.echoShort(-2) == -2  # the direct path
    assert list(echoes.echoShorts([1, -1])) == [1, -1]  # the general path
    counter = echoes.child(1)  # a second reference, id FFF1
    assert counter.increment() == 1


def test_an_answer_longer_than_a_small_apdu_buffer_fails_alike_on_both_paths(caplog):
    # A 133-byte buffer holds 128 bytes of CSF data: makeBytes(200) (an answer of 202 bytes)
    # is ArrayIndexOutOfBoundsException in RMIService, 6F00 from the Dispatcher.
    answers, logs = [], []
    for applet in (EchoesApplet, GeneralPathApplet):
        sim = Simulator(apdu_buffer_size=133)
        sim.install(applet, ECHOES_AID)
        connection = JCRMIConnect(SimulatorCardAccessor(sim))
        connection.select_applet(ECHOES_AID)
        echoes = connection.get_initial_reference()
        caplog.clear()
        with caplog.at_level(logging.INFO):
            answers.append([_outcome(lambda e=echoes, n=n: list(e.makeBytes(n)))
                            for n in (10, 123, 124, 200)])
        logs.append(caplog.text)
    assert answers[0] == answers[1]
    assert answers[0][1] == ("value", list(range(123)))
    assert "6F00" in answers[0][3][1]
    for text in logs:  # a Java exception the Dispatcher caught, not a Python error
        assert "ArrayIndexOutOfBoundsException" in text
        assert "ValueError" not in text
