"""The javacard.framework exception family and the java.lang exceptions applets meet."""

from __future__ import annotations

import builtins

import pytest

from jcsim import lang
from jcsim.framework import (
    APDUException,
    CardException,
    CardRuntimeException,
    CryptoException,
    ISOException,
    PINException,
    ServiceException,
    SystemException,
    TransactionException,
    UserException,
    UtilException,
)

REASONS = {
    APDUException: {"ILLEGAL_USE": 1, "BUFFER_BOUNDS": 2, "BAD_LENGTH": 3, "IO_ERROR": 4,
                    "NO_T0_GETRESPONSE": 0xAA, "T1_IFD_ABORT": 0xAB, "NO_T0_REISSUE": 0xAC},
    SystemException: {"ILLEGAL_VALUE": 1, "NO_TRANSIENT_SPACE": 2, "ILLEGAL_TRANSIENT": 3,
                      "ILLEGAL_AID": 4, "NO_RESOURCE": 5, "ILLEGAL_USE": 6},
    TransactionException: {"IN_PROGRESS": 1, "NOT_IN_PROGRESS": 2, "BUFFER_FULL": 3,
                           "INTERNAL_FAILURE": 4, "ILLEGAL_USE": 5},
    PINException: {"ILLEGAL_VALUE": 1, "ILLEGAL_STATE": 2},
    UtilException: {"ILLEGAL_VALUE": 1, "TYPE_MISMATCHED": 2},
    ServiceException: {"ILLEGAL_PARAM": 1, "DISPATCH_TABLE_FULL": 2, "COMMAND_DATA_TOO_LONG": 3,
                       "CANNOT_ACCESS_IN_COMMAND": 4, "CANNOT_ACCESS_OUT_COMMAND": 5,
                       "COMMAND_IS_FINISHED": 6, "REMOTE_OBJECT_NOT_EXPORTED": 7},
    CryptoException: {"ILLEGAL_VALUE": 1, "UNINITIALIZED_KEY": 2, "NO_SUCH_ALGORITHM": 3,
                      "INVALID_INIT": 4, "ILLEGAL_USE": 5},
}

REASON_CASES = [(cls, name, value) for cls, table in REASONS.items()
                for name, value in table.items()]
ALL_CLASSES = [CardException, CardRuntimeException, ISOException, UserException, *REASONS]


@pytest.mark.parametrize(("cls", "name", "value"), REASON_CASES,
                         ids=[f"{c.__name__}.{n}" for c, n, _ in REASON_CASES])
def test_reason_codes_have_the_specification_values(cls: type, name: str, value: int) -> None:
    assert getattr(cls, name) == value


def test_the_name_is_TYPE_MISMATCHED_not_TYPE_MISMATCH() -> None:
    assert UtilException.TYPE_MISMATCHED == 2
    assert not hasattr(UtilException, "TYPE_MISMATCH")


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_throwIt_raises_that_class_with_the_reason(cls: type) -> None:
    with pytest.raises(cls) as info:
        cls.throwIt(7)
    assert type(info.value) is cls
    assert info.value.getReason() == 7


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_setReason_replaces_the_reason(cls: type) -> None:
    exc = cls(1)
    exc.setReason(2)
    assert exc.getReason() == 2


def test_ISOException_reason_is_the_status_word_as_an_unsigned_value() -> None:
    assert ISOException(0x6A82).getReason() == 0x6A82
    # Java's (short) 0x9000 is -28672; the reason reads back as the status word.
    assert ISOException(-28672).getReason() == 0x9000


def test_APDUException_T0_and_T1_reasons_survive_throwIt() -> None:
    for reason in (0xAA, 0xAB, 0xAC):
        with pytest.raises(APDUException) as info:
            APDUException.throwIt(reason)
        assert info.value.getReason() == reason


def test_the_runtime_exceptions_are_CardRuntimeExceptions_and_java_RuntimeExceptions() -> None:
    for cls in (ISOException, APDUException, SystemException, TransactionException,
                PINException, UtilException, ServiceException, CryptoException):
        assert issubclass(cls, CardRuntimeException)
    assert issubclass(CardRuntimeException, lang.RuntimeException)
    assert issubclass(lang.RuntimeException, lang.Exception)
    assert issubclass(lang.Exception, lang.Throwable)
    assert issubclass(lang.Throwable, builtins.Exception)


def test_CardException_and_UserException_are_checked_not_runtime_exceptions() -> None:
    assert issubclass(UserException, CardException)
    assert issubclass(CardException, lang.Exception)
    assert not issubclass(CardException, lang.RuntimeException)
    assert not issubclass(CardException, CardRuntimeException)


def test_UserException_defaults_to_reason_0() -> None:
    assert UserException().getReason() == 0


@pytest.mark.parametrize(("java", "python"), [
    (lang.ArrayIndexOutOfBoundsException, IndexError),
    (lang.IndexOutOfBoundsException, IndexError),
    (lang.NegativeArraySizeException, ValueError),
    (lang.NullPointerException, TypeError),
    (lang.ClassCastException, TypeError),
    (lang.ArrayStoreException, TypeError),
    (lang.ArithmeticException, ArithmeticError),
], ids=lambda c: c.__name__)
def test_java_lang_exceptions_are_also_the_builtin_they_resemble(java: type, python: type) -> None:
    assert issubclass(java, python)
    assert issubclass(java, lang.RuntimeException)


def test_ArrayIndexOutOfBounds_is_an_IndexOutOfBounds() -> None:
    assert issubclass(lang.ArrayIndexOutOfBoundsException, lang.IndexOutOfBoundsException)


def test_the_message_names_the_reason() -> None:
    assert "BAD_LENGTH" in str(APDUException(APDUException.BAD_LENGTH))
    assert "NO_T0_REISSUE" in str(APDUException(0xAC))
    assert "6A82" in str(ISOException(0x6A82))
