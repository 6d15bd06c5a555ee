"""A Java applet on the Java Card 3.0.5 extension API (tests/java/applets/extensions), compiled by
`jcsim javac` with the real javac and run on jcsim: MessageDigest.OneShot and Signature.OneShot,
a BER-TLV parse, JCint arithmetic, ArrayLogic and Util. Every answer is checked against a value
computed here in Python on its own (hashlib, hmac, a BER encoder, 32-bit arithmetic). Skips
where there is no javac.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from tests.java.conftest import compile_card_java

APPLET = Path(__file__).parent / "applets" / "extensions"
AID = "F0 00 00 00 14 01"
HMAC_KEY = bytes(range(32))

examples = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def applet_class(tmp_path_factory: pytest.TempPathFactory) -> type:
    from jcsim.java import JavaClasspath

    out = compile_card_java(sorted(APPLET.rglob("*.java")),
                            tmp_path_factory.mktemp("extensions"))
    return JavaClasspath([out])["com.example.extensions.Extensions"]


@pytest.fixture
def card(applet_class: type) -> Simulator:
    sim = Simulator()
    sim.install(applet_class, AID)
    assert sim.select(AID).sw == 0x9000
    return sim


def command(ins: int, p1: int = 0, p2: int = 0, data: bytes = b"") -> bytes:
    return bytes([0x80, ins, p1, p2, len(data)]) + data if data else bytes([0x80, ins, p1, p2])


# -- MessageDigest.OneShot and Signature.OneShot ----------------------------------------------

@examples
@given(message=st.binary(max_size=255))
def test_the_one_shot_digest_is_sha_256(card: Simulator, message: bytes) -> None:
    answer = card.transmit(command(0x10, data=message))
    assert (answer.sw, answer.data) == (0x9000, hashlib.sha256(message).digest())


@examples
@given(message=st.binary(max_size=255))
def test_the_one_shot_signature_is_hmac_sha_256(card: Simulator, message: bytes) -> None:
    answer = card.transmit(command(0x11, data=message))
    expected = hmac.new(HMAC_KEY, message, hashlib.sha256).digest()
    assert (answer.sw, answer.data) == (0x9000, expected)


def test_the_one_shot_objects_are_closed_and_opened_again(card: Simulator) -> None:
    # Each command opens and closes the OneShot object: many in a row never run out of them.
    for index in range(20):
        message = bytes([index]) * index
        assert card.transmit(command(0x10, data=message)).data == hashlib.sha256(message).digest()
        assert card.transmit(command(0x11, data=message)).data == hmac.new(
            HMAC_KEY, message, hashlib.sha256).digest()


# -- BER-TLV ----------------------------------------------------------------------------------

def ber_length(length: int) -> bytes:
    return bytes([length]) if length < 0x80 else bytes([0x81, length])


def ber_tlv(tag: bytes, value: bytes) -> bytes:
    return tag + ber_length(len(value)) + value


# (encoding, class, number) of constructed tags; 7F49 has a number above 30 (two bytes).
CONSTRUCTED_TAGS = [(b"\x70", 1, 0x10), (b"\xA5", 2, 5), (b"\x30", 0, 0x10),
                    (b"\xE1", 3, 1), (b"\x7F\x49", 1, 0x49)]
children = st.lists(st.tuples(st.integers(0x80, 0x9E), st.binary(max_size=40)),
                    min_size=1, max_size=4)


@examples
@given(outer=st.sampled_from(CONSTRUCTED_TAGS), parts=children, pick=st.integers(0, 3))
def test_a_constructed_tlv_is_parsed_and_its_child_found(
        card: Simulator, outer: tuple, parts: list, pick: int) -> None:
    tag, tag_class, tag_number = outer
    value = b"".join(ber_tlv(bytes([child_tag]), child) for child_tag, child in parts)
    encoded = ber_tlv(tag, value)
    wanted = parts[pick % len(parts)][0]
    answer = card.transmit(command(0x20, p1=wanted, data=encoded))
    first_value = next(child for child_tag, child in parts if child_tag == wanted)
    expected = (tag_number.to_bytes(2, "big") + bytes([tag_class])
                + len(value).to_bytes(2, "big") * 2 + first_value)
    assert (answer.sw, answer.data) == (0x9000, expected)


def test_a_tlv_without_the_wanted_child_answers_record_not_found(card: Simulator) -> None:
    encoded = ber_tlv(b"\x70", ber_tlv(b"\x81", b"\x01\x02"))
    assert card.transmit(command(0x20, p1=0x82, data=encoded)).sw == 0x6A83


def test_a_truncated_tlv_is_refused_by_the_tlv_exception_the_applet_catches(
        card: Simulator) -> None:
    encoded = ber_tlv(b"\x70", ber_tlv(b"\x81", b"\x01\x02"))
    assert card.transmit(command(0x20, p1=0x81, data=encoded[:-1])).sw == 0x6984
    assert card.transmit(command(0x20, p1=0x81, data=encoded)).sw == 0x9000


# -- JCint --------------------------------------------------------------------------------------

def int32(value: int) -> bytes:
    return (value & 0xFFFFFFFF).to_bytes(4, "big")


@examples
@given(a=st.integers(-2**31, 2**31 - 1), b=st.integers(-2**31, 2**31 - 1),
       p1=st.integers(0, 255), p2=st.integers(0, 255))
def test_jcint_arithmetic_wraps_as_java_int(card: Simulator, a: int, b: int, p1: int,
                                            p2: int) -> None:
    answer = card.transmit(command(0x30, p1, p2, int32(a) + int32(b)))
    # Java masks an int shift distance to five bits; >>> shifts in zeros.
    unsigned_shift = (a & 0xFFFFFFFF) >> ((p1 if p1 < 128 else p1 - 256) & 31)
    expected = (int32(a + b) + int32(a * b) + int32(a - b) + int32(unsigned_shift)
                + bytes([p1, p2, p2, p1]))
    assert (answer.sw, answer.data) == (0x9000, expected)


# -- ArrayLogic and Util ----------------------------------------------------------------------

def sign(value: int) -> int:
    return (value > 0) - (value < 0)


@examples
@given(data=st.binary(min_size=2, max_size=200), wanted=st.integers(0, 255))
def test_array_logic_compares_finds_and_repacks(card: Simulator, data: bytes,
                                                 wanted: int) -> None:
    answer = card.transmit(command(0x40, p1=wanted, data=data))
    half = len(data) // 2
    left, right = data[:half], data[half:2 * half]
    # Both compare signed bytes (Java byte), first difference decides.
    signed = [(x ^ 0x80) - 0x80 for x in left], [(x ^ 0x80) - 0x80 for x in right]
    comparison = sign((signed[0] > signed[1]) - (signed[0] < signed[1]))
    searched = data + bytes(256 - len(data))
    index = searched.index(wanted) if wanted in searched else -1
    even = data[:len(data) & ~1]
    expected = (bytes([comparison & 0xFF, comparison & 0xFF])
                + (index & 0xFFFF).to_bytes(2, "big") + even)
    assert (answer.sw, answer.data) == (0x9000, expected)


def test_a_command_it_does_not_know_is_refused(card: Simulator) -> None:
    assert card.transmit(command(0x7F)).sw == 0x6D00
