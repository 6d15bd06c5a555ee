"""What Java Card refuses, checked when a class is loaded (Java Card 3 VM spec §2.2).

The Java Card virtual machine has no ``float``, ``double`` or ``long``, no strings, no threads
(``synchronized``, ``monitorenter``), no ``invokedynamic`` and no multi-dimensional arrays.
A class that uses any of them would not pass the converter; jcsim refuses it at load time with
a ``JavaClassError`` naming the class, the method, the bytecode offset and the source line, so
the applet author sees the line to change.
"""

from __future__ import annotations

from typing import Any

from jcsim.java.bytecode import NAMES, Instruction, decode
from jcsim.java.classes import _field_type_end, parse_descriptor
from jcsim.java.classfile import (
    ACC_NATIVE,
    ACC_SYNCHRONIZED,
    CLASS,
    FIELDREF,
    IMETHODREF,
    INTEGER,
    METHODREF,
    ClassFile,
    JavaClassError,
    MethodInfo,
    pool_view,
)

__all__ = ["check_class", "descriptor_problem"]

_WIDE_TYPES = {"J": "long", "F": "float", "D": "double"}
# Prefixes of opcode names that operate on long, float or double values.
_FORBIDDEN_PREFIXES = ("l", "f", "d")
_ALLOWED_NAMES = {"ldc", "ldc_w", "dup", "dup_x1", "dup_x2", "dup2", "dup2_x1", "dup2_x2",
                  "lookupswitch"}
_FORBIDDEN_CLASSES = {
    "java/lang/String": "String operations",
    "java/lang/StringBuilder": "String operations",
    "java/lang/StringBuffer": "String operations",
    "java/lang/Thread": "threads",
    "java/lang/Runnable": "threads",
    "java/lang/invoke/StringConcatFactory": "String operations",
    "java/lang/Long": "long values",
    "java/lang/Float": "float values",
    "java/lang/Double": "double values",
}


def _forbidden_opcode(opcode: int) -> str | None:
    name = NAMES[opcode]
    if name in ("monitorenter", "monitorexit"):
        return "threads (synchronized blocks)"
    if name == "invokedynamic":
        return "invokedynamic (lambdas, string concatenation)"
    if name == "multianewarray":
        return "multi-dimensional arrays"
    if name in ("jsr", "jsr_w", "ret"):
        return "jsr/ret subroutines"
    if name in ("caload", "castore", "i2c"):
        return "char values"
    if name == "ldc2_w" or name in ("i2l", "i2f", "i2d"):
        return "long, float and double values"
    if name not in _ALLOWED_NAMES and name[0] in _FORBIDDEN_PREFIXES:
        return f"{_WIDE_TYPES.get(name[0].upper(), 'wide')} values"
    return None


def _local_index(name: str, operands: tuple[Any, ...]) -> int | None:
    """The local variable an instruction reads or writes (bounds are checked at load, as a
    verifier would, so the interpreter never indexes past a frame)."""
    if name[1:5] in ("load", "stor") and name[0] in "ia":
        return int(name[-1]) if name[-2] == "_" else operands[0]
    if name == "iinc":
        return operands[0]
    return None


def _argument_slots(method: MethodInfo) -> int:
    return len(parse_descriptor(method.descriptor)[0]) + (0 if method.static else 1)


def descriptor_problem(descriptor: str) -> str | None:
    """Why a field or method descriptor is refused, or None."""
    index = 0
    while index < len(descriptor):
        char = descriptor[index]
        if char == "L":
            end = descriptor.find(";", index)
            if end < 0:
                return f"malformed descriptor {descriptor!r}"
            name = descriptor[index + 1:end]
            if name in _FORBIDDEN_CLASSES:
                return _FORBIDDEN_CLASSES[name]
            index = end + 1
            continue
        if char == "[" and descriptor[index + 1:index + 2] == "[":
            return "multi-dimensional arrays"
        if char in _WIDE_TYPES:
            return f"{_WIDE_TYPES[char]} values"
        if char == "C":
            return "char values"
        index += 1
    return None


def _check_method(classfile: ClassFile, method: MethodInfo, pool: Any) -> None:
    where = f"{method.name}{method.descriptor}"
    try:
        parse_descriptor(method.descriptor)
    except JavaClassError as exc:
        raise JavaClassError(exc.message, class_name=classfile.java_name,
                             method=method.name) from None
    problem = descriptor_problem(method.descriptor)
    if problem is None and method.access & ACC_SYNCHRONIZED:
        problem = "threads (synchronized methods)"
    if problem is None and method.access & ACC_NATIVE:
        problem = "native methods"
    if problem is not None:
        raise JavaClassError(f"Java Card does not support {problem}",
                             class_name=classfile.java_name, method=where)
    if method.code is None:
        return
    instructions: list[Instruction] = decode(method.code.bytecode, classfile.java_name)
    max_locals = method.code.max_locals
    slots = _argument_slots(method)
    if slots > max_locals:
        raise JavaClassError(f"max_locals {max_locals} is smaller than the {slots} argument "
                             "slots", class_name=classfile.java_name, method=where)
    for insn in instructions:
        problem = _forbidden_opcode(insn.opcode)
        name = NAMES[insn.opcode]
        local = _local_index(name, insn.operands)
        if local is not None and local >= max_locals:
            raise JavaClassError(f"{name} uses local {local} of {max_locals}",
                                 class_name=classfile.java_name, method=where,
                                 offset=insn.offset, line=method.code.line_at(insn.offset))
        if problem is None and name in ("ldc", "ldc_w"):
            tag, _value = pool.constant(insn.operands[0])
            if tag != INTEGER:
                problem = {CLASS: "class literals"}.get(tag, "String, float and other "
                                                        "non-int constants")
        if problem is None and name in ("getstatic", "putstatic", "getfield", "putfield"):
            owner, _field, descriptor = pool.member(insn.operands[0], FIELDREF)
            if _field_type_end(descriptor, 0) != len(descriptor):
                problem = f"the malformed field descriptor {descriptor!r}"
            else:
                problem = _FORBIDDEN_CLASSES.get(owner) or descriptor_problem(descriptor)
        if problem is None and name.startswith("invoke"):
            owner, _method, descriptor = pool.member(insn.operands[0], METHODREF, IMETHODREF)
            try:
                parse_descriptor(descriptor)
            except JavaClassError:
                problem = f"the malformed method descriptor {descriptor!r}"
            else:
                problem = _FORBIDDEN_CLASSES.get(owner) or descriptor_problem(descriptor)
        if problem is None and name in ("new", "anewarray", "checkcast", "instanceof"):
            target = pool.class_name(insn.operands[0])
            if name == "anewarray" and target.startswith("["):
                problem = "multi-dimensional arrays"
            else:
                problem = _FORBIDDEN_CLASSES.get(target.lstrip("[").removeprefix("L")
                                                 .removesuffix(";"))
                if problem is None and target.lstrip("[")[:1] in _WIDE_TYPES \
                        and target.startswith("["):
                    problem = descriptor_problem(target)
        if problem is None and name == "newarray" and insn.operands[0] not in (4, 8, 9, 10):
            problem = {5: "char values", 6: "float values", 7: "double values",
                       11: "long values"}.get(insn.operands[0], "unknown array types")
        if problem is not None:
            raise JavaClassError(f"Java Card does not support {problem} ({name})",
                                 class_name=classfile.java_name, method=where,
                                 offset=insn.offset, line=method.code.line_at(insn.offset))


def check_class(classfile: ClassFile) -> None:
    """Raise ``JavaClassError`` if ``classfile`` uses what Java Card forbids."""
    for field in classfile.fields:
        if _field_type_end(field.descriptor, 0) != len(field.descriptor):
            raise JavaClassError(f"malformed field descriptor {field.descriptor!r}",
                                 class_name=classfile.java_name)
        problem = descriptor_problem(field.descriptor)
        if problem is not None:
            raise JavaClassError(f"Java Card does not support {problem} (field {field.name})",
                                 class_name=classfile.java_name)
    if classfile.super_name in _FORBIDDEN_CLASSES:
        problem = _FORBIDDEN_CLASSES[classfile.super_name]
        raise JavaClassError(f"Java Card does not support {problem}",
                             class_name=classfile.java_name)
    pool = pool_view(classfile)
    for method in classfile.methods:
        _check_method(classfile, method, pool)
