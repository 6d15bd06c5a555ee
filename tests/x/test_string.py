"""javacardx.framework.string.StringUtil against Python's own UTF-8 and integer handling, with
the specification's exceptions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcsim.framework import ArrayIndexOutOfBoundsException, ByteArray, ShortArray
from jcsim.lang import IndexOutOfBoundsException
from jcsim.x.framework.string import StringException, StringUtil

TEXT = st.text(max_size=20)


def utf8(text: str) -> ByteArray:
    return ByteArray(text.encode("utf-8"))


def reason(call, *args) -> int:
    with pytest.raises(StringException) as info:
        call(*args)
    return info.value.getReason()


@given(TEXT, st.data())
def test_code_point_functions_agree_with_python_strings(text, data):
    s = utf8(text)
    n = len(s)
    assert StringUtil.codePointCount(s, 0, n) == len(text)
    assert StringUtil.check(s, 0, n)
    begin = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(begin, len(text)))
    out = ByteArray(4 * len(text) + 1)
    written = StringUtil.substring(s, 0, n, begin, end, out, 0)
    assert bytes(out[:written]) == text[begin:end].encode("utf-8")
    offset = StringUtil.offsetByCodePoints(s, 0, n, 0, begin)
    assert offset == len(text[:begin].encode("utf-8"))
    if begin < len(text):
        assert StringUtil.codePointAt(s, 0, n, offset, out, 0) == len(text[begin].encode())
        assert bytes(out[:len(text[begin].encode())]) == text[begin].encode()
    if begin:
        back = StringUtil.offsetByCodePoints(s, 0, n, offset, -1)
        assert back == len(text[:begin - 1].encode("utf-8"))
        size = StringUtil.codePointBefore(s, 0, n, offset, out, 0)
        assert bytes(out[:size]) == text[begin - 1].encode()


@given(TEXT, TEXT, st.booleans())
def test_compare_has_the_sign_of_the_utf8_byte_order(a, b, ignore_case):
    x, y = a.encode(), b.encode()
    if ignore_case:
        x, y = x.lower() if x.isascii() else x, y.lower() if y.isascii() else y
        if not (a.isascii() and b.isascii()):
            return  # only Basic Latin is folded
    result = StringUtil.compare(ignore_case, utf8(a), 0, len(a.encode()), utf8(b), 0,
                                len(b.encode()))
    assert (result > 0) - (result < 0) == (x > y) - (x < y)


@given(TEXT, st.sampled_from([StringUtil.UTF_16, StringUtil.UTF_16_LE, StringUtil.UTF_16_BE,
                              StringUtil.UTF_8]))
def test_conversion_round_trips_through_each_unicode_encoding(text, encoding):
    s = utf8(text)
    middle = ByteArray(4 * len(text) + 2)
    n = StringUtil.convertTo(s, 0, len(s), middle, 0, encoding)
    codec = {StringUtil.UTF_16: "utf-16-be", StringUtil.UTF_16_LE: "utf-16-le",
             StringUtil.UTF_16_BE: "utf-16-be", StringUtil.UTF_8: "utf-8"}[encoding]
    expected = text.encode(codec)
    if encoding == StringUtil.UTF_16:
        expected = b"\xfe\xff" + expected
    assert bytes(middle[:n]) == expected
    back = ByteArray(len(s))
    assert StringUtil.convertFrom(middle, 0, n, back, 0, encoding) == len(s)
    assert bytes(back) == bytes(s)


def test_encodings_refuse_what_they_cannot_carry():
    smile = utf8("\U0001F600")
    out = ByteArray(8)
    assert reason(StringUtil.convertTo, smile, 0, 4, out, 0, StringUtil.UCS_2) == \
        StringException.INVALID_BYTE_SEQUENCE
    assert reason(StringUtil.convertTo, utf8("€"), 0, 3, out, 0, StringUtil.ISO_8859_1) == \
        StringException.INVALID_BYTE_SEQUENCE
    assert reason(StringUtil.convertTo, ByteArray(b"\xC3"), 0, 1, out, 0, StringUtil.UTF_16) == \
        StringException.INVALID_BYTE_SEQUENCE
    assert reason(StringUtil.convertTo, utf8("a"), 0, 1, out, 0, StringUtil.GSM_7) == \
        StringException.UNSUPPORTED_ENCODING
    assert reason(StringUtil.convertFrom, ByteArray(b"\xD8\x00"), 0, 2, out, 0,
                  StringUtil.UTF_16_BE) == StringException.INVALID_BYTE_SEQUENCE
    assert StringUtil.convertFrom(ByteArray(b"caf\xe9"), 0, 4, out, 0, StringUtil.ISO_8859_1) == 5
    assert bytes(out[:5]) == "café".encode()


def test_ill_formed_bytes_count_as_one_code_point_each():
    data = ByteArray(b"a\xE2\x82\xFFb\x80")  # an incomplete 3-byte sequence, FF, a lone 80
    assert StringUtil.codePointCount(data, 0, 6) == 5
    assert not StringUtil.check(data, 0, 6)
    out = ByteArray(6)
    assert StringUtil.codePointAt(data, 0, 6, 1, out, 0) == 2 and bytes(out[:2]) == b"\xE2\x82"
    assert StringUtil.toUpperCase(data, 0, 6, out, 0) == 2 and bytes(out[:2]) == b"AB"


def test_numbers_parse_and_print_as_the_grammar_says():
    out = ByteArray(32)
    for text, value in (("123", 123), ("-32768", -32768), ("0x7FFF", 32767), ("#10", 16),
                        ("-0X1f", -31), ("007", 7)):
        assert StringUtil.parseShortInteger(utf8(text), 0, len(text)) == value
    for bad in ("32768", "", "-", "1 2", "0x", "12a", "+1"):
        assert reason(StringUtil.parseShortInteger, utf8(bad), 0, len(bad)) == \
            StringException.ILLEGAL_NUMBER_FORMAT
    n = StringUtil.valueOf(-1234, out, 0)
    assert bytes(out[:n]) == b"-1234"
    n = StringUtil.valueOf(True, out, 0)
    assert bytes(out[:n]) == b"true"
    assert StringUtil.parseBoolean(utf8("TrUe"), 0, 4) and not StringUtil.parseBoolean(
        utf8("yes"), 0, 3)


@given(st.integers(-2**63, 2**63 - 1))
def test_long_integers_round_trip_through_short_arrays(value):
    text = str(value).encode()
    shorts = ShortArray(4)
    count = StringUtil.parseLongInteger(ByteArray(text), 0, len(text), shorts, 0)
    assert 1 <= count <= 4
    full = ShortArray(4)
    full[4 - count:] = list(shorts[:count])
    if value < 0:
        assert count == 4
    out = ByteArray(24)
    n = StringUtil.valueOf(full, out, 0)
    assert bytes(out[:n]) == text


@given(st.text(alphabet=st.sampled_from(" \t\nab€"), max_size=12))
def test_trim_drops_leading_and_trailing_control_and_space(text):
    s = utf8(text)
    out = ByteArray(len(s) + 1)
    n = StringUtil.trim(s, 0, len(s), out, 0)
    assert bytes(out[:n]) == text.strip(" \t\n").encode()


def test_search_replace_and_affixes_work_on_bytes():
    s = utf8("one two one")
    out = ByteArray(32)
    assert StringUtil.indexOf(s, 0, 11, utf8("two"), 0, 3) == 4
    assert StringUtil.indexOf(s, 0, 11, utf8("six"), 0, 3) == -1
    n = StringUtil.replace(s, 0, 11, utf8("one"), 0, 3, utf8("1"), 0, 1, out, 0)
    assert bytes(out[:n]) == b"1 two 1"
    assert StringUtil.startsWith(s, 0, 11, utf8("onex"), 0, 4, 3)
    assert not StringUtil.startsWith(s, 0, 11, utf8("onex"), 0, 4, -1)
    assert StringUtil.endsWith(s, 0, 11, utf8("one"), 0, 3, -1)


def test_indexes_and_ranges_are_checked():
    s = utf8("abc")
    out = ByteArray(4)
    with pytest.raises(IndexOutOfBoundsException):
        StringUtil.codePointAt(s, 0, 3, 3, out, 0)
    with pytest.raises(IndexOutOfBoundsException):
        StringUtil.codePointBefore(s, 0, 3, 0, out, 0)
    with pytest.raises(IndexOutOfBoundsException):
        StringUtil.offsetByCodePoints(s, 0, 3, 0, 4)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        StringUtil.codePointCount(s, 1, 3)


def test_hostile_numbers_are_illegal_number_format_not_a_crash():
    many = b"9" * 5000
    assert reason(StringUtil.parseLongInteger, ByteArray(many), 0, 5000, ShortArray(4), 0) == \
        StringException.ILLEGAL_NUMBER_FORMAT
    zeros = b"0" * 5000 + b"12"
    assert StringUtil.parseShortInteger(ByteArray(zeros), 0, len(zeros)) == 12
    assert reason(StringUtil.valueOf, ShortArray(5), ByteArray(32), 0) == \
        StringException.ILLEGAL_NUMBER_FORMAT
