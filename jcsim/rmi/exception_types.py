"""The exception types of Java Card RMI's exception responses (JCRE 3.0.5 §8.3.5.2).

An exception thrown by a remote method travels as a one-byte type code (and its reason); both
the card, which encodes it, and the host, which raises it again, read this one table.
"""

from __future__ import annotations

from jcsim import lang
from jcsim.framework.exceptions import (
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
from jcsim.rmi.remote import RemoteException

__all__ = ["EXCEPTION_CLASSES", "EXCEPTION_CODES"]

# §8.3.5.2: the exception_type of each API exception class.
EXCEPTION_CLASSES: dict[int, type] = {
    0x00: lang.Throwable,
    0x01: lang.ArithmeticException,
    0x02: lang.ArrayIndexOutOfBoundsException,
    0x03: lang.ArrayStoreException,
    0x04: lang.ClassCastException,
    0x05: lang.Exception,
    0x06: lang.IndexOutOfBoundsException,
    0x07: lang.NegativeArraySizeException,
    0x08: lang.NullPointerException,
    0x09: lang.RuntimeException,
    0x0A: lang.SecurityException,
    0x0B: lang.IOException,
    0x0C: RemoteException,
    0x20: APDUException,
    0x21: CardException,
    0x22: CardRuntimeException,
    0x23: ISOException,
    0x24: PINException,
    0x25: SystemException,
    0x26: TransactionException,
    0x27: UserException,
    0x30: CryptoException,
    0x40: ServiceException,
    0x80: UtilException,
}
EXCEPTION_CODES: dict[type, int] = {klass: code for code, klass in EXCEPTION_CLASSES.items()}
