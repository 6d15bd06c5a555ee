"""The record of a loaded Java class (``LoadedClass``) and of its methods (``JavaMethod``):
descriptors, method and field lookup as the JVM resolves them (JVM spec SE 8 §5.4.3), and
the conversions between Python and Java values at the boundary.

``loader`` builds each class's Python class, deriving from the jcsim framework class its Java
superclass names, so the JCRE installs, selects, calls and guards it exactly like a Python
applet class. That class carries, per Java method, a Python method under the mangled name
``name(descriptor)`` (what Java code calls, so overloads stay apart) and, for names that do not
start with ``_`` or belong to a field, a plain alias ``name`` for Python callers (the JCRE calls
``process``, a Python client calls a Java SIO's methods); an alias of overloaded names picks by
argument count and falls back to the Python base class. Plain aliases convert Python arguments
to Java values (booleans to 0/1, bytes and shorts wrapped) and Java booleans back to ``bool``.
Instance fields are Python attributes of the object (journaled by ``Object``), with class-level
defaults (0 / null) until first written; static fields live in the card's static storage
(``statics``).
"""

from __future__ import annotations

from typing import Any

from jcsim.java.classfile import ACC_ABSTRACT, ClassFile, FieldInfo, JavaClassError, MethodInfo
from jcsim.java.interpreter import compile_method, execute

__all__ = ["JavaMethod", "LoadedClass", "field_attribute", "parse_descriptor", "to_java"]


def _field_type_end(descriptor: str, start: int) -> int:
    """The end of the field type at ``start`` (JVM §4.3.2), or -1 if there is none."""
    index = start
    while index < len(descriptor) and descriptor[index] == "[":
        index += 1
    if index >= len(descriptor):
        return -1
    if descriptor[index] == "L":
        end = descriptor.find(";", index)
        return -1 if end <= index + 1 else end + 1
    return index + 1 if descriptor[index] in "BCDFIJSZ" else -1


def parse_descriptor(descriptor: str) -> tuple[list[str], str]:
    """Argument types and return type of a method descriptor (JVM §4.3.3), each as a field
    descriptor; ``JavaClassError`` for a malformed one."""
    args: list[str] = []
    index = 1
    if descriptor[:1] != "(":
        raise JavaClassError(f"malformed method descriptor {descriptor!r}")
    while index < len(descriptor) and descriptor[index] != ")":
        end = _field_type_end(descriptor, index)
        if end < 0:
            raise JavaClassError(f"malformed method descriptor {descriptor!r}")
        args.append(descriptor[index:end])
        index = end
    returns = descriptor[index + 1:]
    if index >= len(descriptor) or not (returns == "V" or
                                        _field_type_end(returns, 0) == len(returns)):
        raise JavaClassError(f"malformed method descriptor {descriptor!r}")
    return args, returns


def field_attribute(name: str) -> str:
    """The Python attribute that holds a Java field: the Java name, unless it could clash with
    Python's or jcsim's own attributes."""
    return name if name[:1] != "_" else "_jf" + name


def _to_byte(v: Any) -> int:
    return ((int(v) + 0x80) & 0xFF) - 0x80


def _to_short(v: Any) -> int:
    return ((int(v) + 0x8000) & 0xFFFF) - 0x8000


def _to_int(v: Any) -> int:
    return ((int(v) + 0x80000000) & 0xFFFFFFFF) - 0x80000000


def _to_boolean(v: Any) -> int:
    return 1 if v else 0


_TO_JAVA = {"B": _to_byte, "S": _to_short, "I": _to_int, "Z": _to_boolean}


def to_java(kind: str) -> Any:
    """The converter of a Python value to the Java value of type ``kind`` (None: as it is)."""
    return _TO_JAVA.get(kind)


class JavaMethod:
    """One method of a loaded class; decoded into closures on its first call."""

    __slots__ = (
        "_catch",
        "args",
        "descriptor",
        "handlers",
        "info",
        "jclass",
        "name",
        "offsets",
        "ops",
        "pad",
        "returns",
        "slots",
        "static",
        "where",
    )

    def __init__(self, jclass: LoadedClass, info: MethodInfo) -> None:
        self.jclass = jclass
        self.info = info
        self.name = info.name
        self.descriptor = info.descriptor
        self.static = info.static
        self.args, self.returns = parse_descriptor(info.descriptor)
        self.slots = len(self.args) + (0 if self.static else 1)
        max_locals = info.code.max_locals if info.code is not None else self.slots
        self.pad = [None] * max(0, max_locals - self.slots)
        self.ops: list[Any] | None = None
        self.handlers: list[tuple[int, int, int, Any]] = []
        self.offsets: list[int] = []
        self.where = f"{jclass.java_name}.{info.name}"
        self._catch: dict[str, Any] = {}

    @property
    def abstract(self) -> bool:
        return self.info.code is None

    def prepare(self) -> list[Any]:
        if self.info.code is None:
            from jcsim.java.linker import JavaLinkError

            raise JavaLinkError(f"{self.where}{self.descriptor} is abstract")
        self.ops, self.handlers, self.offsets = compile_method(self, self.jclass.loader.linker)
        return self.ops

    def handler_for(self, pc: int, exc: BaseException) -> int | None:
        for start, end, handler, catch_type in self.handlers:
            if start <= pc < end:
                if catch_type is None:
                    return handler
                catch_class = self._catch.get(catch_type)
                if catch_class is None:
                    catch_class = self._catch[catch_type] = \
                        self.jclass.loader.python_class(catch_type)
                if isinstance(exc, catch_class):
                    return handler
        return None

    def line_at(self, pc: int) -> int | None:
        if not 0 <= pc < len(self.offsets) or self.info.code is None:
            return None
        return self.info.code.line_at(self.offsets[pc])

    def annotate(self, exc: BaseException, pc: int) -> None:
        line = self.line_at(pc)
        source = self.jclass.classfile.source_file or "Unknown Source"
        frame = f"{self.where}({source}:{line if line is not None else '?'})"
        exc.add_note(f"    at {frame}")
        # The innermost Java frame is where the exception left applet code: the JCRE's log
        # line names it (jcsim.runtime.dispatch.applet_frame).
        if "java_frame" not in vars(exc):
            vars(exc)["java_frame"] = frame

    def execution_error(self, exc: BaseException, pc: int) -> BaseException:
        from jcsim.java.linker import JavaExecutionError

        line = self.line_at(pc)
        offset = self.offsets[pc] if 0 <= pc < len(self.offsets) else None
        return JavaExecutionError(f"{self.where}{self.descriptor} at bytecode offset {offset}"
                                  f"{f', line {line}' if line is not None else ''}: "
                                  f"{type(exc).__name__}: {exc}")

    def call(self, *args: Any) -> Any:
        """Run with Java values (receiver first for an instance method)."""
        return execute(self, [*args, *self.pad])


class LoadedClass:
    """A loaded Java class: its class file, methods, fields and Python class."""

    def __init__(self, loader: Any, classfile: ClassFile, superclass: Any,
                 interfaces: tuple[Any, ...]) -> None:
        self.loader = loader
        self.classfile = classfile
        self.name = classfile.name
        self.java_name = classfile.java_name
        self.superclass = superclass  # LoadedClass, or a Python class of the API
        self.interfaces = interfaces
        self.methods: dict[tuple[str, str], JavaMethod] = {
            (m.name, m.descriptor): JavaMethod(self, m) for m in classfile.methods}
        self.fields: dict[str, FieldInfo] = {f.name: f for f in classfile.fields}
        # Instance field name -> the Python attribute holding it (set when the class is built).
        self.field_attributes: dict[str, str] = {}
        self.pyclass: type  # the Python class, set by the loader right after this record
        self.pool: Any = None  # typed constant pool access, made at the first link
        self.package_name = ""  # the Java Card package (module) name, set by the loader
        self._static_defaults: dict[str, Any] | None = None

    @property
    def is_interface(self) -> bool:
        return self.classfile.is_interface

    @property
    def abstract(self) -> bool:
        return bool(self.classfile.access & ACC_ABSTRACT)

    def java_supers(self) -> list[LoadedClass]:
        """This class and its Java superclasses, nearest first."""
        chain, klass = [], self
        while isinstance(klass, LoadedClass):
            chain.append(klass)
            klass = klass.superclass
        return chain

    def find_method(self, name: str, descriptor: str) -> JavaMethod | None:
        """The method a call on this class resolves to among Java classes (JVM §5.4.3.3), then
        the Java interfaces."""
        for klass in self.java_supers():
            method = klass.methods.get((name, descriptor))
            if method is not None:
                return method
        pending = [i for k in self.java_supers() for i in k.interfaces]
        while pending:
            iface = pending.pop(0)
            if isinstance(iface, LoadedClass):
                method = iface.methods.get((name, descriptor))
                if method is not None:
                    return method
                pending.extend(iface.interfaces)
        return None

    def field_owner(self, name: str, static: bool) -> LoadedClass | None:
        for klass in self.java_supers():
            field = klass.fields.get(name)
            if field is not None and field.static == static:
                return klass
        if static:
            pending = list(self.interfaces)
            while pending:
                iface = pending.pop(0)
                if isinstance(iface, LoadedClass):
                    if name in iface.fields:
                        return iface
                    pending.extend(iface.interfaces)
        return None

    def needs_initialization(self) -> bool:
        return any(("<clinit>", "()V") in k.methods or any(f.static for f in k.fields.values())
                   for k in self.java_supers())

    def statics(self) -> dict[str, Any]:
        """This class's static fields on the running card, name -> value (initialized on first
        use; a field never written is missing: see ``static_default``)."""
        from jcsim.java import statics

        return statics.initialized(self)

    def static_default(self, attribute: str) -> Any:
        if self._static_defaults is None:
            from jcsim.java import statics

            self._static_defaults = statics.read_defaults(self)
        return self._static_defaults.get(attribute)

    def write_static(self, attribute: str, value: Any) -> None:
        from jcsim.java import statics

        statics.write(self, attribute, value)

    def __repr__(self) -> str:
        return f"<Java class {self.java_name}>"
