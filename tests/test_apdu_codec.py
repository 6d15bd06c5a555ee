"""Command and response APDU values and the ISO 7816-4 length codec (jcsim.apdu)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import CommandAPDU, JCSimError, MalformedAPDUError, Response
from jcsim.apdu import Lengths, decode_lengths, parse_hex

HEADER = bytes.fromhex("80100102")


@pytest.mark.parametrize(("body", "expected"), [
    ("", Lengths(5, 0, 0, False, False)),
    ("20", Lengths(5, 0, 0x20, True, False)),
    ("00", Lengths(5, 0, 256, True, False)),
    ("03 AABBCC", Lengths(5, 3, 0, False, False)),
    ("03 AABBCC 00", Lengths(5, 3, 256, True, False)),
    ("03 AABBCC 10", Lengths(5, 3, 0x10, True, False)),
    ("00 0100", Lengths(7, 0, 256, True, True)),
    ("00 0000", Lengths(7, 0, 65536, True, True)),
    ("00 0003 AABBCC", Lengths(7, 3, 0, False, True)),
    ("00 0003 AABBCC 0000", Lengths(7, 3, 65536, True, True)),
    ("00 0003 AABBCC 01F4", Lengths(7, 3, 500, True, True)),
], ids=["1", "2S", "2S-Le00", "3S", "4S-Le00", "4S", "2E", "2E-Le0000", "3E", "4E-Le0000", "4E"])
def test_decode_lengths_reads_each_case(body: str, expected: Lengths) -> None:
    assert decode_lengths(HEADER + bytes.fromhex(body)) == expected


@pytest.mark.parametrize("raw", [
    "", "80", "801001", "80100102 05 0102", "80100102 02 010203 04", "80100102 00 01",
    "80100102 00 0000 01", "80100102 00 0003 0102", "80100102 00 0002 010203",
    "80100102 00 0001 01 02",
])
def test_inconsistent_encodings_are_MalformedAPDUError_with_6700(raw: str) -> None:
    with pytest.raises(MalformedAPDUError) as info:
        decode_lengths(bytes.fromhex(raw))
    assert info.value.sw == 0x6700


def test_MalformedAPDUError_is_a_JCSimError_and_a_ValueError() -> None:
    assert issubclass(MalformedAPDUError, JCSimError)
    assert issubclass(MalformedAPDUError, ValueError)


@pytest.mark.parametrize(("command", "encoded", "case"), [
    (CommandAPDU(0x80, 0x10, 1, 2), "80100102", "1"),
    (CommandAPDU(0x80, 0x10, 1, 2, ne=0x20), "80100102 20", "2S"),
    (CommandAPDU(0x80, 0x10, 1, 2, ne=256), "80100102 00", "2S"),
    (CommandAPDU(0x80, 0x10, 1, 2, b"\xAA"), "80100102 01 AA", "3S"),
    (CommandAPDU(0x80, 0x10, 1, 2, b"\xAA", ne=256), "80100102 01 AA 00", "4S"),
    (CommandAPDU(0x80, 0x10, 1, 2, ne=257), "80100102 00 0101", "2E"),
    (CommandAPDU(0x80, 0x10, 1, 2, ne=65536), "80100102 00 0000", "2E"),
    (CommandAPDU(0x80, 0x10, 1, 2, ne=5, extended=True), "80100102 00 0005", "2E"),
    (CommandAPDU(0x80, 0x10, 1, 2, b"\xAA", extended=True), "80100102 00 0001 AA", "3E"),
    (CommandAPDU(0x80, 0x10, 1, 2, b"\xAA", ne=65536, extended=True),
     "80100102 00 0001 AA 0000", "4E"),
])
def test_a_command_encodes_to_its_case(command: CommandAPDU, encoded: str, case: str) -> None:
    assert bytes(command) == bytes.fromhex(encoded)
    assert command.case == case
    assert CommandAPDU.from_bytes(bytes(command)) == command


def test_more_than_255_data_bytes_or_ne_above_256_imply_extended() -> None:
    assert CommandAPDU(0, 0, 0, 0, bytes(256)).extended is True
    assert CommandAPDU(0, 0, 0, 0, ne=257).extended is True
    assert CommandAPDU(0, 0, 0, 0, bytes(255), ne=256).extended is False


def test_a_case_1_command_has_no_extended_form() -> None:
    command = CommandAPDU(0x80, 0x10, 0, 0, extended=True)
    assert bytes(command) == bytes.fromhex("80100000")
    assert command.case == "1"
    assert CommandAPDU.from_bytes(bytes(command)) == command


@pytest.mark.parametrize("kwargs", [
    {"cla": 256}, {"ins": -1}, {"p1": 0x100}, {"p2": -5}, {"ne": 0}, {"ne": 65537},
    {"data": bytes(65536)},
])
def test_a_command_with_out_of_range_fields_is_a_ValueError(kwargs: dict) -> None:
    fields = {"cla": 0, "ins": 0, "p1": 0, "p2": 0} | kwargs
    with pytest.raises(ValueError):
        CommandAPDU(**fields)


def test_commands_parse_from_hex_with_spaces_and_colons() -> None:
    command = CommandAPDU.from_hex("80 10:01 02\t03 AABBCC 00")
    assert command == CommandAPDU(0x80, 0x10, 1, 2, bytes.fromhex("AABBCC"), ne=256)
    assert command.hex() == "80 10 01 02 03 AA BB CC 00"
    assert command.hex("") == "8010010203AABBCC00"
    assert command.nc == 3


def test_bad_hex_is_a_MalformedAPDUError() -> None:
    with pytest.raises(MalformedAPDUError):
        parse_hex("80 1G")
    with pytest.raises(MalformedAPDUError):
        CommandAPDU.from_hex("801")


def test_a_command_repr_is_python_that_rebuilds_it() -> None:
    command = CommandAPDU(0x80, 0x10, 1, 2, b"\x01\x02", ne=65536)
    assert eval(repr(command), {"CommandAPDU": CommandAPDU}) == command


def test_a_response_splits_data_and_status_word() -> None:
    response = Response.from_hex("0102 6A 82")
    assert response.data == b"\x01\x02"
    assert (response.sw, response.sw1, response.sw2) == (0x6A82, 0x6A, 0x82)
    assert bytes(response) == bytes.fromhex("01026A82")
    assert response.hex() == "01 02 6A 82"
    assert eval(repr(response), {"Response": Response}) == response


def test_a_response_shorter_than_two_bytes_is_malformed() -> None:
    with pytest.raises(MalformedAPDUError):
        Response.from_bytes(b"\x90")


@pytest.mark.parametrize("sw", [-1, 0x10000])
def test_a_response_status_word_must_fit_two_bytes(sw: int) -> None:
    with pytest.raises(ValueError):
        Response(b"", sw)


def test_commands_and_responses_are_frozen() -> None:
    command = CommandAPDU(0, 0, 0, 0)
    with pytest.raises(AttributeError):
        command.ins = 1  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Response(b"", 0x9000).sw = 0x6F00  # type: ignore[misc]


# --- properties -----------------------------------------------------------------------------

byte = st.integers(0, 255)
commands = st.builds(
    CommandAPDU,
    cla=byte, ins=byte, p1=byte, p2=byte,
    data=st.one_of(st.binary(max_size=300), st.binary(min_size=250, max_size=1200)),
    ne=st.one_of(st.none(), st.integers(1, 65536), st.sampled_from([1, 255, 256, 257, 65536])),
    extended=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(commands)
def test_encoding_then_decoding_a_command_gives_it_back(command: CommandAPDU) -> None:
    assert CommandAPDU.from_bytes(bytes(command)) == command


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.binary(max_size=12),
    st.tuples(st.binary(min_size=4, max_size=4), st.integers(0, 255), st.binary(max_size=300))
    .map(lambda t: t[0] + bytes((t[1],)) + t[2]),
    st.tuples(st.binary(min_size=4, max_size=4), st.integers(0, 400), st.binary(max_size=402))
    .map(lambda t: t[0] + b"\x00" + t[1].to_bytes(2, "big") + t[2]),
))
def test_any_bytes_decode_to_a_command_that_encodes_back_to_them_or_are_malformed(
        raw: bytes) -> None:
    try:
        command = CommandAPDU.from_bytes(raw)
    except MalformedAPDUError as exc:
        assert exc.sw == 0x6700
        return
    assert bytes(command) == raw


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.integers(0, 0xFFFF))
def test_a_response_round_trips_through_its_bytes(data: bytes, sw: int) -> None:
    response = Response(data, sw)
    assert Response.from_bytes(bytes(response)) == response
