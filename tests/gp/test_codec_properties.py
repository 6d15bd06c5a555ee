"""Properties of the host's wrap / unwrap codec, at every security level of both protocols and
every AES key size: what the card opens is what the host meant, what the card protects unwraps
to what it said, and any change to a protected response closes the session."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim.apdu import CommandAPDU
from jcsim.gp import (
    KeySet,
    ResponseCheckError,
    SCP02Session,
    SCP03Session,
    SessionState,
    parse_initialize_update,
)
from jcsim.gp.scp03 import CARD_CRYPTOGRAM, scp03_kdf
from jcsim.gp.session import R_ENCRYPTION, R_MAC, InitializeUpdateAnswer, proprietary_cla
from jcsim.gp._crypto import des3_mac
from jcsim.gp.scp02 import CONSTANT_ENC, session_key
from tests.gp.card_model import CardModel

HOST_CHALLENGE = bytes(range(8))
CARD_CHALLENGE = bytes(range(0xA0, 0xA8))


def scp03_answer(keys: KeySet, mode: int = 8) -> InitializeUpdateAnswer:
    # Built as a card would: its cryptogram from the session MAC key.
    context = host_challenge(mode) + card_challenge(mode)
    s_mac = scp03_kdf(keys.mac, 0x06, context, len(keys.mac) * 8)
    cryptogram = scp03_kdf(s_mac, CARD_CRYPTOGRAM, context, mode * 8)
    i = b"\x71" if mode == 16 else b"\x70"
    return parse_initialize_update(bytes(10) + b"\x30\x03" + i + card_challenge(mode)
                                   + cryptogram + b"\x00\x00\x01")


def host_challenge(mode: int) -> bytes:
    return HOST_CHALLENGE * (mode // 8)


def card_challenge(mode: int) -> bytes:
    return CARD_CHALLENGE * (mode // 8)


def scp02_answer(keys: KeySet) -> InitializeUpdateAnswer:
    counter, challenge = b"\x00\x2A", CARD_CHALLENGE[:6]
    s_enc = session_key(keys.enc, CONSTANT_ENC, counter)
    cryptogram = des3_mac(s_enc, HOST_CHALLENGE + counter + challenge)
    return parse_initialize_update(bytes(10) + b"\x20\x02" + counter + challenge + cryptogram)


CONFIGURATIONS = ([("SCP03", size, level) for size in (16, 24, 32)
                   for level in SCP03Session.levels]
                  + [("SCP03-S16", size, level) for size in (16, 32) for level in (0x01, 0x33)]
                  + [("SCP02", 16, level) for level in SCP02Session.levels])


def open_pair(protocol: str, size: int, level: int, channel: int = 0):
    keys = KeySet(bytes(range(size)), bytes(range(1, size + 1)), bytes(range(2, size + 2)))
    if protocol.startswith("SCP03"):
        mode = 16 if protocol.endswith("S16") else 8
        host = SCP03Session(keys, host_challenge(mode), scp03_answer(keys, mode), level, channel)
    else:
        host = SCP02Session(keys, HOST_CHALLENGE, scp02_answer(keys), level, channel)
    card = CardModel(host, host.external_authenticate())
    host.receive_external_authenticate(b"\x90\x00")
    return host, card


commands = st.builds(
    CommandAPDU, cla=st.just(0x80), ins=st.integers(0, 255).filter(lambda i: i & 0xF0 not in (
        0x60, 0x90)), p1=st.integers(0, 255), p2=st.integers(0, 255),
    data=st.binary(max_size=200), ne=st.one_of(st.none(), st.integers(1, 256)))
exchanges = st.lists(st.tuples(commands, st.binary(max_size=200),
                               st.sampled_from([0x9000, 0x6310, 0x6A88, 0x6982])),
                     min_size=1, max_size=6)


@pytest.mark.parametrize(("protocol", "size", "level"), CONFIGURATIONS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sequence=exchanges, channel=st.integers(0, 19))
def test_what_the_host_wraps_the_card_opens_and_back(protocol, size, level, sequence, channel):
    host, card = open_pair(protocol, size, level, channel)
    for command, data, sw in sequence:
        command = CommandAPDU(proprietary_cla(channel), command.ins, command.p1, command.p2,
                              command.data, command.ne)
        opened = card.open_command(host.wrap(bytes(command)))
        assert (opened.cla, opened.ins, opened.p1, opened.p2, opened.data) == (
            command.cla, command.ins, command.p1, command.p2, command.data)
        sent = data if sw >> 8 in (0x90, 0x63) or not (level & R_MAC) or protocol == "SCP02" \
            else b""
        assert host.unwrap(card.protect_response(sent, sw)) == sent + sw.to_bytes(2, "big")
    assert host.state is SessionState.OPEN


@pytest.mark.parametrize(("protocol", "size", "level"),
                         [c for c in CONFIGURATIONS if c[2] & R_MAC])
@settings(max_examples=40, deadline=None)
@given(command=commands, data=st.binary(max_size=64), position=st.integers(0, 200),
       flip=st.integers(1, 255))
def test_any_change_to_a_protected_response_is_caught(protocol, size, level, command, data,
                                                      position, flip):
    host, card = open_pair(protocol, size, level)
    card.open_command(host.wrap(bytes(command)))
    response = bytearray(card.protect_response(data, 0x9000))
    response[position % len(response)] ^= flip
    with pytest.raises(ResponseCheckError):
        host.unwrap(bytes(response))
    assert host.state is SessionState.CLOSED


@pytest.mark.parametrize(("protocol", "size", "level"),
                         [c for c in CONFIGURATIONS if c[2] & R_MAC])
@settings(max_examples=30, deadline=None)
@given(command=commands, noise=st.binary(max_size=80))
def test_random_bytes_as_a_response_never_crash_the_host(protocol, size, level, command, noise):
    host, card = open_pair(protocol, size, level)
    card.open_command(host.wrap(bytes(command)))
    try:
        host.unwrap(noise)
    except ResponseCheckError:
        assert host.state is SessionState.CLOSED


@pytest.mark.parametrize(("protocol", "level"), [("SCP03", 0x33), ("SCP02", 0x13)])
def test_a_replayed_response_does_not_verify(protocol, level):
    host, card = open_pair(protocol, 16, level)
    card.open_command(host.wrap(b"\x80\xCA\x00\x66\x00"))
    first = card.protect_response(b"\x01\x02\x03", 0x9000)
    assert host.unwrap(first) == b"\x01\x02\x03\x90\x00"
    card.open_command(host.wrap(b"\x80\xCA\x00\x66\x00"))
    with pytest.raises(ResponseCheckError):
        host.unwrap(first)


def test_r_encryption_hides_the_response_data():
    host, card = open_pair("SCP03", 16, 0x33)
    card.open_command(host.wrap(b"\x80\xCA\x00\x66\x00"))
    protected = card.protect_response(b"secret data", 0x9000)
    assert b"secret" not in protected and len(protected) == 16 + 8 + 2
    assert host.unwrap(protected) == b"secret data\x90\x00"
    assert host.security_level & R_ENCRYPTION
