"""Java's fixed-width casts (jcsim.framework.casts)."""

from __future__ import annotations

import pytest

from jcsim.framework import ByteArray, byte, int32, short, ubyte, ushort
from jcsim.framework.casts import signed_byte_at


@pytest.mark.parametrize(("value", "expected"), [
    (0, 0), (0x7F, 127), (0x80, -128), (0xFF, -1), (0x100, 0), (-129, 127), (-1, -1),
])
def test_byte_wraps_like_a_java_byte_cast(value: int, expected: int) -> None:
    assert byte(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (0x7FFF, 32767), (0x8000, -32768), (0xFFFF, -1), (0x10000, 0), (-32769, 32767),
    (32767 + 1, -32768),
])
def test_short_wraps_like_a_java_short_cast(value: int, expected: int) -> None:
    assert short(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (0x7FFFFFFF, 2**31 - 1), (0x80000000, -(2**31)), (0xFFFFFFFF, -1), (2**32, 0),
])
def test_int32_wraps_like_a_java_int_cast(value: int, expected: int) -> None:
    assert int32(value) == expected


def test_ubyte_and_ushort_give_the_unsigned_reading() -> None:
    assert ubyte(-1) == 0xFF
    assert ubyte(-128) == 0x80
    assert ushort(-1) == 0xFFFF
    assert ushort(-32768) == 0x8000
    assert ushort(0x12345) == 0x2345


def test_signed_byte_at_reads_an_array_element_as_java_does() -> None:
    array = ByteArray([0x7F, 0x80, 0xFF])
    assert [signed_byte_at(array, i) for i in range(3)] == [127, -128, -1]


def test_casts_round_trip_through_the_unsigned_reading() -> None:
    for value in range(-128, 128):
        assert byte(ubyte(value)) == value
    for value in (-32768, -1, 0, 1, 32767):
        assert short(ushort(value)) == value
