"""javacard.framework.ISO7816 constants (Java Card 3.0.5)."""

from __future__ import annotations

import pytest

from jcsim.framework import ISO7816

CONSTANTS = {
    "OFFSET_CLA": 0, "OFFSET_INS": 1, "OFFSET_P1": 2, "OFFSET_P2": 3, "OFFSET_LC": 4,
    "OFFSET_CDATA": 5, "OFFSET_EXT_CDATA": 7,
    "CLA_ISO7816": 0x00, "INS_SELECT": 0xA4, "INS_EXTERNAL_AUTHENTICATE": 0x82,
    "SW_NO_ERROR": 0x9000, "SW_BYTES_REMAINING_00": 0x6100,
    "SW_WARNING_STATE_UNCHANGED": 0x6200, "SW_WRONG_LENGTH": 0x6700,
    "SW_LOGICAL_CHANNEL_NOT_SUPPORTED": 0x6881, "SW_SECURE_MESSAGING_NOT_SUPPORTED": 0x6882,
    "SW_LAST_COMMAND_EXPECTED": 0x6883, "SW_COMMAND_CHAINING_NOT_SUPPORTED": 0x6884,
    "SW_SECURITY_STATUS_NOT_SATISFIED": 0x6982, "SW_FILE_INVALID": 0x6983,
    "SW_AUTHENTICATION_METHOD_BLOCKED": 0x6983, "SW_DATA_INVALID": 0x6984,
    "SW_CONDITIONS_NOT_SATISFIED": 0x6985, "SW_COMMAND_NOT_ALLOWED": 0x6986,
    "SW_APPLET_SELECT_FAILED": 0x6999, "SW_WRONG_DATA": 0x6A80,
    "SW_FUNC_NOT_SUPPORTED": 0x6A81, "SW_FILE_NOT_FOUND": 0x6A82,
    "SW_RECORD_NOT_FOUND": 0x6A83, "SW_FILE_FULL": 0x6A84, "SW_INCORRECT_P1P2": 0x6A86,
    "SW_WRONG_P1P2": 0x6B00, "SW_CORRECT_LENGTH_00": 0x6C00,
    "SW_INS_NOT_SUPPORTED": 0x6D00, "SW_CLA_NOT_SUPPORTED": 0x6E00, "SW_UNKNOWN": 0x6F00,
}


@pytest.mark.parametrize(("name", "value"), CONSTANTS.items(), ids=list(CONSTANTS))
def test_ISO7816_constant_has_the_specification_value(name: str, value: int) -> None:
    assert getattr(ISO7816, name) == value


def test_every_public_ISO7816_constant_is_checked_here() -> None:
    public = {name for name in vars(ISO7816) if name.isupper()}
    assert public <= set(CONSTANTS)
