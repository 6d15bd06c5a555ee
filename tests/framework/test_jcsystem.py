"""javacard.framework.JCSystem: identity, version, channels and transient arrays."""

from __future__ import annotations

from typing import Any

import pytest

from jcsim import Response, Simulator
from jcsim.framework import (
    AID,
    APDU,
    Applet,
    ArrayIndexOutOfBoundsException,
    BooleanArray,
    ByteArray,
    IntArray,
    JCSystem,
    NegativeArraySizeException,
    NullPointerException,
    ObjectArray,
    SecurityException,
    ShortArray,
    SystemException,
)
from tests.helpers import ECHO_AID, PROBE_AID, Echo, install_probe, instance_of

HOLDER_AID = "F0 00 00 00 04 01"
INS_WRITE = 0x10
INS_READ = 0x20


class TransientHolder(Applet):
    """Holds one byte in each kind of memory: INS 10 stores P1 in all three, INS 20 reads them
    back as (clear-on-reset, clear-on-deselect, persistent)."""

    def __init__(self) -> None:
        self.on_reset = JCSystem.makeTransientByteArray(1, JCSystem.CLEAR_ON_RESET)
        self.on_deselect = JCSystem.makeTransientByteArray(1, JCSystem.CLEAR_ON_DESELECT)
        self.persistent = ByteArray(1)

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        if buf[1] == INS_WRITE:
            self.on_reset[0] = self.on_deselect[0] = self.persistent[0] = buf[2]
            return
        buf[0], buf[1], buf[2] = self.on_reset[0], self.on_deselect[0], self.persistent[0]
        apdu.setOutgoingAndSend(0, 3)


@pytest.fixture
def holder(t1: Simulator) -> Simulator:
    t1.install(TransientHolder, HOLDER_AID)
    t1.install(Echo, ECHO_AID)
    assert t1.select(HOLDER_AID).sw == 0x9000
    assert t1.transmit("80 10 5A 00").sw == 0x9000
    return t1


def read_holder(sim: Simulator) -> bytes:
    response = sim.transmit("80 20 00 00 03")
    assert response.sw == 0x9000
    return response.data


def test_transient_and_persistent_arrays_keep_their_values_between_commands(
        holder: Simulator) -> None:
    assert read_holder(holder) == b"\x5A\x5A\x5A"


def test_deselecting_the_applet_clears_only_its_clear_on_deselect_arrays(
        holder: Simulator) -> None:
    assert holder.select(ECHO_AID).sw == 0x9000
    assert holder.select(HOLDER_AID).sw == 0x9000
    assert read_holder(holder) == b"\x5A\x00\x5A"


def test_reselecting_the_selected_applet_clears_its_clear_on_deselect_arrays(
        holder: Simulator) -> None:
    assert holder.select(HOLDER_AID).sw == 0x9000
    assert read_holder(holder) == b"\x5A\x00\x5A"


def test_a_card_reset_clears_both_kinds_of_transient_arrays(holder: Simulator) -> None:
    holder.reset()
    assert holder.select(HOLDER_AID).sw == 0x9000
    assert read_holder(holder) == b"\x00\x00\x5A"


def test_a_power_cycle_clears_both_kinds_of_transient_arrays(holder: Simulator) -> None:
    holder.power_off()
    holder.power_on()
    assert holder.select(HOLDER_AID).sw == 0x9000
    assert read_holder(holder) == b"\x00\x00\x5A"


def run_in_applet(sim: Simulator, body: Any) -> dict[str, Any]:
    """Run ``body(seen)`` inside a selected probe's ``process``; returns what it recorded."""
    seen: dict[str, Any] = {}
    install_probe(sim, lambda apdu: body(seen))
    assert sim.transmit("80 00 00 00").sw == 0x9000
    return seen


MAKERS = [
    (JCSystem.makeTransientByteArray, ByteArray, 0),
    (JCSystem.makeTransientShortArray, ShortArray, 0),
    (JCSystem.makeTransientBooleanArray, BooleanArray, False),
    (JCSystem.makeTransientObjectArray, ObjectArray, None),
]
MAKER_IDS = [maker.__name__ for maker, _cls, _default in MAKERS]


@pytest.mark.parametrize(("maker", "cls", "default"), MAKERS, ids=MAKER_IDS)
@pytest.mark.parametrize("event", [JCSystem.CLEAR_ON_RESET, JCSystem.CLEAR_ON_DESELECT])
def test_makeTransient_arrays_have_the_type_the_length_and_the_event(
        t1: Simulator, maker: Any, cls: type, default: Any, event: int) -> None:
    def body(seen: dict[str, Any]) -> None:
        seen["array"] = array = maker(3, event)
        seen["kind"] = JCSystem.isTransient(array)

    seen = run_in_applet(t1, body)
    assert type(seen["array"]) is cls
    assert list(seen["array"]) == [default] * 3
    assert seen["kind"] == event


@pytest.mark.parametrize(("maker", "cls", "default"), MAKERS, ids=MAKER_IDS)
@pytest.mark.parametrize("event", [0, 3, -1])
def test_makeTransient_with_an_unknown_event_is_ILLEGAL_VALUE(
        t1: Simulator, maker: Any, cls: type, default: Any, event: int) -> None:
    def body(seen: dict[str, Any]) -> None:
        try:
            maker(3, event)
        except SystemException as exc:
            seen["reason"] = exc.getReason()

    assert run_in_applet(t1, body) == {"reason": SystemException.ILLEGAL_VALUE}


@pytest.mark.parametrize(("maker", "cls", "default"), MAKERS, ids=MAKER_IDS)
def test_makeTransient_with_a_negative_length_is_NegativeArraySize(
        t1: Simulator, maker: Any, cls: type, default: Any) -> None:
    def body(seen: dict[str, Any]) -> None:
        try:
            maker(-1, JCSystem.CLEAR_ON_RESET)
        except NegativeArraySizeException:
            seen["raised"] = True

    assert run_in_applet(t1, body) == {"raised": True}


def test_a_clear_on_reset_short_array_is_cleared_by_reset(t1: Simulator) -> None:
    arrays: list[Any] = []

    def body(seen: dict[str, Any]) -> None:
        array = JCSystem.makeTransientShortArray(2, JCSystem.CLEAR_ON_RESET)
        array[0] = -5
        arrays.append(array)

    run_in_applet(t1, body)
    assert list(arrays[0]) == [-5, 0]
    t1.reset()
    assert list(arrays[0]) == [0, 0]


def test_isTransient_of_a_persistent_array_is_NOT_A_TRANSIENT_OBJECT(t1: Simulator) -> None:
    def body(seen: dict[str, Any]) -> None:
        seen["kind"] = JCSystem.isTransient(ByteArray(2))

    assert run_in_applet(t1, body) == {"kind": JCSystem.NOT_A_TRANSIENT_OBJECT}


def test_getAID_is_the_running_applets_AID_and_lookupAID_finds_the_same_object(
        t1: Simulator) -> None:
    echo_aid = t1.install(Echo, ECHO_AID)

    def body(seen: dict[str, Any]) -> None:
        seen["mine"] = JCSystem.getAID()
        seen["echo"] = JCSystem.lookupAID(bytes(echo_aid), 0, len(echo_aid))
        seen["unknown"] = JCSystem.lookupAID(b"\xF0\x00\x00\x00\x09", 0, 5)
        buffer = ByteArray(b"\x00\x00" + bytes(echo_aid))
        seen["offset"] = JCSystem.lookupAID(buffer, 2, len(echo_aid))

    seen = run_in_applet(t1, body)
    assert seen["mine"] == AID.from_hex(PROBE_AID)
    assert seen["echo"] is echo_aid
    assert seen["offset"] is echo_aid
    assert seen["unknown"] is None


def test_lookupAID_needs_the_exact_AID_not_a_prefix(t1: Simulator) -> None:
    t1.install(Echo, ECHO_AID)

    def body(seen: dict[str, Any]) -> None:
        seen["prefix"] = JCSystem.lookupAID(bytes.fromhex("F000000001"), 0, 5)

    assert run_in_applet(t1, body) == {"prefix": None}


def test_getVersion_is_3_0_5() -> None:
    assert JCSystem.getVersion() == 0x0305


class ChannelProbe(Applet):
    """Records ``JCSystem.getAssignedChannel()`` in ``select`` and ``process``."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int]] = []

    def select(self) -> bool:
        self.seen.append(("select", JCSystem.getAssignedChannel()))
        return True

    def process(self, apdu: APDU) -> None:
        self.seen.append(("process", JCSystem.getAssignedChannel()))


def test_getAssignedChannel_on_the_basic_channel_is_0(t1: Simulator) -> None:
    t1.install(ChannelProbe, PROBE_AID)
    assert t1.select(PROBE_AID).sw == 0x9000
    assert t1.transmit("80 00 00 00").sw == 0x9000
    assert instance_of(t1, PROBE_AID).seen == [("select", 0), ("process", 0), ("process", 0)]


def test_getAssignedChannel_on_a_logical_channel_is_its_number(t1: Simulator) -> None:
    t1.install(ChannelProbe, PROBE_AID)
    assert t1.transmit("00 70 00 00 01") == Response(b"\x01", 0x9000)
    assert t1.select(PROBE_AID, channel=1).sw == 0x9000
    assert t1.transmit("81 00 00 00").sw == 0x9000
    assert instance_of(t1, PROBE_AID).seen == [("select", 1), ("process", 1), ("process", 1)]


def test_JCSystem_services_outside_applet_code_raise_SystemException() -> None:
    with pytest.raises(SystemException):
        JCSystem.getAID()


def test_lookupAID_from_null_or_outside_the_buffer_raises(t1: Simulator) -> None:
    t1.install(Echo, ECHO_AID)

    def body(seen: dict[str, Any]) -> None:
        aid = bytes.fromhex(ECHO_AID.replace(" ", ""))
        for name, args in {"null": (None, 0, 6), "negative": (aid, -1, 6),
                           "beyond": (aid, 1, 6)}.items():
            try:
                JCSystem.lookupAID(*args)
            except (NullPointerException, ArrayIndexOutOfBoundsException) as exc:
                seen[name] = type(exc)

    assert run_in_applet(t1, body) == {"null": NullPointerException,
                                       "negative": ArrayIndexOutOfBoundsException,
                                       "beyond": ArrayIndexOutOfBoundsException}


def test_isAppletActive_is_true_only_for_an_applet_selected_on_some_channel(
        t1: Simulator) -> None:
    from jcsim.samples.echo import Echo as OtherPackageEcho

    # An applet of another package: tests.helpers' applets share one package, which is not
    # MultiSelectable, so two of them could not be active at once.
    other = t1.install(OtherPackageEcho, "F0 00 00 00 09 01")
    seen: dict[str, Any] = {}

    def body(apdu: Any) -> None:
        seen["me"] = JCSystem.isAppletActive(JCSystem.getAID())
        seen["other"] = JCSystem.isAppletActive(other)

    install_probe(t1, body)
    assert t1.transmit("80 00 00 00").sw == 0x9000
    assert seen == {"me": True, "other": False}
    channel = t1.open_channel()
    assert t1.select(other, channel).sw == 0x9000
    assert t1.transmit("80 00 00 00").sw == 0x9000
    assert seen == {"me": True, "other": True}


@pytest.mark.parametrize(("array_type", "cls", "default"), [
    (JCSystem.ARRAY_TYPE_BOOLEAN, BooleanArray, False),
    (JCSystem.ARRAY_TYPE_BYTE, ByteArray, 0),
    (JCSystem.ARRAY_TYPE_SHORT, ShortArray, 0),
    (JCSystem.ARRAY_TYPE_INT, IntArray, 0),
    (JCSystem.ARRAY_TYPE_OBJECT, ObjectArray, None),
])
def test_makeGlobalArray_makes_a_clear_on_reset_array_no_field_may_keep(
        t1: Simulator, array_type: int, cls: type, default: Any) -> None:
    seen: dict[str, Any] = {}

    def body(apdu: Any) -> None:
        array = JCSystem.makeGlobalArray(array_type, 3)
        seen.update(array=array, kind=JCSystem.isTransient(array), owner=array._owner)
        try:
            instance_of(t1, PROBE_AID).kept = array
        except SecurityException:
            seen["stored"] = False
        else:
            seen["stored"] = True

    install_probe(t1, body)
    assert t1.transmit("80 00 00 00").sw == 0x9000
    array = seen["array"]
    assert isinstance(array, cls) and len(array) == 3 and list(array) == [default] * 3
    assert (seen["kind"], seen["owner"], seen["stored"]) == (JCSystem.CLEAR_ON_RESET, None, False)


def test_makeGlobalArray_of_an_unknown_type_is_ILLEGAL_VALUE(t1: Simulator) -> None:
    seen: dict[str, Any] = {}

    def body(apdu: Any) -> None:
        try:
            JCSystem.makeGlobalArray(9, 3)
        except SystemException as exc:
            seen["reason"] = exc.getReason()

    install_probe(t1, body)
    t1.transmit("80 00 00 00")
    assert seen == {"reason": SystemException.ILLEGAL_VALUE}
