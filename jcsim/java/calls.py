"""Linking the four invoke instructions (JVM spec SE 8 §5.4.3.3, §6.5 invoke*): a call to a
Java method runs it in the interpreter (virtual and interface calls dispatch on the receiver's
Python class, which holds every Java method under its mangled name); a call to jcsim's Java
Card API runs the Python method of the same name, with Java booleans turned into ``bool`` on
the way in and the result narrowed to the descriptor's type on the way out. Mixed into
``Linker``."""

from __future__ import annotations

import inspect
from typing import Any

from jcsim.java.classes import LoadedClass, parse_descriptor, to_java
from jcsim.java.classfile import IMETHODREF, METHODREF
from jcsim.java.interpreter import execute
from jcsim.java.link_errors import JavaLinkError, Uninitialized, mangled, null_pointer

__all__ = ["CallLinks"]


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


class CallLinks:
    """The invoke instructions; ``self.loader`` and ``self.java_types`` come from ``Linker``."""

    loader: Any
    java_types: set[type]


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
                        raise null_pointer(f"reference calling {name}")
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
                        raise null_pointer(f"reference calling {name}")
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
                raise null_pointer(f"reference calling {name}")
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
                    raise null_pointer(f"reference calling {name}")
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
                raise null_pointer(f"reference calling {name}")
            result = function(*frame)
            if pushes:
                st.append(result)
            return n
        return op_python


def _is_instance_method(pyclass: type, name: str) -> bool:
    return inspect.isfunction(inspect.getattr_static(pyclass, name, None))


def _equals(self: Any, other: Any) -> int:
    return 1 if self is other else 0


_OBJECT_METHODS = {("equals", "(Ljava/lang/Object;)Z"): _equals}
