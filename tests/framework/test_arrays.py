"""Java arrays for applet code: ByteArray, ShortArray, BooleanArray, IntArray, ObjectArray."""

from __future__ import annotations

import pytest

from jcsim.framework import (
    ArrayIndexOutOfBoundsException,
    ArrayStoreException,
    BooleanArray,
    ByteArray,
    IntArray,
    JCSystem,
    NegativeArraySizeException,
    ObjectArray,
    ShortArray,
)

ARRAY_TYPES = [ByteArray, ShortArray, BooleanArray, IntArray, ObjectArray]
DEFAULTS = {ByteArray: 0, ShortArray: 0, BooleanArray: False, IntArray: 0, ObjectArray: None}
A_VALUE = {ByteArray: 7, ShortArray: 7, BooleanArray: True, IntArray: 7, ObjectArray: "x"}


@pytest.mark.parametrize("cls", ARRAY_TYPES, ids=lambda c: c.__name__)
def test_a_new_array_has_its_length_filled_with_the_type_default(cls: type) -> None:
    array = cls(4)
    assert len(array) == 4
    assert array.length == 4
    assert [array[i] for i in range(4)] == [DEFAULTS[cls]] * 4


@pytest.mark.parametrize("cls", ARRAY_TYPES, ids=lambda c: c.__name__)
def test_a_negative_length_is_a_NegativeArraySizeException(cls: type) -> None:
    with pytest.raises(NegativeArraySizeException):
        cls(-1)


@pytest.mark.parametrize("cls", ARRAY_TYPES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("index", [-1, -4, 4, 100])
def test_reading_outside_0_to_length_minus_1_is_ArrayIndexOutOfBounds(cls: type,
                                                                       index: int) -> None:
    with pytest.raises(ArrayIndexOutOfBoundsException):
        cls(4)[index]


@pytest.mark.parametrize("cls", ARRAY_TYPES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("index", [-1, 4])
def test_writing_outside_the_array_is_ArrayIndexOutOfBounds_and_changes_nothing(
        cls: type, index: int) -> None:
    array = cls(4)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        array[index] = A_VALUE[cls]
    assert [array[i] for i in range(4)] == [DEFAULTS[cls]] * 4


@pytest.mark.parametrize("cls", ARRAY_TYPES, ids=lambda c: c.__name__)
def test_an_array_cannot_grow_or_shrink(cls: type) -> None:
    array = cls(2)
    with pytest.raises(TypeError):
        array.append(A_VALUE[cls])
    with pytest.raises(TypeError):
        array.extend([A_VALUE[cls]])
    with pytest.raises(TypeError):
        array.pop()
    with pytest.raises(TypeError):
        del array[0]
    with pytest.raises(TypeError):
        array += cls(1)
    assert len(array) == 2


@pytest.mark.parametrize("cls", ARRAY_TYPES, ids=lambda c: c.__name__)
def test_a_non_integer_index_is_a_TypeError(cls: type) -> None:
    with pytest.raises(TypeError):
        cls(2)["0"]


@pytest.mark.parametrize("cls", ARRAY_TYPES, ids=lambda c: c.__name__)
def test_a_new_array_is_not_transient(cls: type) -> None:
    assert JCSystem.isTransient(cls(1)) == JCSystem.NOT_A_TRANSIENT_OBJECT


def test_a_byte_array_element_reads_0_to_255_and_accepts_java_signed_writes() -> None:
    array = ByteArray(3)
    array[0] = -1
    array[1] = -128
    array[2] = 255
    assert [array[0], array[1], array[2]] == [0xFF, 0x80, 0xFF]


@pytest.mark.parametrize("value", [256, -129, 1.0, "a", None])
def test_a_byte_array_rejects_values_that_are_no_java_byte(value: object) -> None:
    array = ByteArray(1)
    with pytest.raises(ArrayStoreException):
        array[0] = value
    assert array[0] == 0


def test_a_byte_array_from_values_wraps_negative_bytes_and_rejects_wide_ones() -> None:
    assert bytes(ByteArray([-1, 0, 127, -128])) == b"\xFF\x00\x7F\x80"
    assert bytes(ByteArray(b"\x01\x02")) == b"\x01\x02"
    with pytest.raises(ArrayStoreException):
        ByteArray([256])


def test_a_byte_array_slice_reads_bytes_and_writes_only_keeping_the_length() -> None:
    array = ByteArray(b"\x00\x01\x02\x03")
    assert array[1:3] == b"\x01\x02"
    assert type(array[1:3]) is bytes
    array[1:3] = b"\xAA\xBB"
    assert bytes(array) == b"\x00\xAA\xBB\x03"
    with pytest.raises(ValueError):
        array[1:3] = b"\x01"
    with pytest.raises(ValueError):
        array[0:4:2] = b"\x01\x02"
    assert bytes(array) == b"\x00\xAA\xBB\x03"


def test_a_short_array_stores_java_shorts_and_wraps_unsigned_writes() -> None:
    array = ShortArray(3)
    array[0] = 0xFFFF
    array[1] = 0x8000
    array[2] = -32768
    assert list(array) == [-1, -32768, -32768]
    for bad in (0x10000, -32769, True, 1.5, None):
        with pytest.raises(ArrayStoreException):
            array[0] = bad
    assert array[0] == -1


def test_an_int_array_stores_signed_32_bit_values_and_wraps_unsigned_writes() -> None:
    array = IntArray(2)
    array[0] = 0xFFFFFFFF
    array[1] = 0x7FFFFFFF
    assert list(array) == [-1, 2**31 - 1]
    with pytest.raises(ArrayStoreException):
        array[0] = 2**32
    with pytest.raises(ArrayStoreException):
        array[0] = -(2**31) - 1


def test_a_boolean_array_holds_only_true_and_false() -> None:
    array = BooleanArray(2)
    array[1] = True
    assert list(array) == [False, True]
    for bad in (1, 0, None, "yes"):
        with pytest.raises(ArrayStoreException):
            array[0] = bad


def test_an_object_array_holds_any_reference_or_null() -> None:
    marker = object()
    array = ObjectArray(2)
    array[0] = marker
    assert array[0] is marker
    assert array[1] is None


def test_list_arrays_built_from_values_coerce_them() -> None:
    assert list(ShortArray([0xFFFF, 1])) == [-1, 1]
    with pytest.raises(ArrayStoreException):
        BooleanArray([1])


@pytest.mark.parametrize("cls", [ShortArray, IntArray, BooleanArray, ObjectArray],
                         ids=lambda c: c.__name__)
def test_list_array_slices_read_as_lists_and_write_keeping_the_length(cls: type) -> None:
    array = cls(3)
    value = A_VALUE[cls]
    array[0:2] = [value, value]
    assert array[0:3] == [value, value, DEFAULTS[cls]]
    with pytest.raises(ValueError):
        array[0:2] = [value]
    assert len(array) == 3


def test_a_short_array_slice_write_checks_every_value() -> None:
    array = ShortArray(2)
    array[0:2] = [0xFFFF, 2]
    assert list(array) == [-1, 2]
    with pytest.raises(ArrayStoreException):
        array[0:2] = [1, 0x10000]
    assert list(array) == [-1, 2]
