"""Reading Java class files and jars, treating them as hostile input (JVM spec SE 8 ch. 4).

``parse_class(data)`` reads one class file of version 51..65 (what ``javac --release 7`` up to
``--release 21`` writes) into a ``ClassFile``: the constant pool, the fields, the methods with
their Code attribute (bytecode, exception table, LineNumberTable); every other attribute is
skipped by its declared length. Every count and length is checked against the bytes that are
left before anything is read or allocated, so a truncated or forged file gives a
``JavaClassError`` and never an unbounded allocation. ``read_jar`` reads the ``.class`` entries
of a jar with bounds on the entry count and the uncompressed sizes.
"""

from __future__ import annotations

import struct
import zipfile
from typing import Any

import attrs

from jcsim.errors import JCSimError

__all__ = [
    "MAX_CLASS_BYTES",
    "ClassFile",
    "Code",
    "ExceptionEntry",
    "FieldInfo",
    "JavaClassError",
    "MethodInfo",
    "parse_class",
    "read_jar",
]

MAGIC = 0xCAFEBABE
MIN_MAJOR, MAX_MAJOR = 51, 65
MAX_CLASS_BYTES = 4 * 1024 * 1024
MAX_JAR_ENTRIES = 10_000
MAX_JAR_BYTES = 64 * 1024 * 1024

ACC_PUBLIC, ACC_PRIVATE, ACC_PROTECTED, ACC_STATIC = 0x0001, 0x0002, 0x0004, 0x0008
ACC_FINAL, ACC_SYNCHRONIZED, ACC_NATIVE = 0x0010, 0x0020, 0x0100
ACC_INTERFACE, ACC_ABSTRACT = 0x0200, 0x0400

# Constant pool tags (JVM spec §4.4) and how many pool slots each takes.
UTF8, INTEGER, FLOAT, LONG, DOUBLE, CLASS, STRING = 1, 3, 4, 5, 6, 7, 8
FIELDREF, METHODREF, IMETHODREF, NAME_AND_TYPE = 9, 10, 11, 12
METHOD_HANDLE, METHOD_TYPE, DYNAMIC, INVOKE_DYNAMIC, MODULE, PACKAGE = 15, 16, 17, 18, 19, 20


class JavaClassError(JCSimError, ValueError):
    """A class file that cannot be read or that Java Card refuses.

    ``str()`` names what is known of the place: class, method, bytecode offset and source line.
    """

    def __init__(self, message: str, *, class_name: str | None = None,
                 method: str | None = None, offset: int | None = None,
                 line: int | None = None) -> None:
        self.message = message
        self.class_name = class_name
        self.method = method
        self.offset = offset
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.class_name:
            where.append(self.class_name + (f".{self.method}" if self.method else ""))
        if self.offset is not None:
            where.append(f"bytecode offset {self.offset}")
        if self.line is not None:
            where.append(f"line {self.line}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@attrs.frozen
class ExceptionEntry:
    start: int
    end: int
    handler: int
    catch_type: str | None  # internal class name, None for "any" (finally)


@attrs.frozen
class Code:
    max_stack: int
    max_locals: int
    bytecode: bytes
    exceptions: tuple[ExceptionEntry, ...]
    lines: tuple[tuple[int, int], ...]  # (start offset, line), sorted by offset

    def line_at(self, offset: int) -> int | None:
        line = None
        for start, number in self.lines:
            if start > offset:
                break
            line = number
        return line


@attrs.frozen
class FieldInfo:
    access: int
    name: str
    descriptor: str
    constant: Any  # ConstantValue of a static final field, or None

    @property
    def static(self) -> bool:
        return bool(self.access & ACC_STATIC)


@attrs.frozen
class MethodInfo:
    access: int
    name: str
    descriptor: str
    code: Code | None

    @property
    def static(self) -> bool:
        return bool(self.access & ACC_STATIC)


@attrs.frozen
class ClassFile:
    major: int
    access: int
    name: str  # internal form, com/example/Wallet
    super_name: str | None
    interfaces: tuple[str, ...]
    fields: tuple[FieldInfo, ...]
    methods: tuple[MethodInfo, ...]
    pool: tuple[Any, ...]  # index -> (tag, value...) or None
    source_file: str | None

    @property
    def java_name(self) -> str:
        return self.name.replace("/", ".")

    @property
    def is_interface(self) -> bool:
        return bool(self.access & ACC_INTERFACE)


class _Reader:
    __slots__ = ("data", "pos", "where")

    def __init__(self, data: bytes, where: str) -> None:
        self.data = data
        self.pos = 0
        self.where = where

    def need(self, count: int) -> None:
        if count < 0 or self.pos + count > len(self.data):
            raise JavaClassError(f"truncated class file: {count} bytes needed at byte {self.pos}"
                                 f" of {len(self.data)}", class_name=self.where)

    def u1(self) -> int:
        self.need(1)
        self.pos += 1
        return self.data[self.pos - 1]

    def u2(self) -> int:
        self.need(2)
        value = (self.data[self.pos] << 8) | self.data[self.pos + 1]
        self.pos += 2
        return value

    def u4(self) -> int:
        self.need(4)
        value = int.from_bytes(self.data[self.pos:self.pos + 4], "big")
        self.pos += 4
        return value

    def take(self, count: int) -> bytes:
        self.need(count)
        self.pos += count
        return bytes(self.data[self.pos - count:self.pos])

    def count(self, item_size: int) -> int:
        """A u2 count of items of at least ``item_size`` bytes each, checked against the bytes
        left."""
        value = self.u2()
        self.need(value * item_size)
        return value


def _utf8(raw: bytes, where: str) -> str:
    # Modified UTF-8 (JVM §4.4.7): NUL as C0 80 and surrogate pairs; names Java Card code uses
    # are ASCII, so decoding with surrogatepass after mapping C0 80 is enough.
    try:
        return raw.replace(b"\xc0\x80", b"\x00").decode("utf-8", "surrogatepass")
    except UnicodeDecodeError as exc:
        raise JavaClassError(f"malformed constant string: {exc}", class_name=where) from exc


def _read_pool(reader: _Reader) -> list[Any]:
    count = reader.u2()
    if count == 0:
        raise JavaClassError("constant pool count 0", class_name=reader.where)
    reader.need((count - 1) * 3)  # every entry is at least a tag and two bytes
    pool: list[Any] = [None] * count
    index = 1
    while index < count:
        tag = reader.u1()
        if tag == UTF8:
            pool[index] = (UTF8, _utf8(reader.take(reader.u2()), reader.where))
        elif tag == INTEGER:
            pool[index] = (INTEGER, struct.unpack(">i", reader.take(4))[0])
        elif tag == FLOAT:
            pool[index] = (FLOAT, reader.take(4))
        elif tag in (LONG, DOUBLE):
            pool[index] = (tag, reader.take(8))
            index += 1  # eight-byte constants take two slots
        elif tag in (CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE):
            pool[index] = (tag, reader.u2())
        elif tag in (FIELDREF, METHODREF, IMETHODREF, NAME_AND_TYPE, DYNAMIC, INVOKE_DYNAMIC):
            pool[index] = (tag, reader.u2(), reader.u2())
        elif tag == METHOD_HANDLE:
            pool[index] = (tag, reader.u1(), reader.u2())
        else:
            raise JavaClassError(f"unknown constant pool tag {tag} at entry {index}",
                                 class_name=reader.where)
        index += 1
    return pool


class _Pool:
    """Typed access to a constant pool; every lookup checks index and tag."""

    def __init__(self, entries: list[Any], where: str) -> None:
        self.entries = entries
        self.where = where

    def entry(self, index: int, *tags: int) -> Any:
        if not 0 < index < len(self.entries) or self.entries[index] is None:
            raise JavaClassError(f"bad constant pool index {index}", class_name=self.where)
        value = self.entries[index]
        if tags and value[0] not in tags:
            raise JavaClassError(f"constant pool entry {index} has tag {value[0]}, expected "
                                 f"{'/'.join(map(str, tags))}", class_name=self.where)
        return value

    def utf8(self, index: int) -> str:
        return self.entry(index, UTF8)[1]

    def class_name(self, index: int) -> str:
        return self.utf8(self.entry(index, CLASS)[1])

    def name_and_type(self, index: int) -> tuple[str, str]:
        _, name, descriptor = self.entry(index, NAME_AND_TYPE)
        return self.utf8(name), self.utf8(descriptor)

    def member(self, index: int, *tags: int) -> tuple[str, str, str]:
        """(class, name, descriptor) of a Fieldref / Methodref / InterfaceMethodref."""
        _, owner, nat = self.entry(index, *tags)
        return (self.class_name(owner), *self.name_and_type(nat))

    def constant(self, index: int) -> tuple[int, Any]:
        """An ``ldc`` operand: (tag, value); strings resolved to their text."""
        value = self.entry(index)
        if value[0] == STRING:
            return STRING, self.utf8(value[1])
        if value[0] == CLASS:
            return CLASS, self.utf8(value[1])
        return value[0], value[1]


def _skip_attributes(reader: _Reader) -> None:
    for _ in range(reader.count(6)):
        reader.u2()
        reader.take(reader.u4())


def _read_code(body: bytes, pool: _Pool, where: str) -> Code:
    reader = _Reader(body, where)
    max_stack, max_locals = reader.u2(), reader.u2()
    length = reader.u4()
    if not 0 < length < 65536:
        raise JavaClassError(f"code length {length} is outside 1..65535", class_name=where)
    bytecode = reader.take(length)
    handlers = []
    for _ in range(reader.count(8)):
        start, end, handler, catch = reader.u2(), reader.u2(), reader.u2(), reader.u2()
        if not (start < end <= length and handler < length):
            raise JavaClassError(f"exception table entry {start}..{end}->{handler} is outside "
                                 "the code", class_name=where)
        handlers.append(ExceptionEntry(start, end, handler,
                                       pool.class_name(catch) if catch else None))
    lines: list[tuple[int, int]] = []
    for _ in range(reader.count(6)):
        name = pool.utf8(reader.u2())
        attribute = reader.take(reader.u4())
        if name == "LineNumberTable":
            table = _Reader(attribute, where)
            for _ in range(table.count(4)):
                lines.append((table.u2(), table.u2()))
    lines.sort()
    return Code(max_stack, max_locals, bytecode, tuple(handlers), tuple(lines))


def parse_class(data: bytes, origin: str = "<class file>") -> ClassFile:
    """Read one class file; ``origin`` names it in errors until its own name is known."""
    if len(data) > MAX_CLASS_BYTES:
        raise JavaClassError(f"class file of {len(data)} bytes exceeds {MAX_CLASS_BYTES}",
                             class_name=origin)
    reader = _Reader(data, origin)
    if reader.u4() != MAGIC:
        raise JavaClassError("not a class file (bad magic)", class_name=origin)
    minor, major = reader.u2(), reader.u2()
    if not MIN_MAJOR <= major <= MAX_MAJOR:
        raise JavaClassError(f"class file version {major}.{minor} is not supported (51..65: "
                             "javac --release 7 to 21)", class_name=origin)
    pool = _Pool(_read_pool(reader), origin)
    access = reader.u2()
    name = pool.class_name(reader.u2())
    reader.where = pool.where = name.replace("/", ".")
    super_index = reader.u2()
    super_name = pool.class_name(super_index) if super_index else None
    interfaces = tuple(pool.class_name(reader.u2()) for _ in range(reader.count(2)))
    fields = []
    for _ in range(reader.count(8)):
        field_access, field_name, descriptor = reader.u2(), pool.utf8(reader.u2()), \
            pool.utf8(reader.u2())
        constant = None
        for _ in range(reader.count(6)):
            attribute_name = pool.utf8(reader.u2())
            body = reader.take(reader.u4())
            if attribute_name == "ConstantValue" and len(body) == 2:
                tag, value = pool.constant(int.from_bytes(body, "big"))
                constant = value if tag == INTEGER else None
        fields.append(FieldInfo(field_access, field_name, descriptor, constant))
    methods = []
    for _ in range(reader.count(8)):
        method_access, method_name, descriptor = reader.u2(), pool.utf8(reader.u2()), \
            pool.utf8(reader.u2())
        code = None
        for _ in range(reader.count(6)):
            attribute_name = pool.utf8(reader.u2())
            body = reader.take(reader.u4())
            if attribute_name == "Code":
                if code is not None:
                    raise JavaClassError(f"{method_name} has two Code attributes",
                                         class_name=reader.where)
                code = _read_code(body, pool, f"{reader.where}.{method_name}")
        methods.append(MethodInfo(method_access, method_name, descriptor, code))
    source_file = None
    for _ in range(reader.count(6)):
        attribute_name = pool.utf8(reader.u2())
        body = reader.take(reader.u4())
        if attribute_name == "SourceFile" and len(body) == 2:
            source_file = pool.utf8(int.from_bytes(body, "big"))
    if reader.pos != len(data):
        raise JavaClassError(f"{len(data) - reader.pos} bytes after the end of the class",
                             class_name=reader.where)
    return ClassFile(major, access, name, super_name, interfaces, tuple(fields), tuple(methods),
                     tuple(pool.entries), source_file)


def pool_view(classfile: ClassFile) -> _Pool:
    return _Pool(list(classfile.pool), classfile.java_name)


def read_jar(path: str) -> dict[str, bytes]:
    """The ``.class`` entries of a jar, by internal class name, within the size bounds."""
    classes: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as jar:
            entries = [e for e in jar.infolist() if e.filename.endswith(".class")
                       and not e.filename.startswith("META-INF/")]
            if len(entries) > MAX_JAR_ENTRIES:
                raise JavaClassError(f"{path}: {len(entries)} class entries exceed "
                                     f"{MAX_JAR_ENTRIES}")
            total = 0
            for entry in entries:
                if entry.file_size > MAX_CLASS_BYTES:
                    raise JavaClassError(f"{path}: {entry.filename} declares {entry.file_size}"
                                         f" bytes, more than {MAX_CLASS_BYTES}")
                total += entry.file_size
                if total > MAX_JAR_BYTES:
                    raise JavaClassError(f"{path}: more than {MAX_JAR_BYTES} bytes of classes")
                with jar.open(entry) as stream:
                    # Read one byte past the bound: a forged header cannot make us trust it.
                    data = stream.read(MAX_CLASS_BYTES + 1)
                if len(data) > MAX_CLASS_BYTES:
                    raise JavaClassError(f"{path}: {entry.filename} is larger than it declares")
                classes[entry.filename[:-len(".class")]] = data
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise JavaClassError(f"{path}: cannot read the jar: {exc}") from exc
    return classes
