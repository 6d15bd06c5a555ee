"""The vpcd framing codec: chunking, round trips, and bytes that are not vpcd at all."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcsim.transport.vpcd_codec import (
    MAX_PAYLOAD,
    NEED_DATA,
    Command,
    FrameDecoder,
    GetATR,
    Malformed,
    PowerOff,
    PowerOn,
    Reset,
    VpcdDecoder,
    encode_event,
    encode_frame,
)

controls = st.sampled_from([PowerOff(), PowerOn(), Reset(), GetATR()])
commands = st.binary(min_size=2, max_size=600).map(Command)
malformed = st.one_of(
    st.just(Malformed(b"", "an empty frame")),
    st.sampled_from([b for b in range(256) if b not in (0, 1, 2, 4)]).map(
        lambda b: Malformed(bytes((b,)), f"unknown control byte {b:02X}")),
)
events = st.lists(st.one_of(controls, commands, malformed), max_size=20)


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, start = [], 0
    for point in points + [len(data)]:
        pieces.append(data[start:point])
        start = point
    return pieces


def test_the_control_bytes_are_the_four_vpcd_sends():
    decoder = VpcdDecoder()
    assert decoder.feed(bytes.fromhex("0001 00 0001 01 0001 02 0001 04")) == [
        PowerOff(), PowerOn(), Reset(), GetATR()]


def test_a_payload_of_two_bytes_or_more_is_a_command():
    assert VpcdDecoder().feed(bytes.fromhex("0005 00A4040000 0002 8001")) == [
        Command.from_hex("00A4040000"), Command.from_hex("8001")]


def test_an_empty_frame_and_an_unknown_control_byte_are_malformed_and_decoding_goes_on():
    assert VpcdDecoder().feed(bytes.fromhex("0000 0001 03 0001 04")) == [
        Malformed(b"", "an empty frame"), Malformed(b"\x03", "unknown control byte 03"),
        GetATR()]


def test_nothing_comes_out_until_the_whole_frame_is_there():
    decoder = VpcdDecoder()
    assert decoder.feed(b"\x00") == []
    assert decoder.feed(b"\x03\x80") == []
    assert decoder.buffered == 3
    assert decoder.next_event() is NEED_DATA
    assert decoder.feed(b"\x01\x02\x00") == [Command(b"\x80\x01\x02")]
    assert decoder.buffered == 1


def test_the_largest_frame_decodes():
    apdu = bytes(MAX_PAYLOAD)
    assert VpcdDecoder().feed(encode_frame(apdu)) == [Command(apdu)]


def test_encode_frame_refuses_more_than_65535_bytes():
    assert encode_frame(b"\x90\x00") == b"\x00\x02\x90\x00"
    with pytest.raises(ValueError, match="65535"):
        encode_frame(bytes(MAX_PAYLOAD + 1))


def test_a_command_value_holds_two_to_65535_bytes():
    with pytest.raises(ValueError):
        Command(b"\x01")
    assert repr(Command.from_hex("8001")) == "Command(apdu=b'\\x80\\x01')"


@given(events, st.lists(st.integers(min_value=0), max_size=30))
def test_any_chunking_of_a_frame_stream_yields_the_same_events(stream, cuts):
    data = b"".join(encode_event(e) for e in stream)
    decoder = VpcdDecoder()
    got = []
    for piece in split(data, cuts):
        got += decoder.feed(piece)
    assert got == stream
    assert decoder.buffered == 0


@given(events)
def test_bytes_fed_one_at_a_time_yield_the_same_events(stream):
    data = b"".join(encode_event(e) for e in stream)
    decoder = VpcdDecoder()
    got = []
    for i in range(len(data)):
        got += decoder.feed(data[i:i + 1])
    assert got == stream


@given(st.lists(st.binary(max_size=700), max_size=10))
def test_frames_round_trip(payloads):
    decoder = FrameDecoder()
    decoder.receive_data(b"".join(encode_frame(p) for p in payloads))
    got = []
    while (frame := decoder.next_frame()) is not NEED_DATA:
        got.append(frame)
    assert got == payloads


@given(st.one_of(controls, commands, malformed))
def test_an_event_round_trips_through_its_frame(event):
    assert VpcdDecoder().feed(encode_event(event)) == [event]


@given(st.binary(max_size=3000), st.lists(st.integers(min_value=0), max_size=10))
def test_random_bytes_never_raise_and_every_byte_is_accounted_for(data, cuts):
    decoder = VpcdDecoder()
    consumed = 0
    for piece in split(data, cuts):
        for event in decoder.feed(piece):
            payload = event.apdu if isinstance(event, Command) else (
                event.payload if isinstance(event, Malformed) else b"x")
            consumed += 2 + len(payload)
    assert consumed + decoder.buffered == len(data)
