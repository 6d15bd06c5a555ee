"""The bytecode interpreter: Java int arithmetic, locals, the operand stack, branches, arrays
and exception handlers (JVM spec SE 8 ch. 6, restricted to what Java Card allows).

Theory of operation. A method is decoded once, on its first call, into a list of small Python
closures, one per instruction; each closure takes the operand stack and the local variables
(two Python lists), does its work and returns the index of the next instruction (branch
targets are resolved to indices when decoding). The loop is therefore
``pc = code[pc](stack, locals)``; ``-1`` ends a void method and ``-2`` a method whose result is
on top of the stack. Instructions that name a class, field or method (``linker``) resolve their
symbol on first execution and replace themselves in the list. A Java exception is a Python
exception deriving from ``jcsim.lang.Throwable`` (the framework's exception classes included):
when one escapes an instruction, the loop looks up the exception table by instruction index and
jumps to the handler with the stack holding only the exception; with no handler it leaves the
method with a note naming the Java class, method and source line.

Values: ``int``, ``short``, ``byte`` and ``boolean`` are Python ints kept in the signed 32-bit
range (each arithmetic result wraps); references are Python objects or ``None``. A Java
``byte[]`` is jcsim's ``ByteArray`` whose elements Python reads as 0..255: ``baload`` gives
Java's sign-extended value.
"""

from __future__ import annotations

from typing import Any

from jcsim.errors import JCSimError
from jcsim.framework.arrays import (
    BooleanArray,
    ByteArray,
    IntArray,
    ShortArray,
)
from jcsim.java.bytecode import NAMES, decode
from jcsim.lang import (
    ArithmeticException,
    NegativeArraySizeException,
    NullPointerException,
    Throwable,
)

__all__ = ["execute", "compile_method", "wrap_int"]

INT_MIN, INT_MAX = -0x80000000, 0x7FFFFFFF
_NEWARRAY = {4: BooleanArray, 8: ByteArray, 9: ShortArray, 10: IntArray}


def wrap_int(value: int) -> int:
    """Java's 32-bit wrap-around."""
    return ((value + 0x80000000) & 0xFFFFFFFF) - 0x80000000


def _npe(what: str) -> NullPointerException:
    return NullPointerException(f"null {what}")


# --- simple instruction factories: each returns the closure for one instruction -------------

def _push(value: Any, n: int) -> Any:
    def op(st: list, lv: list) -> int:
        st.append(value)
        return n
    return op


def _load(index: int, n: int) -> Any:
    def op(st: list, lv: list) -> int:
        st.append(lv[index])
        return n
    return op


def _store(index: int, n: int) -> Any:
    def op(st: list, lv: list) -> int:
        lv[index] = st.pop()
        return n
    return op


def _iinc(index: int, delta: int, n: int) -> Any:
    def op(st: list, lv: list) -> int:
        r = lv[index] + delta
        lv[index] = r if INT_MIN <= r <= INT_MAX else wrap_int(r)
        return n
    return op


def _binary(name: str, n: int) -> Any:
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


def _unary(name: str, n: int) -> Any:
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


def _branch(name: str, target: int, n: int) -> Any:
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


def _stack_op(name: str, n: int) -> Any:
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


def _array_op(name: str, n: int) -> Any:
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


def _newarray(atype: int, n: int) -> Any:
    array_class = _NEWARRAY[atype]

    def op(st: list, lv: list) -> int:
        size = st[-1]
        if size < 0:
            raise NegativeArraySizeException(size)
        st[-1] = array_class(size)
        return n
    return op


def _tableswitch(default: int, low: int, targets: tuple[int, ...]) -> Any:
    high = low + len(targets) - 1

    def op(st: list, lv: list) -> int:
        key = st.pop()
        return targets[key - low] if low <= key <= high else default
    return op


def _lookupswitch(default: int, pairs: dict[int, int]) -> Any:
    get = pairs.get

    def op(st: list, lv: list) -> int:
        return get(st.pop(), default)
    return op


def _athrow(st: list, lv: list) -> int:
    exc = st.pop()
    if exc is None:
        raise _npe("exception thrown")
    if not isinstance(exc, Throwable):
        raise TypeError(f"athrow of a non-Throwable {type(exc).__name__}")
    raise exc


def _return_void(st: list, lv: list) -> int:
    return -1


def _return_value(st: list, lv: list) -> int:
    return -2


_SIMPLE_PUSH = {"aconst_null": None, **{f"iconst_{i}": i for i in range(6)}, "iconst_m1": -1}


def compile_method(method: Any, linker: Any) -> tuple[list[Any], list[tuple[int, int, int, Any]],
                                                      list[int]]:
    """The closures, exception table (by instruction index) and offsets of ``method``."""
    code = method.info.code
    instructions = decode(code.bytecode, method.where)
    index_of = {insn.offset: i for i, insn in enumerate(instructions)}
    ops: list[Any] = [None] * len(instructions)
    for i, insn in enumerate(instructions):
        name = NAMES[insn.opcode]
        n = i + 1
        a = insn.operands
        if name in _SIMPLE_PUSH:
            op = _push(_SIMPLE_PUSH[name], n)
        elif name in ("bipush", "sipush"):
            op = _push(a[0], n)
        elif name in ("iload", "aload"):
            op = _load(a[0], n)
        elif name[:-2] in ("iload", "aload") and name[-2] == "_":
            op = _load(int(name[-1]), n)
        elif name in ("istore", "astore"):
            op = _store(a[0], n)
        elif name[:-2] in ("istore", "astore") and name[-2] == "_":
            op = _store(int(name[-1]), n)
        elif name == "iinc":
            op = _iinc(a[0], a[1], n)
        elif name in ("iadd", "isub", "imul", "idiv", "irem", "iand", "ior", "ixor", "ishl",
                      "ishr", "iushr"):
            op = _binary(name, n)
        elif name in ("ineg", "i2s", "i2b"):
            op = _unary(name, n)
        elif name.startswith("if") or name in ("goto", "goto_w"):
            op = _branch(name, index_of[a[0]], n)
        elif name in ("pop", "pop2", "dup", "dup_x1", "dup_x2", "dup2", "dup2_x1", "dup2_x2",
                      "swap", "nop"):
            op = _stack_op(name, n)
        elif name in ("baload", "saload", "iaload", "aaload", "bastore", "sastore", "iastore",
                      "aastore", "arraylength"):
            op = _array_op(name, n)
        elif name == "newarray":
            op = _newarray(a[0], n)
        elif name == "tableswitch":
            op = _tableswitch(index_of[a[0]], a[1], tuple(index_of[t] for t in a[2]))
        elif name == "lookupswitch":
            op = _lookupswitch(index_of[a[0]], {k: index_of[t] for k, t in a[1].items()})
        elif name == "athrow":
            op = _athrow
        elif name == "return":
            op = _return_void
        elif name in ("ireturn", "areturn"):
            op = _return_value
        else:
            op = linker.link(method, ops, i, insn, n)
        ops[i] = op
    handlers = []
    for entry in code.exceptions:
        end = index_of.get(entry.end, len(instructions))
        handlers.append((index_of[entry.start], end, index_of[entry.handler], entry.catch_type))
    return ops, handlers, [insn.offset for insn in instructions]


def execute(method: Any, lv: list[Any]) -> Any:
    """Run ``method`` (a ``JavaMethod``) with ``lv`` as its locals; returns its result."""
    code = method.ops
    if code is None:
        code = method.prepare()
    st: list[Any] = []
    pc = 0
    while True:
        try:
            while pc >= 0:
                pc = code[pc](st, lv)
            return st[-1] if pc == -2 else None
        except Throwable as exc:
            handler = method.handler_for(pc, exc)
            if handler is None:
                method.annotate(exc, pc)
                raise
            st.clear()
            st.append(exc)
            pc = handler
        except JCSimError:
            raise  # a class that cannot be loaded or linked says so itself
        except (IndexError, TypeError, AttributeError, ValueError, KeyError) as exc:
            # Not a Java exception: bytecode a verifier would have refused (an empty stack,
            # a value of the wrong type) or a Java Card API call given what it cannot take.
            raise method.execution_error(exc, pc) from exc
