"""``javacard.framework`` for applets written in Python.

Names and behaviour mirror the Java Card 3 Classic API so a Java applet ports line by line:
``from jcsim.framework import Applet, APDU, ISO7816, ISOException, JCSystem, Util``.
Arrays are allocated with ``ByteArray(n)`` (Java's ``new byte[n]``), ``ShortArray``,
``BooleanArray``, ``IntArray`` and ``ObjectArray``; Java casts are in ``jcsim.framework.casts``.
"""

from jcsim.framework.aid import AID
from jcsim.framework.apdu import APDU
from jcsim.framework.applet import Applet
from jcsim.framework.arrays import BooleanArray, ByteArray, IntArray, ObjectArray, ShortArray
from jcsim.framework.card_object import Object
from jcsim.framework.casts import byte, int32, short, ubyte, ushort
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
from jcsim.framework.interfaces import PIN, AppletEvent, ExtendedLength, MultiSelectable, Shareable
from jcsim.framework.iso7816 import ISO7816
from jcsim.framework.jcsystem import JCSystem
from jcsim.framework.owner_pin import OwnerPIN
from jcsim.framework.util import Util
from jcsim.lang import (
    ArithmeticException,
    ArrayIndexOutOfBoundsException,
    ArrayStoreException,
    ClassCastException,
    IndexOutOfBoundsException,
    NegativeArraySizeException,
    NullPointerException,
    RuntimeException,
    SecurityException,
    Throwable,
)

# Loaded by the first applet that names them (PEP 562), not by every card: the runtime never
# uses them itself.
_ON_DEMAND = {
    "OwnerPINBuilder": "jcsim.framework.owner_pin_x",
    "OwnerPINx": "jcsim.framework.owner_pin_x",
    "OwnerPINxWithPredecrement": "jcsim.framework.owner_pin_x",
    "SensitiveArrays": "jcsim.framework.sensitive_arrays",
}


def __getattr__(name: str) -> object:
    module = _ON_DEMAND.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_ON_DEMAND))


__all__ = [
    "AID",
    "APDU",
    "ISO7816",
    "PIN",
    "APDUException",
    "Applet",
    "AppletEvent",
    "ArithmeticException",
    "ArrayIndexOutOfBoundsException",
    "ArrayStoreException",
    "BooleanArray",
    "ByteArray",
    "CardException",
    "CardRuntimeException",
    "ClassCastException",
    "CryptoException",
    "ExtendedLength",
    "ISOException",
    "IndexOutOfBoundsException",
    "IntArray",
    "JCSystem",
    "MultiSelectable",
    "NegativeArraySizeException",
    "NullPointerException",
    "Object",
    "ObjectArray",
    "OwnerPIN",
    "OwnerPINBuilder",
    "OwnerPINx",
    "OwnerPINxWithPredecrement",
    "PINException",
    "RuntimeException",
    "SecurityException",
    "SensitiveArrays",
    "ServiceException",
    "Shareable",
    "ShortArray",
    "SystemException",
    "Throwable",
    "TransactionException",
    "UserException",
    "Util",
    "UtilException",
    "byte",
    "int32",
    "short",
    "ubyte",
    "ushort",
]
