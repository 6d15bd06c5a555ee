"""javacard.framework.Util."""

from __future__ import annotations

import pytest

from jcsim.framework import (
    ArrayIndexOutOfBoundsException,
    ByteArray,
    NullPointerException,
    Util,
)

COPIES = [Util.arrayCopy, Util.arrayCopyNonAtomic]
FILLS = [Util.arrayFill, Util.arrayFillNonAtomic]


@pytest.mark.parametrize("copy", COPIES, ids=lambda f: f.__name__)
def test_arrayCopy_copies_the_range_and_returns_the_end_offset(copy) -> None:
    src = ByteArray(b"\x01\x02\x03\x04")
    dest = ByteArray(6)
    assert copy(src, 1, dest, 2, 3) == 5
    assert bytes(dest) == b"\x00\x00\x02\x03\x04\x00"


@pytest.mark.parametrize("copy", COPIES, ids=lambda f: f.__name__)
def test_arrayCopy_accepts_a_python_bytes_source(copy) -> None:
    dest = ByteArray(3)
    assert copy(b"\xAA\xBB\xCC", 0, dest, 0, 3) == 3
    assert bytes(dest) == b"\xAA\xBB\xCC"


@pytest.mark.parametrize("copy", COPIES, ids=lambda f: f.__name__)
def test_arrayCopy_within_one_array_overlapping_forward_copies_as_through_a_temporary(
        copy) -> None:
    array = ByteArray(b"\x01\x02\x03\x04\x05\x06")
    copy(array, 0, array, 2, 4)
    assert bytes(array) == b"\x01\x02\x01\x02\x03\x04"


@pytest.mark.parametrize("copy", COPIES, ids=lambda f: f.__name__)
def test_arrayCopy_within_one_array_overlapping_backward_copies_as_through_a_temporary(
        copy) -> None:
    array = ByteArray(b"\x01\x02\x03\x04\x05\x06")
    copy(array, 2, array, 0, 4)
    assert bytes(array) == b"\x03\x04\x05\x06\x05\x06"


@pytest.mark.parametrize("copy", COPIES, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("src_off", "dest_off", "length"), [
    (-1, 0, 1), (0, -1, 1), (0, 0, -1), (2, 0, 3), (0, 2, 3),
])
def test_arrayCopy_out_of_bounds_is_ArrayIndexOutOfBounds_and_copies_nothing(
        copy, src_off: int, dest_off: int, length: int) -> None:
    src = ByteArray(b"\x01\x02\x03\x04")
    dest = ByteArray(4)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        copy(src, src_off, dest, dest_off, length)
    assert bytes(dest) == bytes(4)


@pytest.mark.parametrize("copy", COPIES, ids=lambda f: f.__name__)
def test_arrayCopy_with_a_null_array_is_a_NullPointerException(copy) -> None:
    with pytest.raises(NullPointerException):
        copy(None, 0, ByteArray(1), 0, 1)
    with pytest.raises(NullPointerException):
        copy(ByteArray(1), 0, None, 0, 1)


@pytest.mark.parametrize("copy", COPIES, ids=lambda f: f.__name__)
def test_arrayCopy_of_zero_bytes_at_the_end_is_allowed(copy) -> None:
    assert copy(ByteArray(2), 2, ByteArray(3), 3, 0) == 3


@pytest.mark.parametrize("fill", FILLS, ids=lambda f: f.__name__)
def test_arrayFill_fills_the_range_and_returns_the_end_offset(fill) -> None:
    array = ByteArray(5)
    assert fill(array, 1, 3, 0x5A) == 4
    assert bytes(array) == b"\x00\x5A\x5A\x5A\x00"


@pytest.mark.parametrize("fill", FILLS, ids=lambda f: f.__name__)
def test_arrayFill_with_a_negative_java_byte_stores_its_bits(fill) -> None:
    array = ByteArray(2)
    fill(array, 0, 2, -1)
    assert bytes(array) == b"\xFF\xFF"


@pytest.mark.parametrize("fill", FILLS, ids=lambda f: f.__name__)
def test_arrayFill_out_of_bounds_or_null_raises_and_fills_nothing(fill) -> None:
    array = ByteArray(3)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        fill(array, 1, 3, 1)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        fill(array, -1, 1, 1)
    with pytest.raises(NullPointerException):
        fill(None, 0, 1, 1)
    assert bytes(array) == bytes(3)


def test_arrayCompare_equal_ranges_is_0() -> None:
    assert Util.arrayCompare(b"\x00\x01\x02", 1, ByteArray(b"\x01\x02"), 0, 2) == 0
    assert Util.arrayCompare(b"\x01", 0, b"\x02", 0, 0) == 0


def test_arrayCompare_uses_the_first_differing_byte() -> None:
    assert Util.arrayCompare(b"\x01\x05", 0, b"\x01\x06", 0, 2) == -1
    assert Util.arrayCompare(b"\x02\x00", 0, b"\x01\x7F", 0, 2) == 1


def test_arrayCompare_compares_bytes_as_java_signed_values() -> None:
    # 0x80 is -128 and 0x7F is 127 in Java: 0x80 < 0x7F.
    assert Util.arrayCompare(b"\x80", 0, b"\x7F", 0, 1) == -1
    assert Util.arrayCompare(b"\x7F", 0, b"\x80", 0, 1) == 1
    assert Util.arrayCompare(b"\xFF", 0, b"\x00", 0, 1) == -1


def test_arrayCompare_out_of_bounds_or_null_raises() -> None:
    with pytest.raises(ArrayIndexOutOfBoundsException):
        Util.arrayCompare(b"\x01", 0, b"\x01\x02", 0, 2)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        Util.arrayCompare(b"\x01\x02", 0, b"\x01\x02", -1, 1)
    with pytest.raises(NullPointerException):
        Util.arrayCompare(None, 0, b"\x01", 0, 1)
    with pytest.raises(NullPointerException):
        Util.arrayCompare(b"\x01", 0, None, 0, 1)


@pytest.mark.parametrize(("b1", "b2", "expected"), [
    (0x12, 0x34, 0x1234), (0x80, 0x00, -32768), (0xFF, 0xFF, -1), (-1, -1, -1),
    (0x00, -1, 0x00FF), (0x7F, 0xFF, 32767),
])
def test_makeShort_is_a_signed_big_endian_short(b1: int, b2: int, expected: int) -> None:
    assert Util.makeShort(b1, b2) == expected


def test_getShort_reads_a_signed_big_endian_short() -> None:
    array = ByteArray(b"\x00\x12\x34\xFF\xFE")
    assert Util.getShort(array, 1) == 0x1234
    assert Util.getShort(array, 3) == -2
    assert Util.getShort(b"\x80\x00", 0) == -32768


def test_setShort_writes_big_endian_and_returns_the_next_offset() -> None:
    array = ByteArray(5)
    assert Util.setShort(array, 1, 0x1234) == 3
    assert Util.setShort(array, 3, -2) == 5
    assert bytes(array) == b"\x00\x12\x34\xFF\xFE"
    assert Util.getShort(array, 3) == -2


@pytest.mark.parametrize("offset", [-1, 4, 5])
def test_getShort_and_setShort_out_of_bounds_are_ArrayIndexOutOfBounds(offset: int) -> None:
    array = ByteArray(5)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        Util.getShort(array, offset)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        Util.setShort(array, offset, 0x0101)
    assert bytes(array) == bytes(5)


def test_getShort_and_setShort_on_null_are_NullPointerExceptions() -> None:
    with pytest.raises(NullPointerException):
        Util.getShort(None, 0)
    with pytest.raises(NullPointerException):
        Util.setShort(None, 0, 1)
