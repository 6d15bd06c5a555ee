"""javacardx.apdu.util.APDUUtil, javacardx.framework.util.ArrayLogic and
javacardx.framework.util.intx.JCint against Python models and the specification's reason
codes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.framework import (
    ArrayIndexOutOfBoundsException,
    BooleanArray,
    ByteArray,
    IntArray,
    JCSystem,
    NullPointerException,
    ObjectArray,
    ShortArray,
)
from jcsim.x.apdu.util import APDUUtil
from jcsim.x.framework.util import ArrayLogic, UtilException
from jcsim.x.framework.util.intx import JCint
from tests.helpers import install_probe

# (CLA, channel, secure messaging, chaining, interindustry, valid): JCRE 3.0.5 section 4.3.
CLA_CASES = [
    (0x00, 0, False, False, True, True),
    (0x03, 3, False, False, True, True),
    (0x0C, 0, True, False, True, True),
    (0x10, 0, False, True, True, True),
    (0x40, 4, False, False, True, True),
    (0x6F, 19, True, False, True, True),
    (0x5F, 19, False, True, True, True),
    (0x80, 0, False, False, False, True),
    (0x84, 0, True, False, False, True),
    (0xC1, 5, False, False, False, True),
    (0xE0, 4, True, False, False, True),
    (0x20, 0, False, False, False, False),
    (0x3F, 0, False, False, False, False),
    (0xFF, 0, False, False, False, False),
]


@pytest.mark.parametrize(("cla", "channel", "sm", "chaining", "inter", "valid"), CLA_CASES)
def test_apdu_util_decodes_the_class_byte(cla, channel, sm, chaining, inter, valid):
    signed = cla - 256 if cla > 127 else cla  # Java passes a signed byte
    for value in (cla, signed):
        assert APDUUtil.getCLAChannel(value) == channel
        assert APDUUtil.isSecureMessagingCLA(value) is sm
        assert APDUUtil.isCommandChainingCLA(value) is chaining
        assert APDUUtil.isISOInterindustryCLA(value) is inter
        assert APDUUtil.isValidCLA(value) is valid


def _reason(call: Any, *args: Any) -> int:
    with pytest.raises(UtilException) as info:
        call(*args)
    return info.value.getReason()


def test_repack_moves_big_endian_bytes_between_element_widths():
    shorts = ShortArray(2)
    assert ArrayLogic.arrayCopyRepack(ByteArray(b"\x12\x34\xff\xfe"), 0, 4, shorts, 0) == 2
    assert list(shorts) == [0x1234, -2]
    ints = IntArray(1)
    assert ArrayLogic.arrayCopyRepackNonAtomic(shorts, 0, 2, ints, 0) == 1
    assert list(ints) == [0x1234FFFE]
    back = ByteArray(6)
    assert ArrayLogic.arrayCopyRepack(ints, 0, 1, back, 2) == 6
    assert bytes(back) == b"\x00\x00\x12\x34\xff\xfe"


def test_repack_refuses_a_partial_destination_element_and_non_primitive_arrays():
    assert _reason(ArrayLogic.arrayCopyRepack, ByteArray(3), 0, 3, ShortArray(2), 0) == \
        UtilException.ILLEGAL_VALUE
    assert _reason(ArrayLogic.arrayCopyRepack, ObjectArray(2), 0, 2, ByteArray(2), 0) == \
        UtilException.ILLEGAL_VALUE
    with pytest.raises(ArrayIndexOutOfBoundsException):
        ArrayLogic.arrayCopyRepack(ByteArray(4), 0, 4, ShortArray(1), 0)
    with pytest.raises(NullPointerException):
        ArrayLogic.arrayCopyRepack(None, 0, 0, ShortArray(1), 0)


def test_compare_fill_and_find_work_on_every_primitive_type():
    a, b = ShortArray([1, -5, 3]), ShortArray([1, 7, 3])
    assert ArrayLogic.arrayCompareGeneric(a, 0, b, 0, 3) == -1
    assert ArrayLogic.arrayCompareGeneric(b, 0, a, 0, 3) == 1
    assert ArrayLogic.arrayCompareGeneric(a, 2, b, 2, 1) == 0
    # Bytes compare signed: 0x80 (-128) is less than 0x01.
    assert ArrayLogic.arrayCompareGeneric(ByteArray(b"\x80"), 0, ByteArray(b"\x01"), 0, 1) == -1
    flags = BooleanArray(4)
    assert ArrayLogic.arrayFillGeneric(flags, 1, 2, BooleanArray([True]), 0) == 3
    assert list(flags) == [False, True, True, False]
    ints = IntArray([5, -1, 7, -1])
    assert ArrayLogic.arrayFindGeneric(ints, 0, ByteArray(b"\xff\xff\xff\xff"), 0) == 1
    assert ArrayLogic.arrayFindGeneric(ints, 2, ByteArray(b"\xff\xff\xff\xff"), 0) == 3
    assert ArrayLogic.arrayFindGeneric(ints, 0, ByteArray(b"\x00\x00\x00\x08"), 0) == -1


def test_two_arrays_of_different_types_are_TYPE_MISMATCHED():
    assert _reason(ArrayLogic.arrayCompareGeneric, ByteArray(2), 0, ShortArray(2), 0, 1) == \
        UtilException.TYPE_MISMATCHED
    assert _reason(ArrayLogic.arrayFillGeneric, ShortArray(2), 0, 2, IntArray(1), 0) == \
        UtilException.TYPE_MISMATCHED


@given(st.lists(st.integers(-0x8000, 0x7FFF), max_size=8))
def test_repacking_shorts_to_bytes_and_back_is_the_identity(values):
    shorts = ShortArray(values)
    data = ByteArray(2 * len(values))
    ArrayLogic.arrayCopyRepack(shorts, 0, len(values), data, 0)
    assert bytes(data) == b"".join((v & 0xFFFF).to_bytes(2, "big") for v in values)
    again = ShortArray(len(values))
    ArrayLogic.arrayCopyRepack(data, 0, len(data), again, 0)
    assert list(again) == values


@given(st.integers(-2**31, 2**31 - 1), st.integers(0, 4))
def test_jcint_set_and_get_round_trip_big_endian(value, offset):
    data = ByteArray(8)
    assert JCint.setInt(data, offset, value) == offset + 4
    assert bytes(data[offset:offset + 4]) == (value & 0xFFFFFFFF).to_bytes(4, "big")
    assert JCint.getInt(data, offset) == value
    b = (value & 0xFFFFFFFF).to_bytes(4, "big")
    assert JCint.makeInt(*[x - 256 if x > 127 else x for x in b]) == value
    assert JCint.makeInt(int.from_bytes(b[:2], "big"), int.from_bytes(b[2:], "big")) == value


def test_jcint_bounds_are_checked_before_anything_is_written():
    data = ByteArray(4)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        JCint.setInt(data, 1, -1)
    assert bytes(data) == bytes(4)


def test_a_transient_int_array_is_cleared_at_reset():
    sim = Simulator("T=1")
    made: list[Any] = []

    def script(apdu):
        array = JCint.makeTransientIntArray(2, JCSystem.CLEAR_ON_RESET)
        array[1] = -7
        made.append((array, JCSystem.isTransient(array)))

    install_probe(sim, script)
    assert sim.transmit("80 00 00 00").sw == 0x9000
    array, kind = made[0]
    assert (type(array), kind, list(array)) == (IntArray, JCSystem.CLEAR_ON_RESET, [0, -7])
    sim.reset()
    assert list(array) == [0, 0]
