"""Class files and jars are hostile input: a clear ``JavaClassError``, never a crash or an
unbounded allocation (JVM spec SE 8 ch. 4)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim.java import JavaClassError, JavaClasspath, JavaLinkError
from jcsim.java.checker import check_class
from jcsim.java.classfile import parse_class, read_jar
from tests.java.conftest import compile_java, write_and_compile


@pytest.fixture(scope="module")
def ops_bytes(program_classes: Path) -> bytes:
    return (program_classes / "jtest" / "Ops.class").read_bytes()


def test_a_javac_class_reads_back_its_parts(ops_bytes: bytes) -> None:
    classfile = parse_class(ops_bytes)
    assert classfile.name == "jtest/Ops" and classfile.major == 52
    assert classfile.super_name == "java/lang/Object"
    assert classfile.source_file == "Ops.java"
    add = next(m for m in classfile.methods if m.name == "add")
    assert add.descriptor == "(II)I" and add.static
    assert add.code is not None and add.code.bytecode == bytes([0x1A, 0x1B, 0x60, 0xAC])
    assert add.code.lines and add.code.line_at(0) == add.code.lines[0][1]


@pytest.mark.parametrize("release", ["8", "11", "17"])
def test_every_supported_release_loads(tmp_path: Path, release: str) -> None:
    classes = write_and_compile(tmp_path, {"r/Twice.java": "package r;\npublic class Twice {\n"
                                           "public static int twice(int a) { return a * 2; } }"},
                                release=release)
    assert JavaClasspath([classes])["r.Twice"].twice(21) == 42


def test_every_truncation_is_a_clear_error(ops_bytes: bytes) -> None:
    for length in range(len(ops_bytes)):
        with pytest.raises(JavaClassError):
            parse_class(ops_bytes[:length])


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_corruption_never_escapes_as_another_error(ops_bytes: bytes,
                                                          data: st.DataObject) -> None:
    corrupted = bytearray(ops_bytes)
    for _ in range(data.draw(st.integers(1, 8))):
        corrupted[data.draw(st.integers(0, len(corrupted) - 1))] = data.draw(st.integers(0, 255))
    try:
        check_class(parse_class(bytes(corrupted)))
    except JavaClassError as exc:
        assert str(exc)


def _header(pool_count: int) -> bytes:
    return struct.pack(">IHHH", 0xCAFEBABE, 0, 52, pool_count)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "truncated"),
    (b"\xde\xad\xbe\xef" + bytes(20), "bad magic"),
    (struct.pack(">IHH", 0xCAFEBABE, 0, 50) + bytes(20), "version 50.0"),
    (struct.pack(">IHH", 0xCAFEBABE, 0, 66) + bytes(20), "version 66.0"),
    (_header(0xFFFF) + b"\x01\x00\x01A", "truncated"),  # a huge pool count, four bytes of pool
    (_header(2) + b"\x01\xff\xffA", "truncated"),  # a string longer than the file
    (_header(2) + b"\x63\x00\x00", "unknown constant pool tag 99"),
    # this_class names a Class entry whose name index is outside the pool.
    (_header(2) + b"\x07\x00\x05" + b"\x00\x21\x00\x01" + bytes(8), "bad constant pool index 5"),
])
def test_forged_headers_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(JavaClassError, match=message):
        parse_class(data)


def test_huge_member_counts_are_refused_before_allocation(ops_bytes: bytes) -> None:
    classfile = parse_class(ops_bytes)
    # Forge the fields count (right after the interfaces) to 65535 in a short file.
    pool_end = ops_bytes.index(b"\x00\x21", 10)  # ACC_PUBLIC|ACC_SUPER ends the pool here
    assert classfile.access == 0x21
    forged = ops_bytes[:pool_end + 8] + b"\xff\xff" + ops_bytes[pool_end + 10:pool_end + 20]
    with pytest.raises(JavaClassError, match="truncated"):
        parse_class(forged)


def test_bad_bytecode_is_refused_at_load(tmp_path: Path, ops_bytes: bytes) -> None:
    add_code = bytes([0x1A, 0x1B, 0x60, 0xAC])
    at = ops_bytes.index(add_code)
    # An undefined opcode, then a branch into the middle of an instruction.
    for replacement in (bytes([0x1A, 0x1B, 0xFE, 0xAC]), bytes([0xA7, 0x00, 0x01, 0xAC])):
        forged = ops_bytes[:at] + replacement + ops_bytes[at + 4:]
        with pytest.raises(JavaClassError) as raised:
            check_class(parse_class(forged))
        assert raised.value.offset is not None


def test_jar_classes_load(tmp_path: Path, program_classes: Path) -> None:
    jar_path = tmp_path / "programs.jar"
    with zipfile.ZipFile(jar_path, "w") as jar:
        for path in program_classes.rglob("*.class"):
            jar.write(path, path.relative_to(program_classes).as_posix())
    assert "jtest/Ops" in read_jar(str(jar_path))
    assert JavaClasspath([jar_path])["jtest.Ops"].add(2, 3) == 5


def test_a_bad_jar_and_a_missing_path_are_clear_errors(tmp_path: Path) -> None:
    junk = tmp_path / "junk.jar"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(JavaClassError, match="cannot read the jar"):
        JavaClasspath([junk])
    with pytest.raises(JavaClassError, match="neither a directory nor a jar"):
        JavaClasspath([tmp_path / "missing"])


def test_a_missing_class_is_a_link_error_when_used(tmp_path: Path) -> None:
    lib = write_and_compile(tmp_path / "lib", {"p/Lib.java": "package p;\npublic class Lib {\n"
                                               "public static int one() { return 1; } }"})
    user = compile_java([_write(tmp_path / "user" / "p" / "User.java",
                                "package p;\npublic class User {\npublic static int two() {"
                                " return Lib.one() + 1; } }")],
                        tmp_path / "user-classes", [lib])
    assert JavaClasspath([user, lib])["p.User"].two() == 2
    with pytest.raises(JavaLinkError, match="p.Lib is not on the class path"):
        JavaClasspath([user])["p.User"].two()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_unverifiable_bytecode_fails_with_a_clear_error_when_run(tmp_path: Path,
                                                                 ops_bytes: bytes) -> None:
    from jcsim.java import JavaExecutionError

    add_code = bytes([0x1A, 0x1B, 0x60, 0xAC])
    at = ops_bytes.index(add_code)
    # iadd three times on a stack of two values: an underflow a verifier would refuse.
    forged = ops_bytes[:at] + bytes([0x1A, 0x60, 0x60, 0xAC]) + ops_bytes[at + 4:]
    (tmp_path / "jtest").mkdir()
    (tmp_path / "jtest" / "Ops.class").write_bytes(forged)
    ops = JavaClasspath([tmp_path])["jtest.Ops"]
    with pytest.raises(JavaExecutionError, match=r"jtest.Ops.add\(II\)I at bytecode offset 1"):
        ops.add(1, 2)
    assert ops.sub(5, 2) == 3  # the rest of the class still runs


def test_a_local_variable_past_max_locals_is_refused_at_load(ops_bytes: bytes) -> None:
    add_code = bytes([0x1A, 0x1B, 0x60, 0xAC])
    at = ops_bytes.index(add_code)
    # iload 9 in a method with two locals.
    forged = ops_bytes[:at] + bytes([0x15, 0x09, 0x60, 0xAC]) + ops_bytes[at + 4:]
    with pytest.raises(JavaClassError, match="iload uses local 9 of 2") as raised:
        check_class(parse_class(forged))
    assert raised.value.method == "add(II)I" and raised.value.offset == 0
