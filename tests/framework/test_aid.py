"""javacard.framework.AID."""

from __future__ import annotations

import pytest

from jcsim.framework import (
    AID,
    ArrayIndexOutOfBoundsException,
    ByteArray,
    NullPointerException,
    SystemException,
)

AID_BYTES = bytes.fromhex("A000000062030108")
SAME_RID = bytes.fromhex("A00000006201")
OTHER_RID = bytes.fromhex("A00000006303")


def test_an_AID_built_from_an_array_slice_holds_those_bytes() -> None:
    array = ByteArray(b"\xEE\xEE" + AID_BYTES + b"\xEE")
    assert bytes(AID(array, 2, len(AID_BYTES))) == AID_BYTES


def test_an_AID_built_from_bytes_alone_takes_them_all() -> None:
    aid = AID(AID_BYTES)
    assert aid.value == AID_BYTES
    assert len(aid) == 8


@pytest.mark.parametrize("length", [0, 4, 17])
def test_an_AID_of_fewer_than_5_or_more_than_16_bytes_is_ILLEGAL_VALUE(length: int) -> None:
    with pytest.raises(SystemException) as info:
        AID(bytes(range(length)))
    assert info.value.getReason() == SystemException.ILLEGAL_VALUE


@pytest.mark.parametrize("length", [5, 16])
def test_AIDs_of_5_and_16_bytes_are_valid(length: int) -> None:
    assert len(AID(bytes(range(length)))) == length


def test_an_AID_from_null_is_a_NullPointerException() -> None:
    with pytest.raises(NullPointerException):
        AID(None, 0, 5)


@pytest.mark.parametrize(("offset", "length"), [(-1, 5), (0, 9), (4, 5)])
def test_an_AID_from_outside_the_array_is_ArrayIndexOutOfBounds(offset: int, length: int) -> None:
    with pytest.raises(ArrayIndexOutOfBoundsException):
        AID(ByteArray(AID_BYTES), offset, length)


def test_equals_an_AID_with_the_same_bytes_is_true() -> None:
    assert AID(AID_BYTES).equals(AID(bytes(AID_BYTES)))


@pytest.mark.parametrize("other", [None, AID(SAME_RID), AID_BYTES, ByteArray(AID_BYTES)])
def test_equals_anything_but_an_AID_with_the_same_bytes_is_false(other: object) -> None:
    assert AID(AID_BYTES).equals(other) is False


def test_equals_bytes_in_an_array_compares_that_slice() -> None:
    array = ByteArray(b"\x00" + AID_BYTES + b"\x00")
    aid = AID(AID_BYTES)
    assert aid.equals(array, 1, len(AID_BYTES)) is True
    assert aid.equals(array, 0, len(AID_BYTES)) is False
    assert aid.equals(array, 1, len(AID_BYTES) - 1) is False


def test_equals_bytes_accepts_a_python_bytes_constant() -> None:
    assert AID(AID_BYTES).equals(AID_BYTES, 0, len(AID_BYTES)) is True


def test_equals_a_null_array_is_false_not_a_NullPointerException() -> None:
    # The javadoc: "This method does not throw NullPointerException".
    assert AID(AID_BYTES).equals(None, 0, 8) is False


@pytest.mark.parametrize(("offset", "length"), [(-1, 8), (0, -1), (2, 8)])
def test_equals_bytes_outside_the_array_is_ArrayIndexOutOfBounds(offset: int, length: int) -> None:
    with pytest.raises(ArrayIndexOutOfBoundsException):
        AID(AID_BYTES).equals(ByteArray(AID_BYTES), offset, length)


def test_partialEquals_is_true_for_a_prefix_of_the_AID() -> None:
    aid = AID(AID_BYTES)
    assert aid.partialEquals(AID_BYTES, 0, 5) is True
    assert aid.partialEquals(AID_BYTES, 0, len(AID_BYTES)) is True
    assert aid.partialEquals(AID_BYTES, 0, 0) is True


def test_partialEquals_is_false_for_a_mismatch_or_a_longer_sequence() -> None:
    aid = AID(AID_BYTES)
    assert aid.partialEquals(OTHER_RID, 0, 5) is False
    assert aid.partialEquals(AID_BYTES + b"\x01", 0, len(AID_BYTES) + 1) is False


def test_partialEquals_a_null_array_is_false() -> None:
    assert AID(AID_BYTES).partialEquals(None, 0, 5) is False


def test_partialEquals_outside_the_array_is_ArrayIndexOutOfBounds() -> None:
    with pytest.raises(ArrayIndexOutOfBoundsException):
        AID(AID_BYTES).partialEquals(ByteArray(AID_BYTES[:5]), 2, 5)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        AID(AID_BYTES).partialEquals(ByteArray(AID_BYTES), -1, 5)


def test_RIDEquals_compares_the_first_five_bytes_only() -> None:
    aid = AID(AID_BYTES)
    assert aid.RIDEquals(AID(SAME_RID)) is True
    assert aid.RIDEquals(AID(OTHER_RID)) is False
    assert aid.RIDEquals(None) is False


def test_getBytes_copies_the_AID_at_the_offset_and_returns_its_length() -> None:
    dest = ByteArray(12)
    assert AID(AID_BYTES).getBytes(dest, 3) == len(AID_BYTES)
    assert bytes(dest) == b"\x00" * 3 + AID_BYTES + b"\x00"


def test_getBytes_into_a_too_small_array_is_ArrayIndexOutOfBounds_and_writes_nothing() -> None:
    dest = ByteArray(8)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        AID(AID_BYTES).getBytes(dest, 1)
    assert bytes(dest) == bytes(8)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        AID(AID_BYTES).getBytes(dest, -1)


def test_getBytes_into_null_is_a_NullPointerException() -> None:
    with pytest.raises(NullPointerException):
        AID(AID_BYTES).getBytes(None, 0)


def test_getPartialBytes_with_length_0_copies_the_rest_of_the_AID() -> None:
    dest = ByteArray(16)
    assert AID(AID_BYTES).getPartialBytes(5, dest, 1, 0) == 3
    assert bytes(dest[1:4]) == AID_BYTES[5:]
    assert dest[0] == 0 and dest[4] == 0


def test_getPartialBytes_copies_at_most_what_the_AID_has_left() -> None:
    dest = ByteArray(16)
    aid = AID(AID_BYTES)
    assert aid.getPartialBytes(0, dest, 0, 3) == 3
    assert bytes(dest[:4]) == AID_BYTES[:3] + b"\x00"
    assert aid.getPartialBytes(6, dest, 0, 10) == 2


@pytest.mark.parametrize("aid_offset", [-1, 9])
def test_getPartialBytes_from_outside_the_AID_is_ArrayIndexOutOfBounds(aid_offset: int) -> None:
    with pytest.raises(ArrayIndexOutOfBoundsException):
        AID(AID_BYTES).getPartialBytes(aid_offset, ByteArray(16), 0, 0)


def test_getPartialBytes_into_a_too_small_array_is_ArrayIndexOutOfBounds() -> None:
    with pytest.raises(ArrayIndexOutOfBoundsException):
        AID(AID_BYTES).getPartialBytes(0, ByteArray(4), 0, 5)
    with pytest.raises(NullPointerException):
        AID(AID_BYTES).getPartialBytes(0, None, 0, 5)


def test_AIDs_are_hashable_host_values_with_a_runnable_repr() -> None:
    aid = AID.from_hex("A0 00 00 00 62 03 01 08")
    assert aid == AID(AID_BYTES)
    assert {aid: 1}[AID(AID_BYTES)] == 1
    assert eval(repr(aid), {"AID": AID}) == aid
    assert str(aid) == "A000000062030108"
    assert AID.from_bytes(AID_BYTES) == aid
