"""javacardx.framework.math: BCDUtil, BigNumber and ParityBit against Python models, their
ArithmeticException cases, and BigNumber as a journaled on-card object."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.framework import (
    ArithmeticException,
    ArrayIndexOutOfBoundsException,
    ByteArray,
    JCSystem,
    NullPointerException,
)
from jcsim.x.framework.math import BCDUtil, BigNumber, ParityBit
from tests.helpers import install_probe

HEX, BCD = BigNumber.FORMAT_HEX, BigNumber.FORMAT_BCD


def bcd(value: int, length: int | None = None) -> bytes:
    """The packed BCD model: decimal digits, two per byte, right-justified."""
    digits = str(value)
    length = length or (len(digits) + 1) // 2
    return bytes.fromhex(digits.rjust(2 * length, "0"))


def hex_bytes(value: int, length: int | None = None) -> bytes:
    return value.to_bytes(length or max(1, (value.bit_length() + 7) // 8), "big")


@given(st.integers(0, 2**232 - 1), st.integers(0, 3))  # at most 32 bytes with padding
def test_convert_to_bcd_and_back_is_the_decimal_model(value, pad):
    hex_in = ByteArray(bytes(pad) + hex_bytes(value))
    out = ByteArray(80)
    n = BCDUtil.convertToBCD(hex_in, 0, len(hex_in), out, 1)
    assert bytes(out[1:1 + n]) == bcd(value)
    assert BCDUtil.isBCDFormat(out, 1, n)
    back = ByteArray(40)
    m = BCDUtil.convertToHex(out, 1, n, back, 0)
    assert bytes(back[:m]) == hex_bytes(value)


def test_bcd_conversions_refuse_what_the_specification_lists():
    out = ByteArray(80)
    with pytest.raises(ArithmeticException):
        BCDUtil.convertToHex(ByteArray(b"\x1a"), 0, 1, out, 0)  # not BCD
    with pytest.raises(ArithmeticException):
        BCDUtil.convertToBCD(ByteArray(4), 0, 0, out, 0)  # zero length
    too_long = BCDUtil.getMaxBytesSupported() + 1
    with pytest.raises(ArithmeticException):
        BCDUtil.convertToBCD(ByteArray(too_long), 0, too_long, out, 0)
    with pytest.raises(ArithmeticException):
        BCDUtil.isBCDFormat(ByteArray(2), 0, 0)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        BCDUtil.convertToBCD(ByteArray(b"\x01\x00"), 0, 2, ByteArray(1), 1)
    with pytest.raises(NullPointerException):
        BCDUtil.isBCDFormat(None, 0, 1)
    assert not BCDUtil.isBCDFormat(ByteArray(b"\x12\x3f"), 0, 2)
    assert BCDUtil.getMaxBytesSupported() >= 8


@given(st.binary(min_size=1, max_size=16), st.booleans())
def test_parity_bit_sets_the_parity_of_each_byte(data, even):
    array = ByteArray(data)
    ParityBit.set(array, 0, len(data), even)
    for before, after in zip(data, bytes(array)):
        assert after & 0xFE == before & 0xFE
        assert bin(after).count("1") % 2 == (0 if even else 1)


def test_parity_bit_of_a_known_des_key():
    # 01 02 ... with odd parity: the DES convention (FIPS 46-3, each byte odd).
    key = ByteArray(bytes.fromhex("0002040608 0A0C0E".replace(" ", "")))
    ParityBit.set(key, 0, 8, False)
    assert bytes(key) == bytes.fromhex("0102040708 0B0D0E".replace(" ", ""))


OPS = st.lists(st.tuples(st.sampled_from(["init", "add", "subtract", "multiply"]),
                         st.integers(0, 2**40), st.sampled_from([HEX, BCD])), max_size=12)


@given(OPS)
def test_big_number_follows_the_python_integer_model(ops):
    number, model = BigNumber(5), 0
    limit = 2**40 - 1
    number.setMaximum(ByteArray(hex_bytes(limit)), 0, 5, HEX)
    for op, operand, fmt in ops:
        data = ByteArray(bcd(operand) if fmt == BCD else hex_bytes(operand))
        expected = {"init": operand, "add": model + operand, "subtract": model - operand,
                    "multiply": model * operand}[op]
        if 0 <= expected <= limit:
            getattr(number, op)(data, 0, len(data), fmt)
            model = expected
        else:
            with pytest.raises(ArithmeticException):
                getattr(number, op)(data, 0, len(data), fmt)
        assert number.compareTo(ByteArray(hex_bytes(model)), 0, len(hex_bytes(model)), HEX) == 0
    for fmt, encode in ((HEX, hex_bytes), (BCD, bcd)):
        length = number.getByteLength(fmt)
        assert length == len(encode(model))
        out = ByteArray(length + 2)
        number.toBytes(out, 0, length + 2, fmt)
        assert bytes(out) == encode(model, length + 2)


def test_big_number_refuses_what_the_specification_lists():
    with pytest.raises(ArithmeticException):
        BigNumber(0)
    with pytest.raises(ArithmeticException):
        BigNumber(BigNumber.getMaxBytesSupported() + 1)
    number = BigNumber(2)
    number.init(ByteArray(b"\x01\x00"), 0, 2, HEX)
    with pytest.raises(ArithmeticException):
        number.setMaximum(ByteArray(b"\x10"), 0, 1, HEX)  # below the value
    with pytest.raises(ArithmeticException):
        number.add(ByteArray(b"\x00"), 0, 1, 3)  # unknown format
    with pytest.raises(ArithmeticException):
        number.toBytes(ByteArray(4), 0, 1, HEX)  # 0x0100 needs two bytes
    with pytest.raises(ArithmeticException):
        number.multiply(ByteArray(b"\x01\x00"), 0, 2, HEX)  # 0x10000 needs three
    other = BigNumber(3)
    other.init(ByteArray(b"\x02\x55"), 0, 2, BCD)  # 255 < 0x0100
    assert (number.compareTo(other), other.compareTo(number)) == (1, -1)
    number.reset()
    assert number.getByteLength(HEX) == 1 and number.compareTo(ByteArray(b"\x00"), 0, 1, HEX) == 0


def test_a_big_number_on_the_card_is_rolled_back_by_an_aborted_transaction():
    sim = Simulator("T=1")
    seen: dict[str, Any] = {}

    def script(apdu):
        number = BigNumber(4)
        number.init(ByteArray(b"\x05"), 0, 1, HEX)
        JCSystem.beginTransaction()
        number.add(ByteArray(b"\x10"), 0, 1, HEX)
        JCSystem.abortTransaction()
        seen["after"] = number.compareTo(ByteArray(b"\x05"), 0, 1, HEX)

    install_probe(sim, script)
    assert sim.transmit("80 00 00 00").sw == 0x9000
    assert seen == {"after": 0}


def test_a_huge_bcd_operand_is_an_arithmetic_exception_not_a_crash():
    huge = ByteArray(b"\x99" * 3000)  # 6000 decimal digits
    with pytest.raises(ArithmeticException):
        BCDUtil.convertToHex(huge, 0, 3000, ByteArray(64), 0)
    with pytest.raises(ArithmeticException):
        BigNumber(4).add(huge, 0, 3000, BCD)
    padded = ByteArray(bytes(2999) + b"\x42")  # leading zeros do not count
    out = ByteArray(4)
    assert BCDUtil.convertToHex(padded, 0, 3000, out, 0) == 1 and out[0] == 42
