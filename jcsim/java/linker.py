"""Linking: the instructions that name a class, field or method (JVM spec SE 8 §5.4.3).

Each such instruction starts as a stub that resolves its symbol on first execution, builds the
closure for it and puts that closure in its place, so resolution costs once per call site.
A symbol resolves to a loaded Java class (its fields are attributes of the object, its methods
run in the interpreter) or to a class of jcsim's Java Card API (the call runs the Python
implementation; Java booleans become ``bool`` on the way in, and results are narrowed to the
descriptor's type on the way out, so ``getReason()`` gives Java's signed short).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jcsim.framework.arrays import BooleanArray, ByteArray, IntArray, ObjectArray, ShortArray
from jcsim.java.bytecode import NAMES, Instruction
from jcsim.java.calls import CallLinks
from jcsim.java.classes import LoadedClass, field_attribute
from jcsim.java.classfile import FIELDREF, INTEGER, pool_view
from jcsim.java.link_errors import (
    JavaExecutionError,
    JavaLinkError,
    Uninitialized,
    mangled,
    null_pointer,
)
from jcsim.lang import ClassCastException, NegativeArraySizeException

__all__ = ["JavaExecutionError", "JavaLinkError", "Linker", "Uninitialized", "mangled"]

_ARRAY_TYPES = {"[B": ByteArray, "[Z": BooleanArray, "[S": ShortArray, "[I": IntArray}


class Linker(CallLinks):
    """Resolves symbolic references for one class path."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.java_types: set[type] = loader.java_types

    def link(self, method: Any, ops: list[Any], index: int, insn: Instruction, n: int) -> Any:
        def resolve_then_run(st: list, lv: list) -> int:
            real = self.resolve(method, insn, n)
            ops[index] = real
            return real(st, lv)
        return resolve_then_run

    def resolve(self, method: Any, insn: Instruction, n: int) -> Any:
        name = NAMES[insn.opcode]
        pool = method.jclass.pool
        if pool is None:
            pool = method.jclass.pool = pool_view(method.jclass.classfile)
        builder = getattr(self, "_" + name, None)
        if builder is None:
            raise JavaLinkError(f"{method.where}: unsupported instruction {name}")
        try:
            return builder(pool, insn.operands, n)
        except JavaLinkError as exc:
            raise JavaLinkError(f"{method.where} (line {method.line_at(n - 1)}): {exc}") from None

    # --- constants -----------------------------------------------------------------------------

    def _ldc(self, pool: Any, operands: tuple, n: int) -> Any:
        tag, value = pool.constant(operands[0])
        if tag != INTEGER:
            raise JavaLinkError("only int constants can be loaded")

        def op(st: list, lv: list) -> int:
            st.append(value)
            return n
        return op

    _ldc_w = _ldc

    # --- fields --------------------------------------------------------------------------------

    def _static_holder(self, pool: Any, index: int) -> tuple[Any, str]:
        owner, name, _descriptor = pool.member(index, FIELDREF)
        target = self.loader.resolve(owner)
        if not isinstance(target, LoadedClass):
            raise JavaLinkError(f"static field {owner}.{name} is not in a Java class")
        declaring = target.field_owner(name, static=True)
        if declaring is None:
            raise JavaLinkError(f"no static field {name} in {target.java_name}")
        return declaring, field_attribute(name)

    def _getstatic(self, pool: Any, operands: tuple, n: int) -> Any:
        declaring, attribute = self._static_holder(pool, operands[0])
        statics = declaring.statics
        default = declaring.static_default(attribute)

        def op(st: list, lv: list) -> int:
            st.append(statics().get(attribute, default))
            return n
        return op

    def _putstatic(self, pool: Any, operands: tuple, n: int) -> Any:
        declaring, attribute = self._static_holder(pool, operands[0])
        write = declaring.write_static

        def op(st: list, lv: list) -> int:
            write(attribute, st.pop())
            return n
        return op

    def _instance_field(self, pool: Any, index: int) -> tuple[str, type]:
        owner, name, _descriptor = pool.member(index, FIELDREF)
        target = self.loader.resolve(owner)
        declaring = target.field_owner(name, static=False) \
            if isinstance(target, LoadedClass) else None
        if declaring is None:
            raise JavaLinkError(f"no instance field {name} in {owner.replace('/', '.')}")
        return declaring.field_attributes[name], declaring.pyclass

    def _getfield(self, pool: Any, operands: tuple, n: int) -> Any:
        attribute, declaring = self._instance_field(pool, operands[0])

        def op(st: list, lv: list) -> int:
            obj = st[-1]
            if obj is None:
                raise null_pointer(f"reference reading {attribute}")
            if not isinstance(obj, declaring):
                # What the verifier guarantees: only objects of the declaring class have the
                # field (so bytecode cannot reach the attributes of jcsim's own objects).
                raise TypeError(f"{type(obj).__name__} has no field {attribute}")
            st[-1] = getattr(obj, attribute)
            return n
        return op

    def _putfield(self, pool: Any, operands: tuple, n: int) -> Any:
        attribute, declaring = self._instance_field(pool, operands[0])

        def op(st: list, lv: list) -> int:
            value = st.pop()
            obj = st.pop()
            if obj is None:
                raise null_pointer(f"reference writing {attribute}")
            if not isinstance(obj, declaring):
                raise TypeError(f"{type(obj).__name__} has no field {attribute}")
            setattr(obj, attribute, value)
            return n
        return op

    # --- objects and types ---------------------------------------------------------------------

    def _new(self, pool: Any, operands: tuple, n: int) -> Any:
        owner = pool.class_name(operands[0])
        target = self.loader.resolve(owner)
        if isinstance(target, LoadedClass):
            if target.abstract or target.is_interface:
                raise JavaLinkError(f"cannot instantiate abstract {target.java_name}")
            pyclass = target.pyclass
            init = target.statics if target.needs_initialization() else None
            # The class's own __new__ (Object's, for the on-card bookkeeping); mypy would look
            # the attribute up on the metaclass, type.
            new: Callable[..., Any] = pyclass.__new__

            def op(st: list, lv: list) -> int:
                if init is not None:
                    init()
                st.append(new(pyclass))
                return n
            return op

        def op_python(st: list, lv: list) -> int:
            st.append(Uninitialized(target))
            return n
        return op_python

    def _anewarray(self, pool: Any, operands: tuple, n: int) -> Any:
        self.type_check(pool.class_name(operands[0]))  # the element class must exist

        def op(st: list, lv: list) -> int:
            size = st[-1]
            if size < 0:
                raise NegativeArraySizeException(size)
            st[-1] = ObjectArray(size)
            return n
        return op

    def type_check(self, name: str) -> Any:
        """A predicate telling whether a non-null reference is an instance of class ``name``."""
        if name.startswith("["):
            array_class = _ARRAY_TYPES.get(name, ObjectArray)
            return lambda obj: isinstance(obj, array_class)
        if name == "java/lang/Object":
            return lambda obj: True
        target = self.loader.resolve(name)
        if isinstance(target, LoadedClass):
            pyclass = target.pyclass
            if target.is_interface:
                methods = [m.name for m in target.methods.values() if not m.static]

                def conforms(obj: Any) -> bool:
                    # A Python object (an SIO of a Python package) implements a Java interface
                    # when it has every one of its methods.
                    if isinstance(obj, pyclass):
                        return True
                    return type(obj) not in self.java_types and all(
                        callable(getattr(type(obj), m, None)) for m in methods)
                return conforms
            return lambda obj: isinstance(obj, pyclass)
        return lambda obj: isinstance(obj, target)

    def _checkcast(self, pool: Any, operands: tuple, n: int) -> Any:
        name = pool.class_name(operands[0])
        check = self.type_check(name)

        def op(st: list, lv: list) -> int:
            obj = st[-1]
            if obj is not None and not check(obj):
                raise ClassCastException(f"{type(obj).__name__} is not a {name}")
            return n
        return op

    def _instanceof(self, pool: Any, operands: tuple, n: int) -> Any:
        check = self.type_check(pool.class_name(operands[0]))

        def op(st: list, lv: list) -> int:
            obj = st[-1]
            st[-1] = 0 if obj is None or not check(obj) else 1
            return n
        return op
