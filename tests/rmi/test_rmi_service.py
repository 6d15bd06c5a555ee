"""RMIService on the card: references and their sessions, exceptions and errors on the wire,
the INVOKE instruction byte, and what the client makes of each answer."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.framework import (
    ISOException,
    NullPointerException,
    RuntimeException,
    ServiceException,
    UserException,
)
from jcsim.framework.service import RMIService
from jcsim.lang import Throwable
from jcsim.rmi import wire
from jcsim.rmi.client import (
    CardExceptionError,
    JCRMIConnect,
    JCRMIProtocolError,
    RemoteInvocationError,
    SimulatorCardAccessor,
)
from jcsim.rmi.remote import collect_methods
from jcsim.samples.purse import PURSE_AID, Purse, PurseApplet
from tests.rmi.applets import (
    BIG_AID,
    BIG_EXTENDED_AID,
    ECHOES_AID,
    HIDDEN_AID,
    OTHER_INS_AID,
    OVERLOADS_AID,
    PYTHON_BUG,
    THROWN,
    BigAnswersApplet,
    BigAnswersExtendedApplet,
    Counter,
    Echoes,
    EchoesApplet,
    HiddenApplet,
    OtherInsApplet,
    Overloads,
    OverloadsApplet,
)
from tests.rmi.multi_applets import MULTI_A_AID, MULTI_B_AID, MultiEchoesApplet

CLASS = JCRMIConnect.REF_WITH_CLASS_NAME
INTERFACES = JCRMIConnect.REF_WITH_INTERFACE_NAMES


# --- references ------------------------------------------------------------------------------


def test_the_proxy_implements_the_remote_interfaces_the_card_names(echoes_card, connect):
    for fmt in (CLASS, INTERFACES):
        _, proxy = connect(echoes_card, ref_format=fmt)
        assert isinstance(proxy, Echoes) and isinstance(proxy, Counter)
        assert proxy.increment() == (1 if fmt == CLASS else 2)


def test_a_returned_remote_object_becomes_a_proxy_and_null_becomes_none(echoes_card, connect):
    _, echoes = connect(echoes_card)
    child = echoes.child(1)
    assert isinstance(child, Counter) and not isinstance(child, Echoes)
    assert [child.increment(), child.increment()] == [1, 2]
    assert echoes.child(0) is None
    assert echoes.child(1) == child  # the same object gets the same id in a session
    assert child.remote_ref.object_id != echoes.remote_ref.object_id


def test_returning_an_object_that_is_not_exported_makes_process_answer_6f00(echoes_card,
                                                                            connect):
    _, echoes = connect(echoes_card)
    with pytest.raises(JCRMIProtocolError) as caught:
        echoes.child(2)
    assert caught.value.sw == 0x6F00
    assert echoes.calls() == 0  # the session goes on


def test_an_unexported_initial_reference_is_announced_as_error_0001(protocol, connect):
    sim = Simulator(protocol)
    sim.install(HiddenApplet, HIDDEN_AID)
    connection = JCRMIConnect(SimulatorCardAccessor(sim))
    connection.select_applet(HIDDEN_AID)
    assert connection.select_response.initial_ref == wire.ErrorResponse(0x0001)
    with pytest.raises(RemoteInvocationError) as caught:
        connection.get_initial_reference()
    assert caught.value.error_detail == 0x0001


def test_an_object_unexported_in_the_session_stays_callable_until_the_session_ends(
        echoes_card, connect):
    connection, echoes = connect(echoes_card)
    child = echoes.child(1)
    echoes.forget(1)  # CardRemoteObject.unexport(child)
    assert child.increment() == 1
    with pytest.raises(JCRMIProtocolError):
        echoes.child(1)  # but it is no longer handed out
    connection.select_applet(ECHOES_AID)
    with pytest.raises(RemoteInvocationError) as caught:
        child.increment()
    assert caught.value.error_detail == 0x0001


def test_a_new_selection_ends_the_session_and_its_references(echoes_card, connect):
    connection, first = connect(echoes_card)
    child = first.child(1)
    connection.select_applet(ECHOES_AID, INTERFACES)
    second = connection.get_initial_reference()
    for stale_call in (first.calls, child.increment):
        with pytest.raises(RemoteInvocationError) as caught:
            stale_call()
        assert caught.value.error_detail == 0x0001
    assert second.calls() == 0


def test_references_live_while_some_applet_of_their_package_stays_active(connect):
    sim = Simulator()
    sim.install(MultiEchoesApplet, MULTI_A_AID)
    sim.install(MultiEchoesApplet, MULTI_B_AID)
    sim.install(PurseApplet, PURSE_AID)
    _, echoes = connect(sim, MULTI_A_AID)
    child = echoes.child(1)
    channel = sim.open_channel()
    assert sim.select(MULTI_B_AID, channel).sw == 0x9000
    # A leaves channel 0 while B (same package) stays active on the other channel...
    assert sim.select(PURSE_AID).sw == 0x9000
    # ...so when A comes back, the references its RMIService returned are still valid.
    connect(sim, MULTI_A_AID)
    assert child.increment() == 1 and echoes.calls() == 0
    # With no applet of the package active in between, they are gone.
    sim.close_channel(channel)
    assert sim.select(PURSE_AID).sw == 0x9000
    connect(sim, MULTI_A_AID)
    with pytest.raises(RemoteInvocationError):
        child.increment()


def test_object_ids_are_unique_on_the_card_across_applets_and_channels():
    sim = Simulator()
    sim.install(EchoesApplet, ECHOES_AID)
    sim.install(PurseApplet, PURSE_AID)
    channel = sim.open_channel()
    on_zero = JCRMIConnect(SimulatorCardAccessor(sim))
    on_zero.select_applet(PURSE_AID)
    purse = on_zero.get_initial_reference()
    on_other = JCRMIConnect(SimulatorCardAccessor(sim), channel=channel)
    on_other.select_applet(ECHOES_AID)
    echoes = on_other.get_initial_reference()
    child = echoes.child(1)
    ids = [purse.remote_ref.object_id, echoes.remote_ref.object_id, child.remote_ref.object_id]
    assert len(set(ids)) == 3
    assert sim.card.remote_refs.in_use() == sorted(ids)
    assert purse.credit(7) == 7 and echoes.calls() == 0 and child.increment() == 1
    sim.close_channel(channel)
    assert sim.card.remote_refs.in_use() == [purse.remote_ref.object_id]


def test_a_session_holds_16_references_then_answers_error_0005(echoes_card, connect):
    _, echoes = connect(echoes_card)
    counters = [echoes.fresh() for _ in range(RMIService.SESSION_OBJECTS - 1)]
    assert all(c.increment() == 1 for c in counters)
    with pytest.raises(RemoteInvocationError) as caught:
        echoes.fresh()
    assert caught.value.error_detail == 0x0005


def test_a_short_response_carries_up_to_256_bytes_and_a_longer_one_is_error_0005(
        echoes_card, connect, protocol):
    _, echoes = connect(echoes_card)
    assert echoes.makeBytes(254) == bytes(range(254))  # tag, length, 254 bytes: 256
    with pytest.raises(RemoteInvocationError) as caught:
        echoes.makeBytes(300)  # more elements than an RMI array length byte holds
    assert caught.value.error_detail == 0x0005
    sim = Simulator(protocol)
    sim.install(BigAnswersApplet, BIG_AID)
    _, big = connect(sim, BIG_AID)
    assert len(big.ints(63)) == 63  # 2 + 252 bytes
    with pytest.raises(RemoteInvocationError) as caught:
        big.ints(64)  # 2 + 256 bytes: more than a short Le allows
    assert caught.value.error_detail == 0x0005


def test_an_ExtendedLength_applet_answers_beyond_256_bytes(protocol, connect):
    sim = Simulator(protocol)
    sim.install(BigAnswersExtendedApplet, BIG_EXTENDED_AID)
    # Under T=0 a short INVOKE reads the long answer with GET RESPONSE; under T=1 the
    # terminal asks for it with an extended Le.
    _, big = connect(sim, BIG_EXTENDED_AID, extended_length=protocol == "T=1")
    assert big.ints(254) == [i * 65537 - 2**31 for i in range(254)]  # 2 + 1016 bytes


def test_an_extended_INVOKE_carries_parameters_beyond_255_bytes():
    sim = Simulator("T=1")
    sim.install(BigAnswersExtendedApplet, BIG_EXTENDED_AID)
    connection = JCRMIConnect(SimulatorCardAccessor(sim), extended_length=True)
    connection.select_applet(BIG_EXTENDED_AID)
    big = connection.get_initial_reference()
    values = [v * 7919 - 10**6 for v in range(254)]
    assert big.echoInts(values) == values  # 4 + 1 + 1016 bytes in, 2 + 1016 bytes out


def test_an_extended_INVOKE_to_an_applet_without_ExtendedLength_is_refused(connect):
    sim = Simulator("T=1")
    sim.install(BigAnswersApplet, BIG_AID)
    _, big = connect(sim, BIG_AID, extended_length=True)
    with pytest.raises(JCRMIProtocolError):
        big.ints(3)


@pytest.mark.parametrize("fmt", [CLASS, INTERFACES])
def test_overloaded_remote_methods_are_told_apart_by_their_descriptors(protocol, connect, fmt):
    sim = Simulator(protocol)
    sim.install(OverloadsApplet, OVERLOADS_AID)
    _, proxy = connect(sim, OVERLOADS_AID, ref_format=fmt)
    assert proxy.debit(41) == 42
    assert proxy.debitBytes(b"\x01\x02\x03") == 6
    assert proxy.debitPair(9, 2) == 7
    ids = {m.signature: m.method_id() for m in collect_methods((Overloads,), "test").values()}
    assert set(ids) == {"debit(S)S", "debit([B)S", "debit(BB)B"}
    assert len(set(ids.values())) == 3
    assert ids["debit(S)S"] == wire.method_id("debit", "(S)S")


# --- exceptions ------------------------------------------------------------------------------

EXPECTED_TYPES = {1: 0x27, 2: 0x27, 3: 0x23, 4: 0x08, 5: 0x01, 6: 0x0C, 7: 0x30, 8: 0x40,
                  9: 0x02, 10: 0x25, 11: 0x24, 12: 0x26, 13: 0x80, 14: 0x20, 15: 0x22,
                  16: 0x21, 17: 0x05, 18: 0x09, 19: 0x0A, 20: 0x0B, 21: 0x00}
SUBCLASSES = {2, 18}  # MyUserException, MyRuntimeException
WITH_REASON = {1, 2, 3, 7, 8, 10, 11, 12, 13, 14, 15, 16}


@pytest.mark.parametrize("kind", sorted(THROWN))
def test_each_exception_a_remote_method_throws_reaches_the_host_with_type_and_reason(
        echoes_card, connect, kind):
    _, echoes = connect(echoes_card)
    with pytest.raises(CardExceptionError) as caught:
        echoes.throwIt(kind, 0x6A82)
    exc = caught.value
    assert exc.type_code == EXPECTED_TYPES[kind]
    assert exc.subclass == (kind in SUBCLASSES)
    assert exc.reason == (0x6A82 if kind in WITH_REASON else 0)
    assert exc.java_type == wire.EXCEPTION_TYPES[exc.type_code]
    base = THROWN[kind] if kind not in SUBCLASSES else THROWN[kind].__mro__[1]
    assert isinstance(exc, base) and isinstance(exc, Throwable)


def test_a_user_exception_is_caught_as_in_java(echoes_card, connect):
    _, echoes = connect(echoes_card)
    with pytest.raises(UserException) as caught:
        echoes.throwIt(1, 0x0102)
    assert caught.value.getReason() == 0x0102
    with pytest.raises(ISOException) as caught:
        echoes.throwIt(3, 0x6985)
    assert caught.value.getReason() == 0x6985
    with pytest.raises(NullPointerException):
        echoes.throwIt(4, 0)
    with pytest.raises(RuntimeException):
        echoes.throwIt(18, 0)  # a subclass arrives as its closest API class


def test_the_exception_responses_on_the_wire(echoes_card, connect):
    connection, echoes = connect(echoes_card)
    seen = []
    connection.on_invoke = seen.append
    for kind in (1, 2, 4):
        with pytest.raises(CardExceptionError):
            echoes.throwIt(kind, 0x0102)
    assert [i.response for i in seen] == [bytes.fromhex("8227010290 00".replace(" ", "")),
                                          bytes.fromhex("83270102 9000".replace(" ", "")),
                                          bytes.fromhex("82080000 9000".replace(" ", ""))]


def test_a_python_error_in_a_remote_method_is_6f00_and_logged(echoes_card, connect, caplog):
    _, echoes = connect(echoes_card)
    with caplog.at_level(logging.WARNING, logger="jcsim.card"):
        with pytest.raises(JCRMIProtocolError) as caught:
            echoes.throwIt(PYTHON_BUG, 0)
    assert caught.value.sw == 0x6F00
    # One line naming the exception and the applet line that raised it.
    assert any("uncaught TypeError" in r.getMessage() and "in throwIt" in r.getMessage()
               for r in caplog.records)
    assert echoes.calls() == 0


def test_a_void_method_returns_none_and_runs(echoes_card, connect):
    _, echoes = connect(echoes_card)
    assert echoes.nothing() is None and echoes.nothing() is None
    assert echoes.calls() == 2


# --- the INVOKE instruction and the protocol ------------------------------------------------


def test_set_invoke_instruction_byte_takes_effect_at_the_next_select(protocol, connect):
    sim = Simulator(protocol)
    sim.install(OtherInsApplet, OTHER_INS_AID)
    seen = []
    connection, echoes = connect(sim, OTHER_INS_AID, on_invoke=seen.append)
    assert connection.invoke_ins == 0x40
    assert echoes.echoShort(5) == 5
    assert seen[0].command[:4] == bytes.fromhex("80400202")
    assert sim.transmit("80 38 02 02 04 0000 ECA8 00").sw == 0x6D00  # not an RMI command now


def test_invoke_before_any_select_is_error_0001(protocol):
    sim = Simulator(protocol)
    sim.install(PurseApplet, PURSE_AID, default=True)
    sim.power_on()  # the default applet is selected without a SELECT command
    response = sim.transmit("80 38 02 02 04 0000 ECA8 00")
    if protocol == "T=0":
        response = sim.transmit(bytes((0, 0xC0, 0, 0, response.sw & 0xFF)))
    assert bytes(response) == bytes.fromhex("9900019000")


def test_invoke_on_another_logical_channel_uses_its_class_byte(connect):
    sim = Simulator()
    sim.install(PurseApplet, PURSE_AID)
    channel = sim.open_channel()
    seen = []
    connection = JCRMIConnect(SimulatorCardAccessor(sim), channel=channel, on_invoke=seen.append)
    connection.select_applet(PURSE_AID)
    purse = connection.get_initial_reference()
    assert purse.credit(3) == 3
    assert seen[0].command[0] == 0x80 | channel
    assert sim.selected(0) is None and sim.selected(channel) is not None


def test_the_client_refuses_an_fci_that_is_not_rmi_data():
    from tests.helpers import ECHO_AID, Echo

    sim = Simulator()
    sim.install(Echo, ECHO_AID)
    with pytest.raises(JCRMIProtocolError):
        JCRMIConnect(SimulatorCardAccessor(sim)).select_applet(ECHO_AID)


def test_select_of_a_missing_applet_raises_with_the_status_word():
    with pytest.raises(JCRMIProtocolError) as caught:
        JCRMIConnect(SimulatorCardAccessor(Simulator())).select_applet("F0 01 02 03 04")
    assert caught.value.sw == 0x6999


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=40), object_id=st.sampled_from([0, 1, 0x7FFF]),
       p1p2=st.sampled_from([b"\x02\x02", b"\x02\x03", b"\x00\x00"]))
def test_random_invoke_data_never_breaks_the_card(data, object_id, p1p2):
    sim = Simulator()
    sim.install(PurseApplet, PURSE_AID)
    connection = JCRMIConnect(SimulatorCardAccessor(sim))
    connection.select_applet(PURSE_AID)
    body = object_id.to_bytes(2, "big") + data
    response = sim.transmit(b"\x80\x38" + p1p2 + bytes((len(body),)) + body + b"\x00")
    assert response.sw == 0x9000
    assert response.data[0] in (wire.NORMAL_TAG, wire.EXCEPTION_TAG, wire.ERROR_TAG)
    purse = connection.get_initial_reference()
    assert purse.getBalance() >= -0x8000  # the purse still answers
    assert isinstance(purse, Purse)


def test_rmi_service_refuses_a_null_initial_object():
    with pytest.raises(NullPointerException):
        RMIService(None)


def test_service_exception_keeps_the_java_reason_codes():
    assert (ServiceException.ILLEGAL_PARAM, ServiceException.DISPATCH_TABLE_FULL,
            ServiceException.COMMAND_DATA_TOO_LONG, ServiceException.CANNOT_ACCESS_IN_COMMAND,
            ServiceException.CANNOT_ACCESS_OUT_COMMAND, ServiceException.COMMAND_IS_FINISHED,
            ServiceException.REMOTE_OBJECT_NOT_EXPORTED) == (1, 2, 3, 4, 5, 6, 7)
