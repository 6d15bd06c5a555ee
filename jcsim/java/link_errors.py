"""What linking shares: its errors, the placeholder ``new`` pushes for an API class, the mangled
names of Java methods, and the null-use exception."""

from __future__ import annotations

from jcsim.errors import JCSimError
from jcsim.lang import NullPointerException

__all__ = ["JavaExecutionError", "JavaLinkError", "Uninitialized", "mangled", "null_pointer"]


class JavaLinkError(JCSimError, LookupError):
    """A class, field or method a Java class refers to does not exist (or may not be used)."""


class JavaExecutionError(JCSimError, RuntimeError):
    """Bytecode did what a verified class cannot (an empty operand stack, a value of the wrong
    type, a field of another class) or gave the Java Card API what it cannot take. The card
    answers 6F00, as for any uncaught exception; the message names the method, bytecode offset
    and line."""


class Uninitialized:
    """What ``new`` pushes for a class of the Python API until its constructor runs."""

    __slots__ = ("pyclass",)

    def __init__(self, pyclass: type) -> None:
        self.pyclass = pyclass


def mangled(name: str, descriptor: str) -> str:
    return name + descriptor


def null_pointer(what: str) -> NullPointerException:
    return NullPointerException(f"null {what}")
