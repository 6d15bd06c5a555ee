"""The ``java.lang`` exceptions a Java Card applet meets.

Mirrors the ``java.lang`` subset of the Java Card 3 Classic API. The Java class ``Exception``
keeps its Java name here, so import it qualified (``jcsim.lang.Exception``) to avoid
shadowing Python's builtin.
"""

from __future__ import annotations

import builtins

__all__ = [
    "ArithmeticException",
    "ArrayIndexOutOfBoundsException",
    "ArrayStoreException",
    "ClassCastException",
    "Exception",
    "IOException",
    "IndexOutOfBoundsException",
    "NegativeArraySizeException",
    "NullPointerException",
    "RuntimeException",
    "SecurityException",
    "Throwable",
]


class Throwable(builtins.Exception):
    """Mirrors ``java.lang.Throwable``: the root of everything an applet can throw."""


class Exception(Throwable):
    """Mirrors ``java.lang.Exception``."""


class RuntimeException(Exception):
    """Mirrors ``java.lang.RuntimeException``."""


class ArithmeticException(RuntimeException, ArithmeticError):
    """Mirrors ``java.lang.ArithmeticException``."""


class ArrayStoreException(RuntimeException, TypeError):
    """Mirrors ``java.lang.ArrayStoreException``."""


class ClassCastException(RuntimeException, TypeError):
    """Mirrors ``java.lang.ClassCastException``."""


class IndexOutOfBoundsException(RuntimeException, IndexError):
    """Mirrors ``java.lang.IndexOutOfBoundsException``."""


class ArrayIndexOutOfBoundsException(IndexOutOfBoundsException):
    """Mirrors ``java.lang.ArrayIndexOutOfBoundsException``."""


class NegativeArraySizeException(RuntimeException, ValueError):
    """Mirrors ``java.lang.NegativeArraySizeException``."""


class NullPointerException(RuntimeException, TypeError):
    """Mirrors ``java.lang.NullPointerException``."""


class SecurityException(RuntimeException):
    """Mirrors ``java.lang.SecurityException``: a firewall violation."""


class IOException(Exception, OSError):
    """Mirrors ``java.io.IOException``."""
