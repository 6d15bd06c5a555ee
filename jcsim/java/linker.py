"""Linking: the instructions that name a class, field or method (JVM spec SE 8 §5.4.3).

Each such instruction starts as a stub that resolves its symbol on first execution, builds the
closure for it and puts that closure in its place, so resolution costs once per call site.
A symbol resolves to a loaded Java class (its fields are attributes of the object, its methods
run in the interpreter) or to a class of jcsim's Java Card API (the call runs the Python
implementation; Java booleans become ``bool`` on the way in, and results are narrowed to the
descriptor's type on the way out, so ``getReason()`` gives Java's signed short).
"""

from __future__ import annotations

import inspect
from typing import Any

from jcsim.errors import JCSimError
from jcsim.framework.arrays import BooleanArray, ByteArray, IntArray, ObjectArray, ShortArray
from jcsim.java.bytecode import NAMES, Instruction
from jcsim.java.classes import (
    LoadedClass,
    field_attribute,
    parse_descriptor,
    to_java,
)
from jcsim.java.classfile import FIELDREF, IMETHODREF, INTEGER, METHODREF, pool_view
from jcsim.java.interpreter import execute
from jcsim.lang import ClassCastException, NegativeArraySizeException, NullPointerException

__all__ = ["JavaExecutionError", "JavaLinkError", "Linker", "Uninitialized", "mangled"]

_ARRAY_TYPES = {"[B": ByteArray, "[Z": BooleanArray, "[S": ShortArray, "[I": IntArray}


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


def _npe(what: str) -> NullPointerException:
    return NullPointerException(f"null {what}")


def _python_call(function: Any, descriptor: str, where: str) -> Any:
    """``function`` wrapped to take Java arguments and give a Java result."""
    args, returns = parse_descriptor(descriptor)
    boolean_args = [i for i, kind in enumerate(args) if kind == "Z"]
    narrow = to_java(returns)
    if not boolean_args and narrow is None:
        return function

    def call(*values: Any) -> Any:
        if boolean_args:
            values = tuple(bool(v) if i in boolean_args else v for i, v in enumerate(values))
        result = function(*values)
        return narrow(result) if narrow is not None and result is not None else result
    return call


class Linker:
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
                raise _npe(f"reference reading {attribute}")
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
                raise _npe(f"reference writing {attribute}")
            if not isinstance(obj, declaring):
                raise TypeError(f"{type(obj).__name__} has no field {attribute}")
            setattr(obj, attribute, value)
            return n
        return op

    # --- calls ---------------------------------------------------------------------------------

    def _python_function(self, pyclass: type, name: str, descriptor: str) -> Any:
        if name[:1] == "_" or not hasattr(pyclass, name):
            raise JavaLinkError(f"{pyclass.__name__} has no method {name}{descriptor} in "
                                "jcsim's Java Card API")
        return _python_call(getattr(pyclass, name), descriptor, name)

    def _static_of_running_applet(self, pyclass: type, name: str, descriptor: str) -> Any:
        """A method static in Java (``Applet.reSelectingApplet()``) that jcsim's Python API
        defines on the instance: it asks about the applet whose code is running."""
        from jcsim.framework import _jcre
        from jcsim.framework.applet import Applet

        if not issubclass(pyclass, Applet):
            raise JavaLinkError(f"{pyclass.__name__}.{name}{descriptor} is static in Java but "
                                "an instance method in jcsim's Java Card API")
        method = getattr(pyclass, name)

        def call(*values: Any) -> Any:
            context = _jcre.active().context
            return method(None if context is None else context.instance, *values)
        return _python_call(call, descriptor, name)

    def _invokestatic(self, pool: Any, operands: tuple, n: int) -> Any:
        owner, name, descriptor = pool.member(operands[0], METHODREF, IMETHODREF)
        target = self.loader.resolve(owner)
        args, returns = parse_descriptor(descriptor)
        count = len(args)
        pushes = returns != "V"
        method = target.find_method(name, descriptor) if isinstance(target, LoadedClass) \
            else None
        if isinstance(target, LoadedClass) and method is None:
            # A static method the class inherits from the Java Card API (javac names the
            # calling class as the owner): the Python class its Java superclasses end in.
            target = target.java_supers()[-1].superclass
        if isinstance(target, LoadedClass):
            if method is None or not method.static:
                raise JavaLinkError(f"no static method {name}{descriptor} in {target.java_name}")
            pad = method.pad
            init = method.jclass.statics if method.jclass.needs_initialization() else None

            def op(st: list, lv: list) -> int:
                if init is not None:
                    init()
                if count:
                    frame = st[-count:]
                    del st[-count:]
                    frame.extend(pad)
                else:
                    frame = list(pad)
                result = execute(method, frame)
                if pushes:
                    st.append(result)
                return n
            return op
        function = self._python_function(target, name, descriptor)
        if _is_instance_method(target, name):
            function = self._static_of_running_applet(target, name, descriptor)

        def op_python(st: list, lv: list) -> int:
            if count:
                frame = st[-count:]
                del st[-count:]
                result = function(*frame)
            else:
                result = function()
            if pushes:
                st.append(result)
            return n
        return op_python

    def _invokevirtual(self, pool: Any, operands: tuple, n: int) -> Any:
        owner, name, descriptor = pool.member(operands[0], METHODREF, IMETHODREF)
        target = self.loader.resolve(owner)
        args, returns = parse_descriptor(descriptor)
        count = len(args) + 1
        pushes = returns != "V"
        java_types = self.java_types
        java_name = mangled(name, descriptor)
        if name[:1] == "_":
            raise JavaLinkError(f"method names starting with _ cannot reach Python: {name}")
        java_method = isinstance(target, LoadedClass) and \
            target.find_method(name, descriptor) is not None
        convert_in = [i for i, kind in enumerate(args) if kind == "Z"]
        narrow = to_java(returns)
        special = _OBJECT_METHODS.get((name, descriptor))

        def python_method(receiver: Any) -> Any:
            try:
                return getattr(receiver, name)
            except AttributeError:
                if special is None:
                    raise JavaLinkError(f"{type(receiver).__name__} has no method {name}") \
                        from None
                return lambda *values: special(receiver, *values)

        if not java_method and not convert_in and count <= 2:
            # The common call of the Java Card API (apdu.getBuffer(), apdu.setOutgoing
            # Length(n)...): no slicing, no conversion of arguments.
            if count == 1:
                def op_api(st: list, lv: list) -> int:
                    receiver = st.pop()
                    if receiver is None:
                        raise _npe(f"reference calling {name}")
                    function = getattr(receiver, name, None)
                    result = (function or python_method(receiver))()
                    if pushes:
                        st.append(narrow(result) if narrow is not None and result is not None
                                  else result)
                    return n
            else:
                def op_api(st: list, lv: list) -> int:
                    value = st.pop()
                    receiver = st.pop()
                    if receiver is None:
                        raise _npe(f"reference calling {name}")
                    function = getattr(receiver, name, None)
                    result = (function or python_method(receiver))(value)
                    if pushes:
                        st.append(narrow(result) if narrow is not None and result is not None
                                  else result)
                    return n
            return op_api

        def op(st: list, lv: list) -> int:
            frame = st[-count:]
            del st[-count:]
            receiver = frame[0]
            if receiver is None:
                raise _npe(f"reference calling {name}")
            if java_method and type(receiver) in java_types:
                result = getattr(receiver, java_name)(*frame[1:])
            else:
                values = frame[1:]
                if convert_in:
                    values = [bool(v) if i in convert_in else v for i, v in enumerate(values)]
                result = python_method(receiver)(*values)
                if narrow is not None and result is not None:
                    result = narrow(result)
            if pushes:
                st.append(result)
            return n
        return op

    _invokeinterface = _invokevirtual

    def _invokespecial(self, pool: Any, operands: tuple, n: int) -> Any:
        owner, name, descriptor = pool.member(operands[0], METHODREF, IMETHODREF)
        target = self.loader.resolve(owner)
        args, returns = parse_descriptor(descriptor)
        count = len(args) + 1
        pushes = returns != "V"
        method = None
        if isinstance(target, LoadedClass):
            method = target.methods.get((name, descriptor)) if name == "<init>" \
                else target.find_method(name, descriptor)
            if method is None and name != "<init>":
                # super.select() where no Java superclass overrides it: the API's method.
                target = target.java_supers()[-1].superclass
        if isinstance(target, LoadedClass):
            if method is None or method.static:
                raise JavaLinkError(f"no method {name}{descriptor} in {target.java_name}")
            pad = method.pad

            def op(st: list, lv: list) -> int:
                frame = st[-count:]
                del st[-count:]
                if frame[0] is None:
                    raise _npe(f"reference calling {name}")
                frame.extend(pad)
                result = execute(method, frame)
                if pushes:
                    st.append(result)
                return n
            return op
        if name == "<init>":
            constructor = _python_call(target, descriptor, name)
            base_init = target.__init__

            def op_init(st: list, lv: list) -> int:
                frame = st[-count:]
                del st[-count:]
                receiver = frame[0]
                if type(receiver) is Uninitialized:
                    made = constructor(*frame[1:])
                    # Every copy `dup` made of the uninitialized reference becomes the object.
                    for values in (st, lv):
                        for i, value in enumerate(values):
                            if value is receiver:
                                values[i] = made
                elif base_init is not object.__init__:
                    base_init(receiver, *frame[1:])
                return n
            return op_init
        function = self._python_function(target, name, descriptor)

        def op_python(st: list, lv: list) -> int:
            frame = st[-count:]
            del st[-count:]
            if frame[0] is None:
                raise _npe(f"reference calling {name}")
            result = function(*frame)
            if pushes:
                st.append(result)
            return n
        return op_python

    # --- objects and types ---------------------------------------------------------------------

    def _new(self, pool: Any, operands: tuple, n: int) -> Any:
        owner = pool.class_name(operands[0])
        target = self.loader.resolve(owner)
        if isinstance(target, LoadedClass):
            if target.abstract or target.is_interface:
                raise JavaLinkError(f"cannot instantiate abstract {target.java_name}")
            pyclass = target.pyclass
            init = target.statics if target.needs_initialization() else None
            new = pyclass.__new__

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


def _is_instance_method(pyclass: type, name: str) -> bool:
    return inspect.isfunction(inspect.getattr_static(pyclass, name, None))


def _equals(self: Any, other: Any) -> int:
    return 1 if self is other else 0


_OBJECT_METHODS = {("equals", "(Ljava/lang/Object;)Z"): _equals}
