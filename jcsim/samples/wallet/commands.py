"""The wallet's commands as ``CommandAPDU`` values, for the issuer, the demo and the tests."""

from __future__ import annotations

from jcsim.apdu import CommandAPDU
from jcsim.samples.wallet.protocol import (
    AID,
    CARD_CHALLENGE_LENGTH,
    CLA,
    CREDIT_RECORD_LENGTH,
    DEBIT_RECORD_LENGTH,
    FIELD_LENGTH,
    INS_BALANCE,
    INS_CHANGE_PIN,
    INS_CREDIT_ATTEMPT,
    INS_CREDIT_PREPARE,
    INS_DEBIT,
    INS_GET_POLICY,
    INS_LAST_CREDIT,
    INS_LAST_DEBIT,
    INS_READ_FIELD,
    INS_SET_POLICY,
    INS_SUBMIT_PIN,
    INS_UNBLOCK,
    INS_WRITE_FIELD,
    MAC_LENGTH,
)

__all__ = ["balance", "change_pin", "credit_attempt", "credit_prepare", "debit", "get_policy",
           "last_credit", "last_debit", "read_field", "select", "set_policy", "submit_pin",
           "unblock", "write_field"]


def _value(value: int) -> bytes:
    return (value & 0xFFFF).to_bytes(2, "big")


def _command(ins: int, data: bytes = b"", ne: int | None = None) -> CommandAPDU:
    return CommandAPDU(CLA, ins, 0x00, 0x00, data, ne)


def select() -> CommandAPDU:
    return CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID, 256)


def submit_pin(pin: bytes) -> CommandAPDU:
    return _command(INS_SUBMIT_PIN, pin)


def change_pin(new_pin: bytes) -> CommandAPDU:
    return _command(INS_CHANGE_PIN, new_pin)


def unblock(code: bytes, new_pin: bytes = b"") -> CommandAPDU:
    return _command(INS_UNBLOCK, code + new_pin)


def set_policy(flags: int) -> CommandAPDU:
    return _command(INS_SET_POLICY, bytes((flags,)))


def get_policy() -> CommandAPDU:
    return _command(INS_GET_POLICY, ne=1)


def read_field(number: int) -> CommandAPDU:
    return _command(INS_READ_FIELD + number, ne=FIELD_LENGTH)


def write_field(number: int, text: bytes) -> CommandAPDU:
    return _command(INS_WRITE_FIELD + number, text)


def balance() -> CommandAPDU:
    return _command(INS_BALANCE, ne=2)


def debit(challenge: bytes, value: int) -> CommandAPDU:
    return _command(INS_DEBIT, challenge + _value(value), MAC_LENGTH)


def last_debit() -> CommandAPDU:
    return _command(INS_LAST_DEBIT, ne=DEBIT_RECORD_LENGTH)


def credit_prepare(value: int) -> CommandAPDU:
    return _command(INS_CREDIT_PREPARE, _value(value), CARD_CHALLENGE_LENGTH)


def credit_attempt(response: bytes) -> CommandAPDU:
    return _command(INS_CREDIT_ATTEMPT, response, MAC_LENGTH)


def last_credit() -> CommandAPDU:
    return _command(INS_LAST_CREDIT, ne=CREDIT_RECORD_LENGTH)
