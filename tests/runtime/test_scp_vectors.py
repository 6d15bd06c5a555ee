"""The card side of SCP03 and SCP02 against published session transcripts
(tests/vectors/gp_card_scp03.json, gp_card_scp02.json name their source)."""

from __future__ import annotations

import pytest

from jcsim.framework.exceptions import ISOException
from jcsim.runtime.gp.primitives import scp03_kdf
from jcsim.runtime.gp.scp02 import Scp02Session
from jcsim.runtime.gp.scp03 import Scp03Session, pseudo_random_challenge
from tests.vectors.loader import load, unhex

SCP03 = load("gp_card_scp03")["sessions"]
SCP02 = load("gp_card_scp02")["sessions"]


def open_scp03(case: dict) -> tuple[Scp03Session, bytes]:
    enc, mac, dek, command, answer = unhex(case, "enc", "mac", "dek", "initialize_update",
                                           "initialize_update_response")
    session = Scp03Session(enc, mac, dek, case["kvn"], answer[12])
    produced = session.initialize_update(command[5:13], answer[13:21], answer[29:32],
                                         answer[:10])
    return session, produced


@pytest.mark.parametrize("case", SCP03, ids=[c["name"] for c in SCP03])
def test_the_scp03_card_answers_initialize_update_as_the_published_card(case: dict) -> None:
    _session, produced = open_scp03(case)
    assert produced.hex() == case["initialize_update_response"]


@pytest.mark.parametrize("case", SCP03, ids=[c["name"] for c in SCP03])
def test_the_pseudo_random_card_challenge_follows_the_sequence_counter_and_aid(
        case: dict) -> None:
    enc, aid, answer = unhex(case, "enc", "aid", "initialize_update_response")
    assert pseudo_random_challenge(enc, answer[29:32], aid) == answer[13:21]
    assert pseudo_random_challenge(enc, answer[29:32], aid[:-1]) != answer[13:21]


@pytest.mark.parametrize("case", SCP03, ids=[c["name"] for c in SCP03])
def test_the_scp03_card_unwraps_and_wraps_the_published_session(case: dict) -> None:
    session, _ = open_scp03(case)
    session.external_authenticate(bytes.fromhex(case["external_authenticate"]))
    assert session.level == 0x80 | bytes.fromhex(case["external_authenticate"])[2]
    for index, (wrapped, plain) in enumerate(case["commands"]):
        assert session.unwrap(bytes.fromhex(wrapped)).hex() == plain.lower()
        if index == case["response"]["after_command"]:
            response = case["response"]
            produced = session.wrap(bytes.fromhex(response["plain"]), int(response["sw"], 16))
            assert produced.hex() == response["wrapped"]


@pytest.mark.parametrize("case", SCP03[:3], ids=[c["name"] for c in SCP03[:3]])
def test_a_flipped_bit_in_a_published_command_is_6982_and_closes_the_session(
        case: dict) -> None:
    session, _ = open_scp03(case)
    session.external_authenticate(bytes.fromhex(case["external_authenticate"]))
    wrapped = bytearray.fromhex(case["commands"][0][0])
    wrapped[-2] ^= 0x01
    with pytest.raises(ISOException) as caught:
        session.unwrap(bytes(wrapped))
    assert caught.value.getReason() == 0x6982
    assert session.level == 0
    with pytest.raises(ISOException):
        session.unwrap(bytes.fromhex(case["commands"][0][0]))


def test_a_wrong_host_cryptogram_is_6300() -> None:
    case = SCP03[0]
    session, _ = open_scp03(case)
    command = bytearray.fromhex(case["external_authenticate"])
    command[5] ^= 0x80
    with pytest.raises(ISOException) as caught:
        session.external_authenticate(bytes(command))
    assert caught.value.getReason() == 0x6300
    assert session.level == 0


def test_the_kdf_gives_keys_of_the_requested_length() -> None:
    key = bytes(range(32))
    assert len(scp03_kdf(key, 4, bytes(16), 256)) == 32
    # The first block does not depend on L's second block: both lengths are in the input.
    assert scp03_kdf(key, 4, bytes(16), 256)[:16] != scp03_kdf(key, 4, bytes(16), 128)


@pytest.mark.parametrize("case", SCP02, ids=[c["name"] for c in SCP02])
def test_the_scp02_card_follows_the_published_session(case: dict) -> None:
    enc, mac, dek, command, answer = unhex(case, "enc", "mac", "dek", "initialize_update",
                                           "initialize_update_response")
    session = Scp02Session(enc, mac, dek, case["kvn"])
    produced = session.initialize_update(command[5:13], answer[14:20], answer[12:14],
                                         answer[:10])
    assert produced == answer
    session.external_authenticate(bytes.fromhex(case["external_authenticate"]))
    for wrapped, plain in case["commands"]:
        assert session.unwrap(bytes.fromhex(wrapped)).hex() == plain.lower()


def test_a_replayed_scp02_command_is_refused() -> None:
    case = SCP02[0]
    enc, mac, dek, command, answer = unhex(case, "enc", "mac", "dek", "initialize_update",
                                           "initialize_update_response")
    session = Scp02Session(enc, mac, dek, case["kvn"])
    session.initialize_update(command[5:13], answer[14:20], answer[12:14], answer[:10])
    session.external_authenticate(bytes.fromhex(case["external_authenticate"]))
    first = bytes.fromhex(case["commands"][0][0])
    session.unwrap(first)
    with pytest.raises(ISOException) as caught:
        session.unwrap(first)
    assert caught.value.getReason() == 0x6982
