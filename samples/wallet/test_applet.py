"""SmartWallet's commands one by one: every instruction and every status word it answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from jcsim import InstallError, Response, Simulator
from jcsim.samples.wallet import AID, SmartWallet, commands, macs
from jcsim.samples.wallet.protocol import FIELD_LENGTH, MAX_BALANCE, personalisation
from samples.wallet.conftest import CARD_NUMBER, KEY, PIN, UNBLOCK_CODE, make_card, send

CHALLENGE = bytes.fromhex("C0FFEE000001")


def sw(sim: Simulator, command) -> int:
    return send(sim, command).sw


def balance(sim: Simulator) -> int:
    response = sim.transmit(commands.balance())
    assert response.sw == 0x9000
    return int.from_bytes(response.data, "big")


def padded(text: bytes) -> bytes:
    return text.ljust(FIELD_LENGTH, b" ")


# --- dispatch ------------------------------------------------------------------------------------

def test_the_wallet_is_selected_by_its_aid_and_answers_9000(card):
    assert card.select(AID) == Response(b"", 0x9000)


@pytest.mark.parametrize("command", ["00 30 00 00 02", "A0 30 00 00 02"])
def test_a_class_byte_other_than_80_is_refused_with_6E00(card, command):
    assert sw(card, command) == 0x6E00


@pytest.mark.parametrize("ins", [0x00, 0x0A, 0x10, 0x1A, 0x25, 0x31, 0x45, 0xCA])
def test_an_unknown_instruction_is_refused_with_6D00(card, ins):
    assert sw(card, bytes((0x80, ins, 0, 0))) == 0x6D00


@pytest.mark.parametrize("command", ["80 30 01 00 02", "80 01 00 01 1E", "80 21 00 80 12"])
def test_p1_p2_other_than_00_00_is_refused_with_6A86(card, command):
    assert sw(card, command) == 0x6A86


@pytest.mark.parametrize("command", ["80 30 00 00 01 00", "80 01 00 00 01 00",
                                     "80 21 00 00 01 00", "80 24 00 00 01 00",
                                     "80 43 00 00 01 00"])
def test_data_where_none_is_expected_is_refused_with_6700(card, command):
    assert sw(card, command) == 0x6700


# --- personalisation -------------------------------------------------------------------------

def test_personalisation_puts_the_card_number_in_field_9_and_a_zero_balance(card):
    assert send(card, commands.submit_pin(PIN)).sw == 0x9000
    assert send(card, commands.read_field(9)) == Response(padded(CARD_NUMBER.encode()), 0x9000)
    assert balance(card) == 0
    assert send(card, commands.get_policy()) == Response(b"\x01", 0x9000)


@pytest.mark.parametrize("params", [
    b"",
    KEY + UNBLOCK_CODE + b"\x03123\x011",  # a PIN of 3 digits
    KEY + UNBLOCK_CODE + b"\x0412a4\x011",  # a PIN that is not digits
    KEY + UNBLOCK_CODE + b"\x041234\x00",  # no card number
    KEY + UNBLOCK_CODE + b"\x041234\x1f" + b"1" * 31,  # a card number longer than a field
    KEY + UNBLOCK_CODE + b"\x041234\x02\x01\x02",  # not printable
    KEY + UNBLOCK_CODE + b"\x041234\x0112",  # one byte too many
])
def test_malformed_install_parameters_make_the_installation_fail(params):
    sim = Simulator()
    with pytest.raises(InstallError):
        sim.install(SmartWallet, AID, params)
    assert all(a.aid.value != AID for a in sim.applets())


# --- the profile -----------------------------------------------------------------------------

@pytest.mark.parametrize("number", [1, 3, 4, 5, 6, 7, 8])
def test_general_fields_are_read_without_a_pin_by_default(card, number):
    assert send(card, commands.read_field(number)) == Response(b" " * FIELD_LENGTH, 0x9000)


@pytest.mark.parametrize("number", [2, 9])
def test_private_fields_need_the_pin_once_per_session_by_default(card, number):
    assert sw(card, commands.read_field(number)) == 0x6982
    assert sw(card, commands.submit_pin(PIN)) == 0x9000
    assert sw(card, commands.balance()) == 0x9000  # the PIN is no longer fresh...
    assert sw(card, commands.read_field(number)) == 0x9000  # ...but this session has it
    assert sw(card, commands.read_field(number)) == 0x9000


@pytest.mark.parametrize("number", range(1, 10))
def test_a_field_is_written_after_a_fresh_pin_and_read_back_space_padded(card, number):
    assert sw(card, commands.submit_pin(PIN)) == 0x9000
    assert sw(card, commands.write_field(number, b"Field value 42")) == 0x9000
    assert sw(card, commands.submit_pin(PIN)) == 0x9000  # private fields: read with the PIN
    assert send(card, commands.read_field(number)) == Response(padded(b"Field value 42"),
                                                               0x9000)


def test_a_field_takes_exactly_thirty_characters(card):
    text = b"x" * FIELD_LENGTH
    send(card, commands.submit_pin(PIN))
    assert sw(card, commands.write_field(4, text)) == 0x9000
    assert send(card, commands.read_field(4)).data == text


def test_a_write_without_the_pin_directly_before_is_refused_with_6982(card):
    assert sw(card, commands.write_field(1, b"mallory")) == 0x6982
    send(card, commands.submit_pin(PIN))
    card.transmit(commands.read_field(1))  # one command in between: no longer fresh
    assert sw(card, commands.write_field(1, b"mallory")) == 0x6982
    assert send(card, commands.read_field(1)).data == b" " * FIELD_LENGTH


@pytest.mark.parametrize(("command", "expected"), [
    ("80 11 00 00", 0x6700),  # no data
    ("80 11 00 00 1F" + "41" * 31, 0x6700),  # one character too many
    ("80 11 00 00 03 41 0A 41", 0x6A80),  # a line feed is not a printable character
    ("80 11 00 00 02 41 C3", 0x6A80),  # nor is anything above 7E
])
def test_a_malformed_field_is_refused_and_the_field_kept(card, command, expected):
    send(card, commands.submit_pin(PIN))
    send(card, commands.write_field(1, b"alice"))
    send(card, commands.submit_pin(PIN))
    assert sw(card, command) == expected
    assert send(card, commands.read_field(1)).data == padded(b"alice")


# --- the PIN ---------------------------------------------------------------------------------

def test_three_wrong_pins_block_the_card_and_the_right_pin_then_gets_6983(card):
    assert [sw(card, commands.submit_pin(b"0000")) for _ in range(3)] == [0x63C2, 0x63C1, 0x6983]
    assert sw(card, commands.submit_pin(PIN)) == 0x6983
    assert sw(card, commands.submit_pin(b"0000")) == 0x6983


def test_a_right_pin_restores_the_tries(card):
    send(card, commands.submit_pin(b"0000"))
    send(card, commands.submit_pin(b"0000"))
    assert sw(card, commands.submit_pin(PIN)) == 0x9000
    assert sw(card, commands.submit_pin(b"0000")) == 0x63C2


def test_a_wrong_pin_ends_the_session_access(card):
    send(card, commands.submit_pin(PIN))
    assert sw(card, commands.read_field(9)) == 0x9000
    assert sw(card, commands.submit_pin(b"9999")) == 0x63C2
    assert sw(card, commands.read_field(9)) == 0x6982


@pytest.mark.parametrize("pin", [b"123", b"123456789"])
def test_a_pin_of_the_wrong_length_is_refused_with_6700_and_costs_no_try(card, pin):
    assert sw(card, commands.submit_pin(pin)) == 0x6700
    assert sw(card, commands.submit_pin(b"0000")) == 0x63C2


def test_a_reset_ends_the_session_access(card):
    send(card, commands.submit_pin(PIN))
    assert sw(card, commands.read_field(9)) == 0x9000
    card.reset()
    assert sw(card, commands.read_field(9)) == 0x6982


def test_a_command_to_another_applet_in_between_makes_the_pin_stale(card):
    class Other(SmartWallet):
        pass

    other = bytes.fromhex("F0 57 41 4C 4C 45 55")
    card.install(Other, other, personalisation(KEY, UNBLOCK_CODE, PIN, b"2"))
    send(card, commands.submit_pin(PIN))
    assert card.select(other).sw == 0x9000
    assert card.select(AID).sw == 0x9000
    assert sw(card, commands.write_field(1, b"x")) == 0x6982
    assert sw(card, commands.read_field(9)) == 0x9000  # the session itself goes on


def test_change_pin_needs_a_fresh_pin_and_replaces_it(card):
    assert sw(card, commands.change_pin(b"5678")) == 0x6982
    send(card, commands.submit_pin(PIN))
    assert sw(card, commands.change_pin(b"56789012")) == 0x9000
    assert sw(card, commands.submit_pin(PIN)) == 0x63C2
    assert sw(card, commands.submit_pin(b"56789012")) == 0x9000


@pytest.mark.parametrize(("new_pin", "expected"), [(b"123", 0x6700), (b"123456789", 0x6700),
                                                    (b"12a4", 0x6A80)])
def test_change_pin_refuses_a_malformed_pin(card, new_pin, expected):
    send(card, commands.submit_pin(PIN))
    assert sw(card, commands.change_pin(new_pin)) == expected
    assert sw(card, commands.submit_pin(PIN)) == 0x9000


def block(card: Simulator) -> None:
    for _ in range(3):
        send(card, commands.submit_pin(b"0000"))


def test_the_unblock_code_unblocks_the_pin_and_keeps_it(card):
    block(card)
    assert sw(card, commands.unblock(UNBLOCK_CODE)) == 0x9000
    assert sw(card, commands.submit_pin(PIN)) == 0x9000


def test_the_unblock_code_can_set_a_new_pin(card):
    block(card)
    assert sw(card, commands.unblock(UNBLOCK_CODE, b"24680")) == 0x9000
    assert sw(card, commands.submit_pin(PIN)) == 0x63C2
    assert sw(card, commands.submit_pin(b"24680")) == 0x9000


def test_a_wrong_unblock_code_counts_down_and_blocks_after_five(card):
    block(card)
    answers = [sw(card, commands.unblock(b"00000000")) for _ in range(5)]
    assert answers == [0x63C4, 0x63C3, 0x63C2, 0x63C1, 0x6983]
    assert sw(card, commands.unblock(UNBLOCK_CODE)) == 0x6983
    assert sw(card, commands.submit_pin(PIN)) == 0x6983


@pytest.mark.parametrize(("data", "expected"), [
    (b"1234567", 0x6700),  # a code of 7 bytes
    (UNBLOCK_CODE + b"123", 0x6700),  # a new PIN of 3 digits
    (UNBLOCK_CODE + b"123456789", 0x6700),
    (UNBLOCK_CODE + b"12x4", 0x6A80),
])
def test_a_malformed_unblock_is_refused_and_costs_no_try(card, data, expected):
    block(card)
    assert sw(card, commands.unblock(data[:8], data[8:])) == expected
    assert sw(card, commands.unblock(b"00000000")) == 0x63C4


# --- the policy ------------------------------------------------------------------------------

def test_set_policy_needs_a_fresh_pin(card):
    assert sw(card, commands.set_policy(0x0F)) == 0x6982
    send(card, commands.submit_pin(PIN))
    assert sw(card, commands.set_policy(0x0F)) == 0x9000
    assert send(card, commands.get_policy()) == Response(b"\x0F", 0x9000)


@pytest.mark.parametrize(("data", "expected"), [(b"\x10", 0x6A80), (b"\x81", 0x6A80),
                                                (b"\x01\x00", 0x6700)])
def test_set_policy_refuses_unknown_flags_and_wrong_lengths(card, data, expected):
    send(card, commands.submit_pin(PIN))
    assert sw(card, bytes((0x80, 0x42, 0, 0, len(data))) + data) == expected
    assert send(card, commands.get_policy()).data == b"\x01"


# --- value -----------------------------------------------------------------------------------

def test_the_balance_starts_at_zero(card):
    assert send(card, commands.balance()) == Response(b"\x00\x00", 0x9000)


def test_a_credit_is_prepared_and_attempted_once(card):
    challenge = send(card, commands.credit_prepare(2000))
    assert challenge.sw == 0x9000 and len(challenge.data) == 8
    response = macs.credit_response(KEY, challenge.data, 2000)
    receipt = send(card, commands.credit_attempt(response))
    assert receipt == Response(macs.credit_receipt(KEY, challenge.data, 2000), 0x9000)
    assert balance(card) == 2000
    assert send(card, commands.last_credit()) == Response(
        challenge.data + bytes.fromhex("07D0") + receipt.data, 0x9000)
    # Replayed: nothing is pending any more.
    assert sw(card, commands.credit_attempt(response)) == 0x6985
    assert balance(card) == 2000


def test_each_prepare_makes_a_new_challenge(card):
    first = send(card, commands.credit_prepare(100)).data
    second = send(card, commands.credit_prepare(100)).data
    assert first != second
    # The first is no longer pending: only the second's response is good.
    assert sw(card, commands.credit_attempt(macs.credit_response(KEY, first, 100))) == 0x6300


def test_a_wrong_credit_response_is_refused_with_6300_and_spends_the_pending_credit(card):
    challenge = send(card, commands.credit_prepare(500)).data
    assert sw(card, commands.credit_attempt(b"\x00" * 8)) == 0x6300
    good = macs.credit_response(KEY, challenge, 500)
    assert sw(card, commands.credit_attempt(good)) == 0x6985
    assert balance(card) == 0


def test_a_credit_response_made_with_another_cards_key_is_refused(card):
    challenge = send(card, commands.credit_prepare(500)).data
    other_key = macs.derive_card_key(b"\x01" * 16, "4000999999999999")
    assert sw(card, commands.credit_attempt(
        macs.credit_response(other_key, challenge, 500))) == 0x6300
    assert balance(card) == 0


@pytest.mark.parametrize(("command", "expected"), [
    ("80 22 00 00 02 0000", 0x6A83),  # zero
    ("80 22 00 00 02 8000", 0x6A83),  # a negative short
    ("80 22 00 00 01 05", 0x6700),
    ("80 22 00 00 03 000005", 0x6700),
    ("80 23 00 00 07 00000000000000", 0x6700),
    ("80 23 00 00 08 0000000000000000", 0x6985),  # nothing prepared
])
def test_malformed_credits_are_refused(card, command, expected):
    assert sw(card, command) == expected
    assert balance(card) == 0


def test_a_credit_above_the_maximum_balance_is_refused_with_6A84(card, fund):
    fund(card, MAX_BALANCE - 10)
    assert sw(card, commands.credit_prepare(11)) == 0x6A84
    fund(card, 10)
    assert balance(card) == MAX_BALANCE
    assert sw(card, commands.credit_prepare(1)) == 0x6A84


def test_a_debit_after_a_fresh_pin_pays_and_proves_it(card, fund):
    fund(card, 1000)
    assert sw(card, commands.submit_pin(PIN)) == 0x9000
    proof = send(card, commands.debit(CHALLENGE, 250))
    assert proof == Response(macs.debit_proof(KEY, CHALLENGE, 250, 1), 0x9000)
    assert balance(card) == 750
    assert send(card, commands.last_debit()) == Response(
        CHALLENGE + bytes.fromhex("00FA 0001") + proof.data, 0x9000)


def test_debits_are_numbered_in_sequence(card, fund):
    fund(card, 1000)
    for sequence in (1, 2, 3):
        challenge = bytes((sequence,)) * 6
        send(card, commands.submit_pin(PIN))
        assert send(card, commands.debit(challenge, 10)).data == \
            macs.debit_proof(KEY, challenge, 10, sequence)
    assert send(card, commands.last_debit()).data[6:10] == bytes.fromhex("000A 0003")


def test_a_debit_needs_the_pin_directly_before(card, fund):
    fund(card, 1000)
    assert sw(card, commands.debit(CHALLENGE, 100)) == 0x6982
    send(card, commands.submit_pin(PIN))
    card.transmit(commands.balance())
    assert sw(card, commands.debit(CHALLENGE, 100)) == 0x6982
    assert balance(card) == 1000


@pytest.mark.parametrize(("value", "expected"), [(0, 0x6A83), (0x8000, 0x6A83), (0xFFFF, 0x6A83),
                                                 (1001, 0x6A85), (0x7FFF, 0x6A85)])
def test_a_debit_of_a_wrong_amount_or_above_the_balance_is_refused(card, fund, value, expected):
    fund(card, 1000)
    send(card, commands.submit_pin(PIN))
    assert sw(card, commands.debit(CHALLENGE, value)) == expected
    assert balance(card) == 1000
    assert sw(card, commands.last_debit()) == 0x6A88


def test_the_whole_balance_can_be_spent(card, fund):
    fund(card, 1000)
    send(card, commands.submit_pin(PIN))
    assert sw(card, commands.debit(CHALLENGE, 1000)) == 0x9000
    assert balance(card) == 0


@pytest.mark.parametrize("command", ["80 20 00 00 07 C0FFEE00000100", "80 20 00 00"])
def test_a_debit_of_the_wrong_length_is_refused_with_6700(card, fund, command):
    fund(card, 1000)
    send(card, commands.submit_pin(PIN))
    assert sw(card, command) == 0x6700


def test_a_debit_repeating_the_last_challenge_is_refused_with_6984(card, fund):
    fund(card, 1000)
    send(card, commands.submit_pin(PIN))
    first = send(card, commands.debit(CHALLENGE, 100))
    send(card, commands.submit_pin(PIN))
    assert sw(card, commands.debit(CHALLENGE, 100)) == 0x6984
    assert balance(card) == 900
    assert send(card, commands.last_debit()).data[10:] == first.data


def test_last_debit_and_last_credit_answer_6A88_before_any(card):
    assert sw(card, commands.last_debit()) == 0x6A88
    assert sw(card, commands.last_credit()) == 0x6A88


def test_last_debit_repeats_the_proof_without_the_pin(card, fund):
    fund(card, 1000)
    send(card, commands.submit_pin(PIN))
    proof = send(card, commands.debit(CHALLENGE, 100)).data
    card.reset()
    assert card.select(AID).sw == 0x9000
    assert send(card, commands.last_debit()).data[10:] == proof


def test_the_wallet_keeps_its_value_and_records_in_a_card_image(card, fund, tmp_path: Path):
    receipt = fund(card, 1000)
    send(card, commands.submit_pin(PIN))
    proof = send(card, commands.debit(CHALLENGE, 100)).data
    card.save(tmp_path / "wallet.jcimg")
    loaded = Simulator.load(tmp_path / "wallet.jcimg")
    assert balance(loaded) == 900
    assert send(loaded, commands.last_debit()).data[10:] == proof
    assert send(loaded, commands.last_credit()).data[10:] == receipt
    assert sw(loaded, commands.submit_pin(PIN)) == 0x9000


def test_cards_of_different_keys_prove_the_same_debit_differently(fund):
    other_key = bytes(16)
    cards = [make_card(), make_card(other_key, "4000999999999999")]
    proofs = []
    for sim, key in zip(cards, (KEY, other_key), strict=True):
        fund(sim, 100, key)
        send(sim, commands.submit_pin(PIN))
        proofs.append(send(sim, commands.debit(CHALLENGE, 50)).data)
    assert proofs[0] == macs.debit_proof(KEY, CHALLENGE, 50, 1)
    assert proofs[1] == macs.debit_proof(other_key, CHALLENGE, 50, 1)
    assert proofs[0] != proofs[1]
