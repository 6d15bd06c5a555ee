"""Known-answer tests of the host's SCP03 and SCP02 sessions against published card sessions
(tests/vectors/gp_host_scp03.json and gp_host_scp02.json name their source)."""

from __future__ import annotations

import pytest

from jcsim.gp import (
    AuthenticationError,
    KeySet,
    ResponseCheckError,
    SCP02Session,
    SCP03Session,
    SessionState,
    SessionStateError,
    initialize_update_command,
    open_session,
    parse_initialize_update,
)
from jcsim.gp._crypto import aes_cmac, des3_mac, retail_mac, scp03_kdf
from jcsim.gp.scp02 import session_key
from jcsim.gp.scp03 import pseudo_random_card_challenge
from tests.vectors import loader

SCP03 = loader.load("gp_host_scp03")
SCP02 = loader.load("gp_host_scp02")


def scp03_keys(name: str) -> KeySet:
    k = SCP03["keysets"][name]
    return KeySet(k["enc"], k["mac"], k["dek"], int(k["version"], 16))


def hx(text: str) -> bytes:
    return bytes.fromhex(text)


def scp03_ids() -> list[str]:
    return [f"{s['keyset']}-level{s['external_authenticate'][4:6]}" for s in SCP03["sessions"]]


@pytest.fixture(params=SCP03["sessions"], ids=scp03_ids())
def scp03_case(request: pytest.FixtureRequest) -> dict:
    return request.param


def authenticated_scp03(case: dict) -> SCP03Session:
    keys = scp03_keys(case["keyset"])
    command = hx(case["initialize_update"])
    session = open_session(keys, command[5:13], hx(case["answer"]),
                           hx(case["external_authenticate"])[2])
    assert isinstance(session, SCP03Session)
    assert session.external_authenticate() == hx(case["external_authenticate"])
    session.receive_external_authenticate(b"\x90\x00")
    return session


def test_initialize_update_is_built_as_the_card_received_it(scp03_case):
    command = hx(scp03_case["initialize_update"])
    assert initialize_update_command(scp03_keys(scp03_case["keyset"]).version,
                                     command[5:13]) == command


def test_the_answer_parses_as_scp03_with_its_sequence_counter(scp03_case):
    answer = parse_initialize_update(hx(scp03_case["answer"]))
    assert (answer.scp, answer.i, len(answer.sequence_counter)) == (3, 0x70, 3)
    assert answer.key_version == scp03_keys(scp03_case["keyset"]).version


def test_scp03_host_cryptogram_and_external_authenticate_c_mac_match(scp03_case):
    session = authenticated_scp03(scp03_case)
    assert session.state is SessionState.OPEN


def test_scp03_wraps_and_unwraps_a_whole_session_as_the_card_did(scp03_case):
    session = authenticated_scp03(scp03_case)
    plain = SCP03["plain"]
    assert session.wrap(hx(plain["first_command"])) == hx(scp03_case["first_command"])
    response = session.unwrap(hx(scp03_case["first_response"]) + b"\x90\x00")
    assert response == hx(plain["first_response"]) + b"\x90\x00"
    for command, wrapped in zip(plain["commands"], scp03_case["commands"], strict=True):
        assert session.wrap(hx(command)) == hx(wrapped)


def test_scp03_refuses_a_card_cryptogram_off_by_one_bit(scp03_case):
    answer = bytearray(hx(scp03_case["answer"]))
    answer[28] ^= 0x01  # the last byte of the card cryptogram
    keys = scp03_keys(scp03_case["keyset"])
    with pytest.raises(AuthenticationError, match="card cryptogram"):
        open_session(keys, hx(scp03_case["initialize_update"])[5:13], bytes(answer), 0x01)


def test_scp03_with_the_wrong_keys_fails_at_the_card_cryptogram(scp03_case):
    with pytest.raises(AuthenticationError):
        open_session(KeySet.default(), hx(scp03_case["initialize_update"])[5:13],
                     hx(scp03_case["answer"]), 0x01)


def test_scp03_r_mac_tampering_closes_the_session():
    case = next(s for s in SCP03["sessions"] if s["external_authenticate"][4:6] == "11")
    session = authenticated_scp03(case)
    session.wrap(hx(SCP03["plain"]["first_command"]))
    tampered = bytearray(hx(case["first_response"]))
    tampered[3] ^= 0x40
    with pytest.raises(ResponseCheckError):
        session.unwrap(bytes(tampered) + b"\x90\x00")
    assert session.state is SessionState.CLOSED
    with pytest.raises(SessionStateError):
        session.wrap(b"\x80\xCA\x00\x66\x00")


def test_the_kdf_makes_the_card_cryptogram_from_s_mac_with_l_64():
    # Amendment D §6.2.2.2 spelled out once: derivation data layout and the truncation to L.
    case = SCP03["sessions"][0]
    session = authenticated_scp03(case)
    context = hx(case["initialize_update"])[5:13] + parse_initialize_update(
        hx(case["answer"])).card_challenge
    data = bytes(11) + b"\x00\x00" + b"\x00\x40" + b"\x01" + context
    assert scp03_kdf(session.s_mac, 0x00, context, 64) == aes_cmac(session.s_mac, data)[:8]
    assert parse_initialize_update(hx(case["answer"])).card_cryptogram == aes_cmac(
        session.s_mac, data)[:8]


# --- SCP02 -------------------------------------------------------------------------------------


def scp02_session() -> SCP02Session:
    k, s = SCP02["keyset"], SCP02["session"]
    keys = KeySet(k["enc"], k["mac"], k["dek"], int(k["version"], 16))
    session = open_session(keys, hx(s["host_challenge"]), hx(s["answer"]),
                           int(s["security_level"], 16))
    assert isinstance(session, SCP02Session)
    return session


def test_scp02_initialize_update_and_answer_layout():
    s = SCP02["session"]
    assert initialize_update_command(0x20, hx(s["host_challenge"])) == hx(s["initialize_update"])
    answer = parse_initialize_update(hx(s["answer"]))
    assert (answer.scp, answer.sequence_counter, answer.card_challenge) == (
        2, hx("0001"), hx("6B4524ABEE7C"))


def test_scp02_session_keys_give_the_published_cryptogram_and_mac():
    # Each session key on its own, from the static key, the constant and the sequence counter:
    # S-ENC makes the card's cryptogram, the C-MAC key makes EXTERNAL AUTHENTICATE's MAC.
    k, s = SCP02["keyset"], SCP02["session"]
    answer = parse_initialize_update(hx(s["answer"]))
    s_enc = session_key(hx(k["enc"]), b"\x01\x82", answer.sequence_counter)
    s_mac = session_key(hx(k["mac"]), b"\x01\x01", answer.sequence_counter)
    assert des3_mac(s_enc, hx(s["host_challenge"]) + answer.sequence_counter
                    + answer.card_challenge) == answer.card_cryptogram
    authenticate = hx(s["external_authenticate"])
    assert retail_mac(s_mac, authenticate[:13]) == authenticate[13:]
    assert scp02_session().s_mac == s_mac


def test_scp02_external_authenticate_matches_the_card_session():
    session = scp02_session()
    assert session.external_authenticate() == hx(SCP02["session"]["external_authenticate"])


def test_scp02_c_mac_with_icv_encryption_matches_all_four_cases():
    session = scp02_session()
    session.external_authenticate()
    session.receive_external_authenticate(b"\x90\x00")
    s = SCP02["session"]
    for command, wrapped in zip(s["plain_commands"], s["commands"], strict=True):
        assert session.wrap(hx(command)) == hx(wrapped)


def test_scp02_without_icv_encryption_chains_the_plain_mac():
    k, s = SCP02["keyset"], SCP02["session"]
    keys = KeySet(k["enc"], k["mac"], k["dek"])
    session = SCP02Session(keys, hx(s["host_challenge"]), parse_initialize_update(hx(s["answer"])),
                           0x01, i=0x45)
    ea = session.external_authenticate()
    assert ea == hx(s["external_authenticate"])  # the first MAC has ICV zero either way
    session.receive_external_authenticate(b"\x90\x00")
    wrapped = session.wrap(hx(s["plain_commands"][0]))
    assert wrapped[-8:] == retail_mac(session.s_mac, hx("84F2200208"), ea[-8:])
    assert wrapped != hx(s["commands"][0])


def test_scp02_refuses_a_tampered_card_cryptogram():
    k, s = SCP02["keyset"], SCP02["session"]
    answer = bytearray(hx(s["answer"]))
    answer[-1] ^= 0xFF
    with pytest.raises(AuthenticationError):
        open_session(KeySet(k["enc"], k["mac"], k["dek"]), hx(s["host_challenge"]), bytes(answer),
                     0x01)


def test_a_refused_external_authenticate_closes_the_session():
    session = scp02_session()
    session.external_authenticate()
    with pytest.raises(AuthenticationError) as caught:
        session.receive_external_authenticate(b"\x63\x00")
    assert caught.value.sw == 0x6300 and session.state is SessionState.CLOSED


@pytest.mark.parametrize("answer", ["", "00" * 12, "00" * 10 + "2002" + "00" * 15,
                                    "00" * 10 + "3003" + "70" + "00" * 17,
                                    "00" * 10 + "3001" + "00" * 16])
def test_malformed_initialize_update_answers_raise_authentication_error(answer):
    with pytest.raises(AuthenticationError):
        parse_initialize_update(hx(answer))


# --- SCP03 derivations step by step (tests/vectors/gp_host_scp03_kdf.json) ----------------------

KDF = loader.load("gp_host_scp03_kdf")


def kdf_session(level: int) -> SCP03Session:
    k = KDF["keys"]
    keys = KeySet(k["enc"], k["mac"], k["dek"], int(k["version"], 16))
    session = open_session(keys, hx(KDF["host_challenge"]), hx(KDF["answer"]), level)
    assert isinstance(session, SCP03Session)
    return session


def test_scp03_pseudo_random_card_challenge_from_counter_and_aid():
    assert pseudo_random_card_challenge(hx(KDF["keys"]["enc"]), hx(KDF["sequence_counter"]),
                                        hx(KDF["sd_aid"])) == hx(KDF["card_challenge"])


def test_scp03_session_keys_and_cryptograms():
    session = kdf_session(0x01)
    assert (session.s_enc, session.s_mac, session.s_rmac) == (
        hx(KDF["s_enc"]), hx(KDF["s_mac"]), hx(KDF["s_rmac"]))
    assert session.card_cryptogram() == hx(KDF["card_cryptogram"])
    assert session.host_cryptogram() == hx(KDF["host_cryptogram"])


def test_scp03_external_authenticate_sets_the_chaining_value():
    session = kdf_session(0x01)
    assert session.external_authenticate() == hx(KDF["external_authenticate_level01"])
    assert session.chaining == hx(KDF["chaining_after_external_authenticate"])


def test_scp03_c_decryption_of_the_first_command():
    session = kdf_session(0x03)
    session.external_authenticate()
    session.receive_external_authenticate(b"\x90\x00")
    wrapped = session.wrap(hx(KDF["install_plain"]))
    assert wrapped[5:-8] == hx(KDF["install_encrypted_data_level03"])
    assert wrapped[4] == 32 + 8


def test_scp03_c_mac_covers_the_class_byte_on_channel_zero():
    # Amendment D §6.2.4: the logical channel number is zeroed in the MAC'd class byte, so the
    # same EXTERNAL AUTHENTICATE MAC holds on every channel; only the CLA sent differs.
    for channel, cla in ((0, 0x84), (2, 0x86), (7, 0xE3)):
        k = KDF["keys"]
        session = SCP03Session(KeySet(k["enc"], k["mac"], k["dek"]), hx(KDF["host_challenge"]),
                               parse_initialize_update(hx(KDF["answer"])), 0x01, channel)
        command = session.external_authenticate()
        assert command[0] == cla
        assert command[1:] == hx(KDF["external_authenticate_level01"])[1:]


# --- SCP02 i = 15 with C-DECRYPTION (tests/vectors/gp_host_scp02_cdec.json) ---------------------

SCP02_CDEC = loader.load("gp_host_scp02_cdec")


@pytest.mark.parametrize("case", SCP02_CDEC["sessions"], ids=lambda c: f"level{c['security_level']}")
def test_scp02_i15_sessions_with_c_mac_and_c_decryption(case):
    keys = KeySet.single(SCP02_CDEC["key"])
    challenge = hx(case["host_challenge"])
    assert initialize_update_command(0, challenge) == hx(case["initialize_update"])
    session = open_session(keys, challenge, hx(case["answer"]), int(case["security_level"], 16),
                           scp02_i=int(SCP02_CDEC["i"], 16))
    assert session.external_authenticate() == hx(case["external_authenticate"])
    session.receive_external_authenticate(b"\x90\x00")
    for command, wrapped in zip(case["plain_commands"], case["commands"], strict=True):
        assert session.wrap(hx(command)) == hx(wrapped)


# --- SCP03 level 03 from a second library's card traces (gp_host_scp03_level03.json) ----------

SCP03_LEVEL03 = loader.load("gp_host_scp03_level03")


@pytest.mark.parametrize("case", SCP03_LEVEL03["sessions"], ids=["delete", "get-status"])
def test_scp03_level03_sessions_of_a_second_source(case):
    k = SCP03_LEVEL03["keys"]
    session = open_session(KeySet(k["enc"], k["mac"], k["dek"]), hx(case["host_challenge"]),
                           hx(case["answer"]), 0x03)
    if "s_enc" in case:
        assert (session.s_enc, session.s_mac, session.s_rmac) == (
            hx(case["s_enc"]), hx(case["s_mac"]), hx(case["s_rmac"]))
    assert session.external_authenticate() == hx(case["external_authenticate"])
    session.receive_external_authenticate(b"\x90\x00")
    assert session.wrap(hx(case["plain_command"])) == hx(case["command"])
