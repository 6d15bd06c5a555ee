"""Class byte decoding (ISO 7816-4 §5.4.1 as JCRE §4.3 reads it)."""

from __future__ import annotations

import pytest

from jcsim.framework.cla import channel_cla, decode_cla


@pytest.mark.parametrize("cla", [0x20, 0x2F, 0x3F, 0xFF])
def test_RFU_classes_and_FF_are_invalid(cla: int) -> None:
    assert decode_cla(cla) is None


@pytest.mark.parametrize(("cla", "channel"), [
    (0x00, 0), (0x03, 3), (0x40, 4), (0x4F, 19), (0x80, 0), (0x83, 3), (0xC0, 4), (0xCF, 19),
    (0xB2, 2), (0xFE, 18),
])
def test_the_channel_comes_from_b2b1_or_b4_to_b1_plus_4(cla: int, channel: int) -> None:
    assert decode_cla(cla).channel == channel


@pytest.mark.parametrize(("cla", "sm"), [
    (0x00, False), (0x04, True), (0x08, True), (0x0C, True), (0x40, False), (0x60, True),
    (0x84, True), (0xE0, True),
])
def test_secure_messaging_is_b4b3_for_channels_0_to_3_and_b6_beyond(cla: int, sm: bool) -> None:
    assert decode_cla(cla).secure_messaging is sm


@pytest.mark.parametrize(("cla", "chaining"), [
    (0x00, False), (0x10, True), (0x50, True), (0x90, True), (0xD0, True), (0x80, False),
])
def test_command_chaining_is_b5_for_interindustry_and_proprietary_classes(
        cla: int, chaining: bool) -> None:
    assert decode_cla(cla).chaining is chaining


def test_b8_tells_interindustry_from_proprietary() -> None:
    assert decode_cla(0x00).interindustry is True
    assert decode_cla(0x7F).interindustry is True
    assert decode_cla(0x80).interindustry is False
    assert decode_cla(0xFE).interindustry is False


@pytest.mark.parametrize(("cla", "channel", "expected"), [
    (0x00, 0, 0x00), (0x00, 3, 0x03), (0x00, 4, 0x40), (0x00, 19, 0x4F), (0x80, 5, 0xC1),
    (0x0C, 5, 0x61), (0x10, 1, 0x11), (0x43, 2, 0x02), (0xC3, 0, 0x80),
])
def test_channel_cla_re_encodes_the_channel_keeping_kind_sm_and_chaining(
        cla: int, channel: int, expected: int) -> None:
    encoded = channel_cla(cla, channel)
    assert encoded == expected
    assert decode_cla(encoded).channel == channel


@pytest.mark.parametrize(("cla", "channel"), [(0x00, 20), (0x00, -1), (0x20, 0), (0xF0, 19)])
def test_channel_cla_refuses_what_cannot_be_encoded(cla: int, channel: int) -> None:
    with pytest.raises(ValueError):
        channel_cla(cla, channel)
