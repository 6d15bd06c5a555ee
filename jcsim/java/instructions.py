"""The closures of the instructions that need no linking (JVM spec SE 8 ch. 6): constants,
locals, int arithmetic with Java's 32-bit wrap-around and its exceptions, branches, stack
shuffles, arrays and switches. Each factory returns the closure of one decoded instruction:
``op(stack, locals)`` does the work and returns the index of the next instruction (``-1`` /
``-2`` end a method, see ``interpreter``)."""

from __future__ import annotations

from typing import Any

from jcsim.framework.arrays import BooleanArray, ByteArray, IntArray, JavaArray, ShortArray
from jcsim.lang import (
    ArithmeticException,
    NegativeArraySizeException,
    NullPointerException,
    Throwable,
)

__all__ = [
    "INT_MAX", "INT_MIN", "SIMPLE_PUSH", "array_op", "athrow_op", "binary_op", "branch_op",
    "iinc_op", "load_op", "lookupswitch_op", "newarray_op", "push_op", "return_value_op",
    "return_void_op", "stack_op", "store_op", "tableswitch_op", "unary_op", "wrap_int",
]

INT_MIN, INT_MAX = -0x80000000, 0x7FFFFFFF
_NEWARRAY: dict[int, type[JavaArray]] = {4: BooleanArray, 8: ByteArray, 9: ShortArray, 10: IntArray}


def wrap_int(value: int) -> int:
    """Java's 32-bit wrap-around."""
    return ((value + 0x80000000) & 0xFFFFFFFF) - 0x80000000


def _npe(what: str) -> NullPointerException:
    return NullPointerException(f"null {what}")


# --- simple instruction factories: each returns the closure for one instruction -------------

def push_op(value: Any, n: int) -> Any:
    def op(st: list, lv: list) -> int:
        st.append(value)
        return n
    return op


def load_op(index: int, n: int) -> Any:
    def op(st: list, lv: list) -> int:
        st.append(lv[index])
        return n
    return op


def store_op(index: int, n: int) -> Any:
    def op(st: list, lv: list) -> int:
        lv[index] = st.pop()
        return n
    return op


def iinc_op(index: int, delta: int, n: int) -> Any:
    def op(st: list, lv: list) -> int:
        r = lv[index] + delta
        lv[index] = r if INT_MIN <= r <= INT_MAX else wrap_int(r)
        return n
    return op


def binary_op(name: str, n: int) -> Any:
    if name == "iadd":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            r = st[-1] + b
            st[-1] = r if INT_MIN <= r <= INT_MAX else wrap_int(r)
            return n
    elif name == "isub":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            r = st[-1] - b
            st[-1] = r if INT_MIN <= r <= INT_MAX else wrap_int(r)
            return n
    elif name == "imul":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            r = st[-1] * b
            st[-1] = r if INT_MIN <= r <= INT_MAX else wrap_int(r)
            return n
    elif name == "idiv":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            a = st[-1]
            if b == 0:
                raise ArithmeticException("/ by zero")
            q = abs(a) // abs(b)  # Java truncates toward zero
            st[-1] = wrap_int(q if (a < 0) == (b < 0) else -q)
            return n
    elif name == "irem":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            a = st[-1]
            if b == 0:
                raise ArithmeticException("/ by zero")
            r = abs(a) % abs(b)  # the sign of the dividend
            st[-1] = -r if a < 0 else r
            return n
    elif name == "iand":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            st[-1] &= b
            return n
    elif name == "ior":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            st[-1] |= b
            return n
    elif name == "ixor":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            st[-1] ^= b
            return n
    elif name == "ishl":
        def op(st: list, lv: list) -> int:
            b = st.pop() & 31
            st[-1] = wrap_int(st[-1] << b)
            return n
    elif name == "ishr":
        def op(st: list, lv: list) -> int:
            b = st.pop() & 31
            st[-1] >>= b
            return n
    elif name == "iushr":
        def op(st: list, lv: list) -> int:
            b = st.pop() & 31
            st[-1] = wrap_int((st[-1] & 0xFFFFFFFF) >> b)
            return n
    else:  # pragma: no cover - only called with the names above
        raise ValueError(name)
    return op


def unary_op(name: str, n: int) -> Any:
    if name == "ineg":
        def op(st: list, lv: list) -> int:
            st[-1] = wrap_int(-st[-1])
            return n
    elif name == "i2s":
        def op(st: list, lv: list) -> int:
            st[-1] = ((st[-1] + 0x8000) & 0xFFFF) - 0x8000
            return n
    elif name == "i2b":
        def op(st: list, lv: list) -> int:
            st[-1] = ((st[-1] + 0x80) & 0xFF) - 0x80
            return n
    else:  # pragma: no cover
        raise ValueError(name)
    return op


def branch_op(name: str, target: int, n: int) -> Any:
    t = target
    if name == "ifeq":
        def op(st: list, lv: list) -> int:
            return t if st.pop() == 0 else n
    elif name == "ifne":
        def op(st: list, lv: list) -> int:
            return t if st.pop() != 0 else n
    elif name == "iflt":
        def op(st: list, lv: list) -> int:
            return t if st.pop() < 0 else n
    elif name == "ifge":
        def op(st: list, lv: list) -> int:
            return t if st.pop() >= 0 else n
    elif name == "ifgt":
        def op(st: list, lv: list) -> int:
            return t if st.pop() > 0 else n
    elif name == "ifle":
        def op(st: list, lv: list) -> int:
            return t if st.pop() <= 0 else n
    elif name == "if_icmpeq":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            return t if st.pop() == b else n
    elif name == "if_icmpne":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            return t if st.pop() != b else n
    elif name == "if_icmplt":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            return t if st.pop() < b else n
    elif name == "if_icmpge":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            return t if st.pop() >= b else n
    elif name == "if_icmpgt":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            return t if st.pop() > b else n
    elif name == "if_icmple":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            return t if st.pop() <= b else n
    elif name == "if_acmpeq":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            return t if st.pop() is b else n
    elif name == "if_acmpne":
        def op(st: list, lv: list) -> int:
            b = st.pop()
            return t if st.pop() is not b else n
    elif name == "ifnull":
        def op(st: list, lv: list) -> int:
            return t if st.pop() is None else n
    elif name == "ifnonnull":
        def op(st: list, lv: list) -> int:
            return t if st.pop() is not None else n
    elif name in ("goto", "goto_w"):
        def op(st: list, lv: list) -> int:
            return t
    else:  # pragma: no cover
        raise ValueError(name)
    return op


def stack_op(name: str, n: int) -> Any:
    # Java Card code has only one-slot values (no long or double), so the two-slot forms
    # always act on two one-slot values (JVM §6.5, category 1 forms).
    if name == "pop":
        def op(st: list, lv: list) -> int:
            st.pop()
            return n
    elif name == "pop2":
        def op(st: list, lv: list) -> int:
            del st[-2:]
            return n
    elif name == "dup":
        def op(st: list, lv: list) -> int:
            st.append(st[-1])
            return n
    elif name == "dup_x1":
        def op(st: list, lv: list) -> int:
            st.insert(-2, st[-1])
            return n
    elif name == "dup_x2":
        def op(st: list, lv: list) -> int:
            st.insert(-3, st[-1])
            return n
    elif name == "dup2":
        def op(st: list, lv: list) -> int:
            st.extend(st[-2:])
            return n
    elif name == "dup2_x1":
        def op(st: list, lv: list) -> int:
            st[-3:-3] = st[-2:]
            return n
    elif name == "dup2_x2":
        def op(st: list, lv: list) -> int:
            st[-4:-4] = st[-2:]
            return n
    elif name == "swap":
        def op(st: list, lv: list) -> int:
            st[-1], st[-2] = st[-2], st[-1]
            return n
    elif name == "nop":
        def op(st: list, lv: list) -> int:
            return n
    else:  # pragma: no cover
        raise ValueError(name)
    return op


def array_op(name: str, n: int) -> Any:
    if name == "baload":
        def op(st: list, lv: list) -> int:
            i = st.pop()
            a = st[-1]
            if a is None:
                raise _npe("array")
            v = a[i]
            st[-1] = v - 256 if v > 127 else v + 0  # + 0 turns a boolean element into an int
            return n
    elif name in ("saload", "iaload", "aaload"):
        def op(st: list, lv: list) -> int:
            i = st.pop()
            a = st[-1]
            if a is None:
                raise _npe("array")
            st[-1] = a[i]
            return n
    elif name == "bastore":
        def op(st: list, lv: list) -> int:
            v = st.pop()
            i = st.pop()
            a = st.pop()
            if a is None:
                raise _npe("array")
            if isinstance(a, bytearray):
                a[i] = v & 0xFF
            else:
                a[i] = (v & 1) == 1
            return n
    elif name == "sastore":
        def op(st: list, lv: list) -> int:
            v = st.pop()
            i = st.pop()
            a = st.pop()
            if a is None:
                raise _npe("array")
            a[i] = ((v + 0x8000) & 0xFFFF) - 0x8000
            return n
    elif name in ("iastore", "aastore"):
        def op(st: list, lv: list) -> int:
            v = st.pop()
            i = st.pop()
            a = st.pop()
            if a is None:
                raise _npe("array")
            a[i] = v
            return n
    elif name == "arraylength":
        def op(st: list, lv: list) -> int:
            a = st[-1]
            if a is None:
                raise _npe("array")
            st[-1] = a.length
            return n
    else:  # pragma: no cover
        raise ValueError(name)
    return op


def newarray_op(atype: int, n: int) -> Any:
    array_class = _NEWARRAY[atype]

    def op(st: list, lv: list) -> int:
        size = st[-1]
        if size < 0:
            raise NegativeArraySizeException(size)
        st[-1] = array_class(size)
        return n
    return op


def tableswitch_op(default: int, low: int, targets: tuple[int, ...]) -> Any:
    high = low + len(targets) - 1

    def op(st: list, lv: list) -> int:
        key = st.pop()
        return targets[key - low] if low <= key <= high else default
    return op


def lookupswitch_op(default: int, pairs: dict[int, int]) -> Any:
    get = pairs.get

    def op(st: list, lv: list) -> int:
        return get(st.pop(), default)
    return op


def athrow_op(st: list, lv: list) -> int:
    exc = st.pop()
    if exc is None:
        raise _npe("exception thrown")
    if not isinstance(exc, Throwable):
        raise TypeError(f"athrow of a non-Throwable {type(exc).__name__}")
    raise exc


def return_void_op(st: list, lv: list) -> int:
    return -1


def return_value_op(st: list, lv: list) -> int:
    return -2


SIMPLE_PUSH = {"aconst_null": None, **{f"iconst_{i}": i for i in range(6)}, "iconst_m1": -1}

