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
from jcsim.java.bytecode import NAMES, decode
from jcsim.java.instructions import (
    SIMPLE_PUSH,
    array_op,
    athrow_op,
    binary_op,
    branch_op,
    iinc_op,
    load_op,
    lookupswitch_op,
    newarray_op,
    push_op,
    return_value_op,
    return_void_op,
    stack_op,
    store_op,
    tableswitch_op,
    unary_op,
)
from jcsim.lang import Throwable

__all__ = ["compile_method", "execute"]


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
        if name in SIMPLE_PUSH:
            op = push_op(SIMPLE_PUSH[name], n)
        elif name in ("bipush", "sipush"):
            op = push_op(a[0], n)
        elif name in ("iload", "aload"):
            op = load_op(a[0], n)
        elif name[:-2] in ("iload", "aload") and name[-2] == "_":
            op = load_op(int(name[-1]), n)
        elif name in ("istore", "astore"):
            op = store_op(a[0], n)
        elif name[:-2] in ("istore", "astore") and name[-2] == "_":
            op = store_op(int(name[-1]), n)
        elif name == "iinc":
            op = iinc_op(a[0], a[1], n)
        elif name in ("iadd", "isub", "imul", "idiv", "irem", "iand", "ior", "ixor", "ishl",
                      "ishr", "iushr"):
            op = binary_op(name, n)
        elif name in ("ineg", "i2s", "i2b"):
            op = unary_op(name, n)
        elif name.startswith("if") or name in ("goto", "goto_w"):
            op = branch_op(name, index_of[a[0]], n)
        elif name in ("pop", "pop2", "dup", "dup_x1", "dup_x2", "dup2", "dup2_x1", "dup2_x2",
                      "swap", "nop"):
            op = stack_op(name, n)
        elif name in ("baload", "saload", "iaload", "aaload", "bastore", "sastore", "iastore",
                      "aastore", "arraylength"):
            op = array_op(name, n)
        elif name == "newarray":
            op = newarray_op(a[0], n)
        elif name == "tableswitch":
            op = tableswitch_op(index_of[a[0]], a[1], tuple(index_of[t] for t in a[2]))
        elif name == "lookupswitch":
            op = lookupswitch_op(index_of[a[0]], {k: index_of[t] for k, t in a[1].items()})
        elif name == "athrow":
            op = athrow_op
        elif name == "return":
            op = return_void_op
        elif name in ("ireturn", "areturn"):
            op = return_value_op
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
