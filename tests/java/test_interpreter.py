"""The bytecode interpreter, family by family, on plain Java classes compiled by javac.

Hypothesis holds int, short and byte arithmetic against Python models of Java's semantics
(JLS §15.17, §5.1.3: 32-bit two's complement, truncating division, narrowing by dropping bits).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcsim.framework import ByteArray
from jcsim.java import JavaClasspath
from jcsim.lang import ArithmeticException, ArrayIndexOutOfBoundsException, NullPointerException

INTS = st.integers(-2**31, 2**31 - 1)
SHORTS = st.integers(-2**15, 2**15 - 1)
BYTES = st.integers(-128, 127)


def int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - 2**32 if value >= 2**31 else value


def int16(value: int) -> int:
    value &= 0xFFFF
    return value - 2**16 if value >= 2**15 else value


def int8(value: int) -> int:
    value &= 0xFF
    return value - 2**8 if value >= 2**7 else value


def java_div(a: int, b: int) -> int:
    # Truncation toward zero, modelled on exact rational arithmetic.
    quotient = a // b
    if quotient < 0 and quotient * b != a:
        quotient += 1
    return quotient


def java_rem(a: int, b: int) -> int:
    return a - java_div(a, b) * b


@pytest.fixture(scope="module")
def classes(program_classes: Path) -> JavaClasspath:
    return JavaClasspath([program_classes])


@pytest.fixture(scope="module")
def ops(classes: JavaClasspath) -> Any:
    return classes["jtest.Ops"]


@given(a=INTS, b=INTS)
def test_int_add_sub_mul_wrap_like_java(ops: Any, a: int, b: int) -> None:
    assert ops.add(a, b) == int32(a + b)
    assert ops.sub(a, b) == int32(a - b)
    assert ops.mul(a, b) == int32(a * b)


@given(a=INTS, b=INTS.filter(lambda b: b != 0))
def test_int_division_truncates_toward_zero(ops: Any, a: int, b: int) -> None:
    assert ops.div(a, b) == int32(java_div(a, b))
    assert ops.rem(a, b) == int32(java_rem(a, b))


@given(a=INTS, b=INTS)
def test_int_bitwise_and_shifts_mask_the_count(ops: Any, a: int, b: int) -> None:
    assert getattr(ops, "and")(a, b) == int32(a & b)
    assert getattr(ops, "or")(a, b) == int32(a | b)
    assert ops.xor(a, b) == int32(a ^ b)
    assert ops.shl(a, b) == int32(a << (b & 31))
    assert ops.shr(a, b) == a >> (b & 31)
    assert ops.ushr(a, b) == int32((a & 0xFFFFFFFF) >> (b & 31))
    assert ops.neg(a) == int32(-a)


@given(a=SHORTS, b=SHORTS)
def test_short_arithmetic_narrows_with_i2s(ops: Any, a: int, b: int) -> None:
    assert ops.sadd(a, b) == int16(a + b)
    assert ops.ssub(a, b) == int16(a - b)
    assert ops.smul(a, b) == int16(a * b)
    assert ops.sshr(a, b) == int16(a >> (b & 31))
    assert ops.sushr(a, b) == int16((a & 0xFFFFFFFF) >> (b & 31))
    if b:
        assert ops.sdiv(a, b) == int16(java_div(a, b))
        assert ops.srem(a, b) == int16(java_rem(a, b))


@given(a=BYTES, b=BYTES, wide=INTS)
def test_byte_arithmetic_and_narrowing_casts(ops: Any, a: int, b: int, wide: int) -> None:
    assert ops.badd(a, b) == int8(a + b)
    assert ops.toByte(wide) == int8(wide)
    assert ops.toShort(wide) == int16(wide)


def test_arithmetic_corner_cases(ops: Any) -> None:
    assert ops.add(2**31 - 1, 1) == -2**31
    assert ops.div(-2**31, -1) == -2**31
    assert ops.rem(-2**31, -1) == 0
    assert ops.sdiv(-32768, -1) == -32768  # 32768 narrowed back to a short
    assert ops.sadd(32767, 1) == -32768
    assert ops.rem(-7, 2) == -1 and ops.rem(7, -2) == 1
    assert ops.div(-7, 2) == -3
    assert ops.minInt() == -2**31 and ops.bigConstant() == 123456789


def test_division_by_zero_is_a_java_arithmetic_exception(ops: Any) -> None:
    with pytest.raises(ArithmeticException) as raised:
        ops.div(1, 0)
    assert any("jtest.Ops.div(Ops.java:" in note for note in raised.value.__notes__)
    with pytest.raises(ArithmeticException):
        ops.srem(1, 0)


def test_loops_iinc_and_comparisons(ops: Any) -> None:
    assert ops.inc(5, 10) == 25
    assert ops.less(1, 2) is True and ops.less(2, 1) is False
    assert [ops.compare(3, 3), ops.compare(4, 3), ops.compare(2, 3)] == [0, 1, -1]


@given(value=INTS)
def test_array_elements_store_truncated_and_load_signed(classes: JavaClasspath,
                                                       value: int) -> None:
    arrays = classes["jtest.Arrays"]
    assert arrays.storeLoadByte(value) == int8(value)
    assert arrays.storeLoadShort(value) == int16(value)
    assert arrays.storeLoadInt(value) == value


def test_byte_arrays_are_signed_for_java_and_unsigned_for_python(classes: JavaClasspath) -> None:
    arrays = classes["jtest.Arrays"]
    data = ByteArray([0xFF, 0x80, 0x01])
    assert arrays.sum(data) == -1 - 128 + 1
    assert arrays.unsignedSum(data) == 0xFF + 0x80 + 1
    made = arrays.make(5)
    assert isinstance(made, ByteArray) and len(made) == 5
    assert arrays.storeLoadBoolean(True) is True and arrays.storeLoadBoolean(False) is False
    assert arrays.read(2) == 30
    assert arrays.objects(0) == 3 and arrays.objects(1) == 105
    assert arrays.length(7) == 7


def test_array_faults_are_java_exceptions(classes: JavaClasspath) -> None:
    arrays = classes["jtest.Arrays"]
    with pytest.raises(ArrayIndexOutOfBoundsException):
        arrays.read(3)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        arrays.read(-1)
    with pytest.raises(NullPointerException):
        arrays.nullArrayLength()


def test_handlers_catch_what_bytecodes_raise(classes: JavaClasspath) -> None:
    flow = classes["jtest.Flow"]
    assert flow.divideOr(7, 0, 42) == 42 and flow.divideOr(7, 2, 42) == 3
    # AIOOBE, NPE, ClassCastException, NegativeArraySizeException, no exception.
    assert [flow.nested(mode) for mode in range(5)] == [1, 2, 3, 4, -1]


def test_finally_runs_on_every_exit_path(classes: JavaClasspath) -> None:
    flow = classes["jtest.Flow"]
    before = flow.finallyCount()
    assert [flow.withFinally(mode) for mode in (0, 1, 2)] == [10, 11, 20]
    assert flow.finallyCount() == before + 3
    assert flow.rethrow(1) == 5 and flow.rethrow(0) == 0
    assert flow.finallyCount() == before + 3 + 200


def test_an_uncaught_exception_names_class_method_and_line(classes: JavaClasspath) -> None:
    flow = classes["jtest.Flow"]
    with pytest.raises(ArrayIndexOutOfBoundsException) as raised:
        flow.uncaught(5)
    source = (Path(__file__).parent / "programs/jtest/Flow.java").read_text().splitlines()
    line = next(i for i, text in enumerate(source, 1) if "a[index] = 1;" in text)
    assert raised.value.__notes__ == [f"    at jtest.Flow.uncaught(Flow.java:{line})"]


@pytest.mark.parametrize(("key", "expected"), [(0, 100), (3, 103), (4, -1), (5, 105), (6, -1),
                                               (-1, -1), (2**31 - 1, -1)])
def test_tableswitch(classes: JavaClasspath, key: int, expected: int) -> None:
    assert classes["jtest.Flow"].table(key) == expected


@pytest.mark.parametrize(("key", "expected"), [(-1000, 1), (7, 2), (1000000, 3), (8, 0)])
def test_lookupswitch(classes: JavaClasspath, key: int, expected: int) -> None:
    assert classes["jtest.Flow"].lookup(key) == expected


def test_objects_dispatch_virtually_through_classes_and_interfaces(
        classes: JavaClasspath) -> None:
    shapes = classes["jtest.Shapes"]
    assert shapes.describe(0, 3) == 9 + 1000  # Square: area * scale 1 + kind
    assert shapes.describe(1, 3) == 9 * 6 + 2000  # Cube overrides kind, calls super.kind
    assert shapes.viaInterface(2) == 4
    assert shapes.secret() == 7  # a private method through invokespecial
    assert shapes.isSquare(0) is True and shapes.isSquare(1) is False
    assert shapes.castFails() == -5


def test_static_fields_and_class_initializer(tmp_path: Path, program_classes: Path) -> None:
    shapes = JavaClasspath([program_classes])["jtest.Shapes"]
    assert shapes.tableAt(3) == -1 and shapes.tableAt(0) == 1
    assert [shapes.count(1), shapes.count(1), shapes.count(2)] == [1, 2, 1]
    assert [shapes.takeId(), shapes.takeId()] == [300, 301]
    made = shapes.made()
    shapes.describe(0, 1)
    assert shapes.made() == made + 1


def test_fields_keep_apart_from_methods_and_hidden_fields(classes: JavaClasspath) -> None:
    names = classes["jtest.Names"]
    assert names.fieldAndMethod() == 100 * 1000 + 5 * 10 + 5 + 4 * 100000
    assert names.hiding() == 7 * 10 + 3


@given(start=st.integers(-1000, 1000))
def test_stack_shuffles_of_compound_assignments(classes: JavaClasspath, start: int) -> None:
    stack = classes["jtest.Stack"]
    assert stack.arrayCompound(start) == (start + 5) * 1000 + start + 6
    assert stack.fieldCompound(start) == start * 1000 + start + 2
    assert stack.chained(start) == start * 1000 + start + (start + 1) * 100000
