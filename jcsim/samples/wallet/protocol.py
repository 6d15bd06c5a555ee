"""The wallet's wire protocol: the constants the card and the issuer share (the host side builds
its commands with ``jcsim.samples.wallet.commands``).

The table of commands is in ``jcsim.samples.wallet.applet``'s docstring. The MACs are AES-CMAC
(NIST SP 800-38B) truncated to their first 8 bytes, under the card's own key; each starts with
a one-byte tag so that one kind of message can never stand in for another:

- debit proof (card to server): ``CMAC(K, 'D' || challenge(6) || value(2) || sequence(2))``;
- credit response (server to card): ``CMAC(K, 'C' || card challenge(8) || value(2))``;
- credit receipt (card to server): ``CMAC(K, 'R' || card challenge(8) || value(2))``.

The debit sequence number counts the card's debits (1, 2, ...): the proof covers it, so each
debit the card ever makes has one identity the server can settle once, even when a challenge is
replayed at the card.
"""

from __future__ import annotations

__all__ = ["AID", "CARD_NUMBER", "CLA", "FIELDS", "FIELD_LENGTH", "MAX_BALANCE", "PRIVATE_FIELDS",
           "personalisation"]

# "WALLET" in ASCII behind a proprietary F0 registered application provider byte.
AID = bytes.fromhex("F0 57 41 4C 4C 45 54")
CLA = 0x80

# The personal profile: nine fixed-width ASCII fields, numbered 1 to 9 as their INS.
FIELDS = ("username", "password", "forename", "surname", "street address", "town", "county",
          "postcode", "card number")
FIELD_LENGTH = 30
CARD_NUMBER = 9
PASSWORD = 2
PRIVATE_FIELDS = frozenset({PASSWORD, CARD_NUMBER})

INS_READ_FIELD = 0x00  # + field number 1..9
INS_WRITE_FIELD = 0x10  # + field number 1..9
INS_DEBIT = 0x20
INS_LAST_DEBIT = 0x21
INS_CREDIT_PREPARE = 0x22
INS_CREDIT_ATTEMPT = 0x23
INS_LAST_CREDIT = 0x24
INS_BALANCE = 0x30
INS_SUBMIT_PIN = 0x40
INS_CHANGE_PIN = 0x41
INS_SET_POLICY = 0x42
INS_GET_POLICY = 0x43
INS_UNBLOCK = 0x44

# The access policy: four flags in one byte.
POLICY_PRIVATE_PIN = 0x01  # reading a private field needs the PIN...
POLICY_PRIVATE_EVERY_TIME = 0x02  # ...submitted directly before (else once per session)
POLICY_GENERAL_PIN = 0x04  # the same two flags for the general fields
POLICY_GENERAL_EVERY_TIME = 0x08
POLICY_FLAGS = 0x0F
DEFAULT_POLICY = POLICY_PRIVATE_PIN

PIN_MIN_LENGTH = 4
PIN_MAX_LENGTH = 8
PIN_TRY_LIMIT = 3
UNBLOCK_CODE_LENGTH = 8
UNBLOCK_TRY_LIMIT = 5
KEY_LENGTH = 16
MAC_LENGTH = 8
SERVER_CHALLENGE_LENGTH = 6
CARD_CHALLENGE_LENGTH = 8
VALUE_LENGTH = 2
SEQUENCE_LENGTH = 2
MAX_BALANCE = 0x7FFF  # a Java short

TAG_DEBIT = 0x44  # 'D'
TAG_CREDIT = 0x43  # 'C'
TAG_RECEIPT = 0x52  # 'R'

# LAST DEBIT: challenge || value || sequence || proof; LAST CREDIT: challenge || value || receipt.
DEBIT_RECORD_LENGTH = SERVER_CHALLENGE_LENGTH + VALUE_LENGTH + SEQUENCE_LENGTH + MAC_LENGTH
CREDIT_RECORD_LENGTH = CARD_CHALLENGE_LENGTH + VALUE_LENGTH + MAC_LENGTH

# Status words beyond ISO7816's usual ones (the amount codes follow Sun's Wallet sample).
SW_VERIFICATION_FAILED = 0x6300  # a wrong credit response: the pending credit is spent
SW_WRONG_PIN = 0x63C0  # | tries left
SW_PIN_REQUIRED = 0x6982  # security status not satisfied
SW_BLOCKED = 0x6983  # authentication method blocked
SW_CHALLENGE_REUSED = 0x6984  # reference data not usable
SW_NOTHING_PENDING = 0x6985  # conditions of use not satisfied
SW_INVALID_AMOUNT = 0x6A83
SW_BALANCE_LIMIT = 0x6A84
SW_INSUFFICIENT_FUNDS = 0x6A85
SW_NO_RECORD = 0x6A88


def personalisation(card_key: bytes, unblock_code: bytes, pin: bytes, card_number: bytes) -> bytes:
    """The applet's install parameters, written by the issuer's personalisation step:
    ``key(16) || unblock code(8) || Lpin || PIN || Lnumber || card number``."""
    if len(card_key) != KEY_LENGTH or len(unblock_code) != UNBLOCK_CODE_LENGTH:
        raise ValueError("the card key is 16 bytes and the unblock code 8")
    if not PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH or not pin.isdigit():
        raise ValueError(f"a PIN is {PIN_MIN_LENGTH} to {PIN_MAX_LENGTH} ASCII digits")
    if not 1 <= len(card_number) <= FIELD_LENGTH or not _printable(card_number):
        raise ValueError(f"a card number is 1 to {FIELD_LENGTH} printable ASCII characters")
    return (card_key + unblock_code + bytes((len(pin),)) + pin + bytes((len(card_number),))
            + card_number)


def _printable(text: bytes) -> bool:
    return all(0x20 <= b <= 0x7E for b in text)
