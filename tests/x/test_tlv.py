"""javacardx.framework.tlv: parsing and editing BER TLVs, as objects and in arrays, against a
Python model of BER (ISO/IEC 8825-1 definite lengths), with the specification's reason codes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.framework import ArrayIndexOutOfBoundsException, ByteArray, JCSystem
from jcsim.x.framework.tlv import (
    BERTLV,
    BERTag,
    ConstructedBERTag,
    ConstructedBERTLV,
    PrimitiveBERTag,
    PrimitiveBERTLV,
    TLVException,
)
from tests.helpers import install_probe

# An EMV-style FCI: 6F { 84 (DF name), A5 { 88 (SFI), 5F2D (language) } }.
FCI = bytes.fromhex("6F1A840E315041592E5359532E4444463031A5088801025F2D02656E")


# --- the model ---------------------------------------------------------------------------------

def model_tag(tag_class: int, constructed: bool, number: int, long_form: bool) -> bytes:
    first = (tag_class << 6) | (0x20 if constructed else 0)
    if number < 31 and not long_form:
        return bytes([first | number])
    groups = []
    while True:
        groups.insert(0, number & 0x7F)
        number >>= 7
        if not number:
            break
    return bytes([first | 0x1F] + [g | 0x80 for g in groups[:-1]] + [groups[-1]])


def model_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82, n >> 8, n & 0xFF])


@st.composite
def tags(draw, constructed: bool) -> bytes:
    number = draw(st.integers(0, 0x3FFF))
    return model_tag(draw(st.integers(0, 3)), constructed, number,
                     draw(st.booleans()) and number > 0)


def tlvs(depth: int = 2) -> st.SearchStrategy[bytes]:
    primitive = st.builds(lambda t, v: t + model_length(len(v)) + v, tags(False),
                          st.binary(max_size=300))
    if depth == 0:
        return primitive
    constructed = st.builds(lambda t, kids: t + model_length(len(b"".join(kids))) + b"".join(kids),
                            tags(True), st.lists(tlvs(depth - 1), max_size=4))
    return st.one_of(primitive, constructed)


# --- properties --------------------------------------------------------------------------------

@given(tlvs())
def test_parsing_then_writing_a_tlv_gives_back_its_encoding(encoding):
    data = ByteArray(b"\xAA" + encoding)
    assert BERTLV.verifyFormat(data, 1, len(encoding))
    tlv = BERTLV.getInstance(data, 1, len(encoding))
    assert tlv.size() == len(encoding)
    out = ByteArray(len(encoding) + 1)
    assert tlv.toBytes(out, 1) == len(encoding)
    assert bytes(out[1:]) == encoding
    assert isinstance(tlv, ConstructedBERTLV if encoding[0] & 0x20 else PrimitiveBERTLV)


@given(st.binary(max_size=64))
def test_hostile_bytes_are_either_a_tlv_or_a_tlv_exception(data):
    array = ByteArray(data)
    if not data:
        with pytest.raises(ArrayIndexOutOfBoundsException):
            BERTLV.verifyFormat(array, 0, 1)
        return
    valid = BERTLV.verifyFormat(array, 0, len(data))
    try:
        tlv = BERTLV.getInstance(array, 0, len(data))
    except TLVException:
        assert not valid
    else:
        assert valid
        assert tlv.size() <= len(data)


@given(st.integers(0, 3), st.booleans(), st.integers(0, 0x7FFF))
def test_a_tag_written_by_number_reads_back_the_same(tag_class, constructed, number):
    out = ByteArray(8)
    n = BERTag.toBytes(tag_class, constructed, number, out, 1)
    assert bytes(out[1:1 + n]) == model_tag(tag_class, constructed, number, False)
    assert (BERTag.tagClass(out, 1), BERTag.isConstructed(out, 1), BERTag.tagNumber(out, 1),
            BERTag.size(out, 1)) == (tag_class, constructed, number, n)
    tag = BERTag.getInstance(out, 1)
    assert (tag.tagClass(), tag.isConstructed(), tag.tagNumber(), tag.size()) == \
        (tag_class, constructed, number, n)


# --- objects -----------------------------------------------------------------------------------

def test_an_fci_is_read_into_objects_and_searched():
    fci = BERTLV.getInstance(ByteArray(FCI), 0, len(FCI))
    proprietary = fci.find(BERTag.getInstance(ByteArray(b"\xA5"), 0))
    language = proprietary.find(BERTag.getInstance(ByteArray(b"\x5F\x2D"), 0))
    out = ByteArray(2)
    assert language.getValue(out, 0) == 2 and bytes(out) == b"en"
    assert fci.find(None).getTag().tagNumber() == 4  # 84: the first contained TLV
    assert fci.find(BERTag.getInstance(ByteArray(b"\x9F\x02"), 0)) is None


def test_emv_long_form_tags_stay_distinct_from_their_short_twins():
    # 82 and 9F02 both decode to context-specific number 2, yet are different tags.
    short, long_ = (BERTag.getInstance(ByteArray(b), 0) for b in (b"\x82", b"\x9F\x02"))
    assert (short.tagNumber(), long_.tagNumber()) == (2, 2)
    assert not short.equals(long_)
    assert long_.equals(BERTag.getInstance(ByteArray(b"\x9F\x02"), 0))
    assert not long_.equals(None)


def test_building_a_constructed_tlv_and_editing_it():
    name_tag, group_tag = PrimitiveBERTag(), ConstructedBERTag()
    name_tag.init(BERTag.BER_TAG_CLASS_MASK_APPLICATION, 0x13)
    group_tag.init(BERTag.BER_TAG_CLASS_MASK_CONTEXT_SPECIFIC, 5)
    name = PrimitiveBERTLV(4)
    assert name.init(name_tag, ByteArray(b"abc"), 0, 3) == 5
    group = ConstructedBERTLV(3)
    assert group.init(group_tag, name) == 7
    assert group.append(name) == 12
    out = ByteArray(12)
    group.toBytes(out, 0)
    assert bytes(out) == bytes.fromhex("A50A") + b"\x53\x03abc" * 2
    name.appendValue(ByteArray(b"d"), 0, 1)  # referenced, not copied: both occurrences grow
    assert group.getLength() == 12
    assert group.findNext(None, name, 1) is name
    assert group.findNext(None, name, 2) is None
    assert group.delete(name, 2) == 8
    with pytest.raises(TLVException) as info:
        group.delete(name, 2)
    assert info.value.getReason() == TLVException.INVALID_PARAM


def reason(call: Any, *args: Any) -> int:
    with pytest.raises(TLVException) as info:
        call(*args)
    return info.value.getReason()


def test_misuse_answers_the_specification_reason_codes():
    assert reason(PrimitiveBERTag().tagNumber) == TLVException.EMPTY_TAG
    assert reason(PrimitiveBERTLV(2).size) == TLVException.EMPTY_TLV
    tag = PrimitiveBERTag()
    tag.init(0, 1)
    small = PrimitiveBERTLV(2)
    small.init(tag, ByteArray(2), 0, 2)
    assert reason(small.appendValue, ByteArray(1), 0, 1) == TLVException.INSUFFICIENT_STORAGE
    assert reason(PrimitiveBERTLV, -1) == TLVException.INVALID_PARAM
    assert reason(tag.init, 4, 1) == TLVException.INVALID_PARAM
    assert reason(tag.init, ByteArray(b"\x20"), 0) == TLVException.MALFORMED_TAG  # constructed
    assert reason(BERTag.getInstance, ByteArray(b"\x1F\x80\x01"), 0) == TLVException.MALFORMED_TAG
    assert reason(BERTag.getInstance, ByteArray(b"\x1F\x83\xFF\x7F"), 0) == \
        TLVException.TAG_NUMBER_GREATER_THAN_32767
    indefinite = ByteArray(b"\x30\x80\x00\x00")
    assert reason(BERTLV.getInstance, indefinite, 0, 4) == TLVException.MALFORMED_TLV
    huge = ByteArray(b"\x04\x82\x80\x00")
    assert reason(BERTLV.getLength, huge, 0) == TLVException.TLV_LENGTH_GREATER_THAN_32767
    assert reason(PrimitiveBERTLV(4).init, ByteArray(FCI), 0, len(FCI)) == \
        TLVException.MALFORMED_TLV  # constructed data into a primitive object
    group_tag = ConstructedBERTag()
    group_tag.init(2, 1)
    outer, inner = ConstructedBERTLV(2), ConstructedBERTLV(2)
    inner.init(group_tag, small)
    outer.init(group_tag, inner)
    assert reason(inner.append, outer) == TLVException.INVALID_PARAM  # a cycle
    assert reason(outer.append, outer) == TLVException.INVALID_PARAM


# --- static editing in arrays ------------------------------------------------------------------

def test_static_methods_read_and_edit_tlvs_in_place():
    data = ByteArray(FCI + bytes(300))
    assert ConstructedBERTLV.find(data, 0, ByteArray(b"\x84"), 0) == 2
    assert ConstructedBERTLV.findNext(data, 0, 2, ByteArray(b"\xA5"), 0) == 18
    assert ConstructedBERTLV.findNext(data, 0, 18, None, 0) == -1
    assert reason(ConstructedBERTLV.findNext, data, 0, 3, None, 0) == TLVException.INVALID_PARAM
    assert PrimitiveBERTLV.getValueOffset(data, 2) == 4
    tag = ByteArray(4)
    assert BERTLV.getTag(data, 23, tag, 0) == 2 and bytes(tag[:2]) == b"\x5F\x2D"
    # Growing a primitive TLV past 127 value bytes moves it to the two-byte length form.
    prim = ByteArray(b"\x04\x7F" + bytes(127) + bytes(10))
    assert PrimitiveBERTLV.appendValue(prim, 0, ByteArray(b"\x01"), 0, 1) == 131
    assert bytes(prim[:3]) == b"\x04\x81\x80" and prim[130] == 1
    built = ByteArray(8)
    assert PrimitiveBERTLV.toBytes(ByteArray(b"\x9F\x02"), 0, ByteArray(b"\x12\x34"), 0, 2,
                                   built, 0) == 5
    assert bytes(built[:5]) == bytes.fromhex("9F02021234")
    group = ByteArray(b"\x30\x00" + bytes(8))
    assert ConstructedBERTLV.append(built, 0, group, 0) == 7
    assert bytes(group[:7]) == bytes.fromhex("30059F02021234")


def test_a_tlv_on_the_card_is_rolled_back_by_an_aborted_transaction():
    sim = Simulator("T=1")
    seen: dict[str, Any] = {}

    def script(apdu):
        tlv = BERTLV.getInstance(ByteArray(b"\x04\x02ab"), 0, 4)
        JCSystem.beginTransaction()
        tlv.replaceValue(ByteArray(b"xyz"), 0, 2)
        JCSystem.abortTransaction()
        out = ByteArray(2)
        tlv.getValue(out, 0)
        seen["value"] = bytes(out)

    install_probe(sim, script)
    assert sim.transmit("80 00 00 00").sw == 0x9000
    assert seen == {"value": b"ab"}


def _nested(levels: int, minimal: bool = False) -> bytes:
    """``levels`` constructed TLVs (tag 30) each holding the next, around a primitive 04 00;
    three-byte length fields unless ``minimal``."""
    encoding = b"\x04\x00"
    for _ in range(levels):
        length = (model_length(len(encoding)) if minimal
                  else b"\x82" + len(encoding).to_bytes(2, "big"))
        encoding = b"\x30" + length + encoding
    return encoding


def test_deeply_nested_hostile_input_is_checked_without_recursion():
    deep = _nested(6000)  # 24 KB of headers: far beyond any Python recursion limit
    data = ByteArray(deep)
    assert BERTLV.verifyFormat(data, 0, len(deep))
    assert ConstructedBERTLV.find(data, 0, None, 0) == 4
    assert reason(BERTLV.getInstance, data, 0, len(deep)) == TLVException.ILLEGAL_SIZE
    broken = ByteArray(deep[:-1] + b"\x01")  # the innermost length now runs past the end
    assert not BERTLV.verifyFormat(broken, 0, len(deep))


def test_nesting_up_to_the_limit_builds_objects():
    from jcsim.x.framework.tlv._codec import MAX_NESTING

    encoding = _nested(MAX_NESTING, minimal=True)
    tlv = BERTLV.getInstance(ByteArray(encoding), 0, len(encoding))
    assert tlv.size() == len(encoding)
    out = ByteArray(len(encoding))
    tlv.toBytes(out, 0)
    assert bytes(out) == encoding
    too_deep = _nested(MAX_NESTING + 1)
    assert reason(BERTLV.getInstance, ByteArray(too_deep), 0, len(too_deep)) == \
        TLVException.ILLEGAL_SIZE
