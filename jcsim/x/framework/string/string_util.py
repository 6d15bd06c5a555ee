"""UTF-8 strings in byte arrays.

Mirrors ``javacardx.framework.string.StringUtil`` and ``StringException`` (Java Card 3.0.4 /
3.0.5). A string is (array, offset, length); indexes are byte indexes relative to the offset. A
range outside its array is ``ArrayIndexOutOfBoundsException``, an index outside the string
``IndexOutOfBoundsException``, a null array ``NullPointerException``. Ill-formed bytes count as
one code point each (``_utf8``). Case conversion and case-insensitive comparison cover Basic
Latin (U+0000-U+007F), as the specification's default.

Encodings for ``convertTo`` / ``convertFrom``: UTF-8, UTF-16 (big-endian, written with a byte
order mark; read honouring one, big-endian without), UTF-16LE, UTF-16BE, UCS-2 (big-endian,
Basic Multilingual Plane only) and ISO 8859-1. A character the target cannot represent, or
input that is not valid in its encoding, is ``INVALID_BYTE_SEQUENCE``. GSM 7-bit and anything
else is ``UNSUPPORTED_ENCODING`` (the specification makes every encoding but UTF-8 optional).

``parseLongInteger`` writes the 64-bit two's complement value as shorts, most significant
first, without the leading 0x0000 shorts (at least one); ``valueOf(short[] l, ...)`` reads all
of ``l`` (at most 4 shorts, else ILLEGAL_NUMBER_FORMAT) as one two's complement number.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.exceptions import CardRuntimeException
from jcsim.framework.util import _check, _write
from jcsim.lang import IndexOutOfBoundsException
from jcsim.x.framework.string._utf8 import tokens, well_formed

__all__ = ["StringException", "StringUtil"]


class StringException(CardRuntimeException):
    """Mirrors ``javacardx.framework.string.StringException``."""

    UNSUPPORTED_ENCODING = 1
    ILLEGAL_NUMBER_FORMAT = 2
    INVALID_BYTE_SEQUENCE = 3


def _string(array: Any, offset: int, length: int, name: str = "aString") -> bytes:
    _check(array, offset, length, name)
    return bytes(array[offset:offset + length])


def _out(array: Any, offset: int, data: bytes, name: str = "dstString") -> int:
    _check(array, offset, len(data), name)
    _write(array, offset, data, True)
    return len(data)


def _lower(data: bytes) -> bytes:
    return bytes(b + 32 if 0x41 <= b <= 0x5A else b for b in data)


def _upper(data: bytes) -> bytes:
    return bytes(b - 32 if 0x61 <= b <= 0x7A else b for b in data)


def _parse_integer(text: bytes, bits: int) -> int:
    """The signed integer of ``bits`` bits the grammar of parseShortInteger describes."""
    negative = text.startswith(b"-")
    body = text[1:] if negative else text
    radix = 10
    for prefix in (b"0x", b"0X", b"#"):
        if body.startswith(prefix):
            body, radix = body[len(prefix):], 16
            break
    digits = b"0123456789abcdefABCDEF" if radix == 16 else b"0123456789"
    if not body or any(c not in digits for c in body):
        raise StringException(StringException.ILLEGAL_NUMBER_FORMAT)
    significant = body.lstrip(b"0") or b"0"
    if len(significant) > 24:  # more digits than any 64-bit value has
        raise StringException(StringException.ILLEGAL_NUMBER_FORMAT)
    value = int(significant.decode("ascii"), radix)
    value = -value if negative else value
    if not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
        raise StringException(StringException.ILLEGAL_NUMBER_FORMAT)
    return value


_CODECS = {2: "utf-16", 3: "utf-16-le", 4: "utf-16-be", 5: "utf-16-be", 7: "latin-1"}


def _codec(encoding: int) -> str | None:
    if encoding == StringUtil.UTF_8:
        return None
    if encoding not in _CODECS:
        raise StringException(StringException.UNSUPPORTED_ENCODING)
    return _CODECS[encoding]


class StringUtil:
    """Mirrors ``javacardx.framework.string.StringUtil``."""

    UTF_8 = 0x01
    UTF_16 = 0x02
    UTF_16_LE = 0x03
    UTF_16_BE = 0x04
    UCS_2 = 0x05
    GSM_7 = 0x06
    ISO_8859_1 = 0x07
    PROP_ENCODING_EXT = 0x40

    # --- code points -------------------------------------------------------------------------

    @staticmethod
    def codePointCount(aString: Any, offset: int, length: int) -> int:
        """The number of code points in the string."""
        return len(tokens(_string(aString, offset, length)))

    @staticmethod
    def codePointAt(aString: Any, offset: int, length: int, index: int, dstBuffer: Any,
                    dstOffset: int) -> int:
        """Copy the code point starting at byte ``index``; returns its byte length."""
        data = _string(aString, offset, length)
        if not 0 <= index < len(data):
            raise IndexOutOfBoundsException(index)
        start, end, _ok = tokens(data[index:])[0]
        return _out(dstBuffer, dstOffset, data[index + start:index + end], "dstBuffer")

    @staticmethod
    def codePointBefore(aString: Any, offset: int, length: int, index: int, dstBuffer: Any,
                        dstOffset: int) -> int:
        """Copy the code point that ends at byte ``index``; returns its byte length."""
        data = _string(aString, offset, length)
        if not 1 <= index <= len(data):
            raise IndexOutOfBoundsException(index)
        start = next(s for s, e, _ok in tokens(data) if s < index <= e)
        return _out(dstBuffer, dstOffset, data[start:index], "dstBuffer")

    @staticmethod
    def offsetByCodePoints(aString: Any, offset: int, length: int, index: int,
                           codePointOffset: int) -> int:
        """The byte index ``codePointOffset`` code points away from byte ``index``."""
        data = _string(aString, offset, length)
        if not 0 <= index <= len(data):
            raise IndexOutOfBoundsException(index)
        if codePointOffset >= 0:
            ahead = tokens(data[index:])
            if len(ahead) < codePointOffset:
                raise IndexOutOfBoundsException(codePointOffset)
            return index if codePointOffset == 0 else index + ahead[codePointOffset - 1][1]
        before = [s for s, _e, _ok in tokens(data) if s < index]
        if len(before) < -codePointOffset:
            raise IndexOutOfBoundsException(codePointOffset)
        return before[codePointOffset]

    @staticmethod
    def check(aString: Any, offset: int, length: int) -> bool:
        """True if the bytes are well-formed UTF-8."""
        return well_formed(_string(aString, offset, length))

    # --- plain byte sequences ----------------------------------------------------------------

    @staticmethod
    def compare(ignoreCase: bool, aString: Any, offset: int, length: int, anotherString: Any,
                ooffset: int, olength: int) -> int:
        """Lexicographic order: the difference of the first differing bytes, else of the
        lengths; Basic Latin case folded when ``ignoreCase``."""
        a = _string(aString, offset, length)
        b = _string(anotherString, ooffset, olength, "anotherString")
        if ignoreCase:
            a, b = _lower(_upper(a)), _lower(_upper(b))
        for x, y in zip(a, b, strict=False):
            if x != y:
                return x - y
        return len(a) - len(b)

    @staticmethod
    def indexOf(aString: Any, offset: int, length: int, subString: Any, soffset: int,
                slength: int) -> int:
        """The byte index of the first occurrence of the substring, or -1."""
        return _string(aString, offset, length).find(
            _string(subString, soffset, slength, "subString"))

    @staticmethod
    def startsWith(aString: Any, offset: int, length: int, prefix: Any, poffset: int,
                   plength: int, codePointCount: int) -> bool:
        """True if the string starts with the prefix (its first ``codePointCount`` code points
        when that is not negative)."""
        data = _string(aString, offset, length)
        wanted = _string(prefix, poffset, plength, "prefix")
        if codePointCount >= 0:
            wanted = wanted[:StringUtil.offsetByCodePoints(prefix, poffset, plength, 0,
                                                           codePointCount)]
        return data.startswith(wanted)

    @staticmethod
    def endsWith(aString: Any, offset: int, length: int, suffix: Any, soffset: int,
                 slength: int, codePointCount: int) -> bool:
        """True if the string ends with the suffix (its first ``codePointCount`` code points
        when that is not negative, as the javadoc's equivalent code says)."""
        data = _string(aString, offset, length)
        wanted = _string(suffix, soffset, slength, "suffix")
        if codePointCount >= 0:
            wanted = wanted[:StringUtil.offsetByCodePoints(suffix, soffset, slength, 0,
                                                           codePointCount)]
        return data.endswith(wanted)

    @staticmethod
    def substring(srcString: Any, srcOffset: int, srcLength: int, codePointBeginIndex: int,
                  codePointEndIndex: int, dstString: Any, dstOffset: int) -> int:
        """Copy code points ``[begin, end)`` (to the end when ``end`` is negative)."""
        data = _string(srcString, srcOffset, srcLength, "srcString")
        start = StringUtil.offsetByCodePoints(srcString, srcOffset, srcLength, 0,
                                              codePointBeginIndex)
        end = len(data) if codePointEndIndex < 0 else StringUtil.offsetByCodePoints(
            srcString, srcOffset, srcLength, 0, codePointEndIndex)
        if end < start:
            raise IndexOutOfBoundsException(codePointEndIndex)
        return _out(dstString, dstOffset, data[start:end])

    @staticmethod
    def replace(srcString: Any, srcOffset: int, srcLength: int, oldSubstring: Any,
                oOffset: int, oLength: int, newSubstring: Any, nOffset: int, nLength: int,
                dstString: Any, dstOffset: int) -> int:
        """Copy the string with every occurrence of the old substring replaced, left to
        right; returns the bytes written."""
        data = _string(srcString, srcOffset, srcLength, "srcString")
        old = _string(oldSubstring, oOffset, oLength, "oldSubstring")
        new = _string(newSubstring, nOffset, nLength, "newSubstring")
        return _out(dstString, dstOffset, data.replace(old, new) if old else data)

    # --- characters --------------------------------------------------------------------------

    @staticmethod
    def _convert_case(src: bytes, convert: Any) -> bytes:
        return b"".join(convert(src[s:e]) for s, e, ok in tokens(src) if ok)

    @staticmethod
    def toLowerCase(srcString: Any, srcOffset: int, srcLength: int, dstString: Any,
                    dstOffset: int) -> int:
        """Copy with Basic Latin letters in lower case, dropping ill-formed bytes."""
        src = _string(srcString, srcOffset, srcLength, "srcString")
        return _out(dstString, dstOffset, StringUtil._convert_case(src, _lower))

    @staticmethod
    def toUpperCase(srcString: Any, srcOffset: int, srcLength: int, dstString: Any,
                    dstOffset: int) -> int:
        """Copy with Basic Latin letters in upper case, dropping ill-formed bytes."""
        src = _string(srcString, srcOffset, srcLength, "srcString")
        return _out(dstString, dstOffset, StringUtil._convert_case(src, _upper))

    @staticmethod
    def trim(srcString: Any, srcOffset: int, srcLength: int, dstString: Any,
             dstOffset: int) -> int:
        """Copy without the leading and trailing code points at or below U+0020."""
        src = _string(srcString, srcOffset, srcLength, "srcString")
        kept = [(s, e) for s, e, _ok in tokens(src) if e - s > 1 or src[s] > 0x20]
        if not kept:
            return 0
        return _out(dstString, dstOffset, src[kept[0][0]:kept[-1][1]])

    # --- values ------------------------------------------------------------------------------

    @staticmethod
    def valueOf(value: Any, dstString: Any, dstOffset: int) -> int:
        """``valueOf(boolean, ...)``: "true" / "false"; ``valueOf(short, ...)``: its signed
        decimal form; ``valueOf(short[] l, ...)``: the signed decimal form of the long made of
        ``l``'s shorts, most significant first."""
        if isinstance(value, bool):
            text = b"true" if value else b"false"
        elif isinstance(value, int):
            text = str(((value & 0xFFFF) ^ 0x8000) - 0x8000).encode("ascii")
        else:
            if value is None:
                from jcsim.lang import NullPointerException

                raise NullPointerException("l is null")
            if len(value) > 4:  # up to 64 bits, as the specification describes the argument
                raise StringException(StringException.ILLEGAL_NUMBER_FORMAT)
            number = 0
            for part in value:
                number = (number << 16) | (part & 0xFFFF)
            bits = 16 * len(value)
            if bits and number >> (bits - 1):
                number -= 1 << bits
            text = str(number).encode("ascii")
        return _out(dstString, dstOffset, text)

    @staticmethod
    def parseBoolean(aString: Any, offset: int, length: int) -> bool:
        """True if the string is "true", ignoring case."""
        return _lower(_string(aString, offset, length)) == b"true"

    @staticmethod
    def parseShortInteger(aString: Any, offset: int, length: int) -> int:
        """The short the decimal or hexadecimal (0x, 0X, #) string designates."""
        return _parse_integer(_string(aString, offset, length), 16)

    @staticmethod
    def parseLongInteger(aString: Any, offset: int, length: int, integer: Any,
                         ioffset: int) -> int:
        """Parse a 64-bit integer into ``integer[ioffset:]`` (see module doc); returns the
        number of shorts written."""
        value = _parse_integer(_string(aString, offset, length), 64) & ((1 << 64) - 1)
        shorts = [(value >> shift) & 0xFFFF for shift in (48, 32, 16, 0)]
        while len(shorts) > 1 and shorts[0] == 0:
            shorts.pop(0)
        _check(integer, ioffset, len(shorts), "integer")
        for i, part in enumerate(shorts):
            integer[ioffset + i] = part
        return len(shorts)

    # --- encodings ---------------------------------------------------------------------------

    @staticmethod
    def convertTo(srcString: Any, srcOffset: int, srcLength: int, dstString: Any,
                  dstOffset: int, encoding: int) -> int:
        """Write the UTF-8 string in ``encoding``; returns the bytes written."""
        src = _string(srcString, srcOffset, srcLength, "srcString")
        codec = _codec(encoding)
        if not well_formed(src):
            raise StringException(StringException.INVALID_BYTE_SEQUENCE)
        text = src.decode("utf-8")
        if codec is None:
            return _out(dstString, dstOffset, src)
        if encoding == StringUtil.UCS_2 and any(ord(c) > 0xFFFF for c in text):
            raise StringException(StringException.INVALID_BYTE_SEQUENCE)
        try:
            out = text.encode(codec)
        except UnicodeEncodeError as exc:
            raise StringException(StringException.INVALID_BYTE_SEQUENCE) from exc
        if encoding == StringUtil.UTF_16 and out[:2] == b"\xff\xfe":
            out = b"\xfe\xff" + text.encode("utf-16-be")  # Java's UTF-16 writes big-endian
        return _out(dstString, dstOffset, out)

    @staticmethod
    def convertFrom(srcString: Any, srcOffset: int, srcLength: int, dstString: Any,
                    dstOffset: int, encoding: int) -> int:
        """Write the ``encoding`` string as UTF-8; returns the bytes written."""
        src = _string(srcString, srcOffset, srcLength, "srcString")
        codec = _codec(encoding)
        if codec is None:
            if not well_formed(src):
                raise StringException(StringException.INVALID_BYTE_SEQUENCE)
            return _out(dstString, dstOffset, src)
        if encoding == StringUtil.UTF_16 and not src.startswith((b"\xfe\xff", b"\xff\xfe")):
            codec = "utf-16-be"  # no byte order mark: big-endian
        try:
            text = src.decode(codec)
        except UnicodeDecodeError as exc:
            raise StringException(StringException.INVALID_BYTE_SEQUENCE) from exc
        if encoding == StringUtil.UCS_2 and any(0xD800 <= ord(c) <= 0xDFFF or ord(c) > 0xFFFF
                                                for c in text):
            raise StringException(StringException.INVALID_BYTE_SEQUENCE)
        return _out(dstString, dstOffset, text.encode("utf-8"))
