"""`jcsim javac` and jcsim's Java source of the Java Card API, with the real javac.

Every test here needs a JDK's javac and skips with the reason where there is none (Debian:
``openjdk-17-jdk-headless``, which scripts/test.sh installs as root).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from jcsim.cli import main
from jcsim.errors import JCSimError
from jcsim.java.classfile import (
    ACC_ABSTRACT,
    ACC_INTERFACE,
    ACC_PROTECTED,
    ACC_PUBLIC,
    ACC_STATIC,
    parse_class,
)
from jcsim.java.javac import (
    API_SOURCE_DIR,
    JavacError,
    api_classes_dir,
    compile_java,
    javac_command,
)

APPLETS = Path(__file__).parent / "java" / "applets"

needs_javac = pytest.mark.skipif(
    shutil.which("javac") is None or shutil.which("javap") is None,
    reason="no javac/javap on this machine (Debian: apt-get install openjdk-17-jdk-headless)")

pytestmark = needs_javac


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                  request: pytest.FixtureRequest) -> None:
    """Tests that inspect the cache get their own; the others share one per session."""
    if "fresh_cache" in request.fixturenames:
        return
    monkeypatch.setenv("JCSIM_CACHE_DIR", str(_session_cache(tmp_path_factory)))


_SESSION_CACHE: list[Path] = []


def _session_cache(factory: pytest.TempPathFactory) -> Path:
    if not _SESSION_CACHE:
        _SESSION_CACHE.append(factory.mktemp("jcsim-cache"))
    return _SESSION_CACHE[0]


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("JCSIM_CACHE_DIR", str(cache))
    return cache


def class_major_version(path: Path) -> int:
    data = path.read_bytes()
    assert data[:4] == b"\xca\xfe\xba\xbe", path
    return int.from_bytes(data[6:8], "big")


def javap(*arguments: str) -> str:
    result = subprocess.run(["javap", *arguments], capture_output=True, text=True, check=True)
    return result.stdout


# -- the API is compiled once, cached, reused, rebuilt when its source changes ---------------

def test_the_api_compiles_into_the_cache_as_class_version_52(fresh_cache: Path) -> None:
    classes = api_classes_dir()
    assert classes.is_relative_to(fresh_cache)
    files = sorted(classes.rglob("*.class"))
    assert {"javacard/framework/Applet.class", "java/lang/Object.class",
            "javacard/security/Signature$OneShot.class", "javacardx/apdu/ExtendedLength.class",
            "java/rmi/Remote.class"} <= {f.relative_to(classes).as_posix() for f in files}
    assert {class_major_version(f) for f in files} == {52}


def test_a_second_use_reuses_the_cached_api(fresh_cache: Path) -> None:
    first = api_classes_dir()
    applet_class = first / "javacard" / "framework" / "Applet.class"
    stamp = applet_class.stat().st_mtime_ns
    second = api_classes_dir()
    assert second == first
    assert applet_class.stat().st_mtime_ns == stamp
    assert len(list((fresh_cache / "java-api").iterdir())) == 1


def test_an_edited_api_source_is_compiled_again(fresh_cache: Path, tmp_path: Path) -> None:
    source = tmp_path / "api"
    shutil.copytree(API_SOURCE_DIR, source)
    before = api_classes_dir(source)
    iso = source / "javacard" / "framework" / "ISO7816.java"
    iso.write_text(iso.read_text().replace("SW_UNKNOWN = (short) 0x6F00",
                                           "SW_UNKNOWN = (short) 0x6F01"))
    after = api_classes_dir(source)
    assert after != before
    old = javap("-constants", str(before / "javacard" / "framework" / "ISO7816.class"))
    new = javap("-constants", str(after / "javacard" / "framework" / "ISO7816.class"))
    assert "SW_UNKNOWN = 28416;" in old
    assert "SW_UNKNOWN = 28417;" in new


def test_two_processes_building_the_api_at_once_share_one_complete_copy(
        fresh_cache: Path) -> None:
    program = ("import sys; from jcsim.java.javac import api_classes_dir; "
               "print(api_classes_dir())")
    environment = {**os.environ, "JCSIM_CACHE_DIR": str(fresh_cache),
                   "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    workers = [subprocess.Popen([sys.executable, "-c", program], env=environment, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for _ in range(2)]
    outputs = [worker.communicate(timeout=300) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    paths = {Path(out.strip()) for out, _ in outputs}
    assert len(paths) == 1
    entries = sorted(p.name for p in (fresh_cache / "java-api").iterdir())
    assert len(entries) == 1 and not entries[0].startswith("."), entries
    assert (paths.pop() / "javacard" / "framework" / "Applet.class").is_file()


def test_two_threads_building_the_api_at_once_share_one_complete_copy(
        fresh_cache: Path) -> None:
    barrier = threading.Barrier(2)
    results: list[Path | BaseException] = []

    def build() -> None:
        barrier.wait()
        try:
            results.append(api_classes_dir())
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            results.append(error)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and results[0] == results[1], results
    assert len(list((fresh_cache / "java-api").iterdir())) == 1


def test_a_build_abandoned_long_ago_is_removed_and_a_recent_one_kept(
        fresh_cache: Path, tmp_path: Path) -> None:
    (fresh_cache / "java-api").mkdir(parents=True)
    abandoned = fresh_cache / "java-api" / ".build-abandoned"
    running = fresh_cache / "java-api" / ".build-running"
    for directory in (abandoned, running):
        (directory / "classes").mkdir(parents=True)
    two_hours_ago = time.time() - 7200
    os.utime(abandoned, (two_hours_ago, two_hours_ago))
    source = tmp_path / "api"
    shutil.copytree(API_SOURCE_DIR, source)
    api_classes_dir(source)
    assert not abandoned.exists()
    assert running.exists()


def test_an_unwritable_cache_says_which_setting_to_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("JCSIM_CACHE_DIR", str(blocker / "cache"))
    source = tmp_path / "api"
    shutil.copytree(API_SOURCE_DIR, source)
    with pytest.raises(JCSimError, match="JCSIM_CACHE_DIR"):
        api_classes_dir(source)
    assert main(["javac", "-d", str(tmp_path), "A.java"]) == 2
    assert "set JCSIM_CACHE_DIR to a writable directory" in capsys.readouterr().err


# -- compiling applets --------------------------------------------------------------------

def test_applet_code_sees_only_the_java_card_api(tmp_path: Path) -> None:
    source = tmp_path / "src" / "p" / "Uses.java"
    source.parent.mkdir(parents=True)
    source.write_text("package p;\npublic class Uses { Object o = java.util.Collections.EMPTY_LIST;"
                      " short n() { return (short) \"text\".length(); } }\n")
    with pytest.raises(JavacError) as caught:
        compile_java([source], tmp_path / "classes")
    assert "java.util" in caught.value.output
    assert "class file for java.lang.String not found" in caught.value.output


def test_the_command_puts_the_api_first_and_the_user_arguments_last() -> None:
    command = javac_command(["-d", "out", "A.java"])
    boot = command.index("-bootclasspath")
    assert Path(command[boot + 1]) == api_classes_dir()
    assert command[-3:] == ["-d", "out", "A.java"]
    assert command[command.index("-target") + 1] == "8"


def applet_sources() -> list[Path]:
    return sorted(p for p in APPLETS.iterdir() if p.is_dir() and any(p.rglob("*.java")))


@pytest.mark.parametrize("applet", applet_sources(), ids=lambda p: p.name)
def test_jcsim_javac_compiles_each_test_applet_to_class_version_52(
        applet: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "classes"
    sources = [str(p) for p in sorted(applet.rglob("*.java"))]
    assert main(["javac", "-Werror", "-d", str(out), *sources]) == 0, \
        capfd.readouterr().err
    classes = sorted(out.rglob("*.class"))
    assert len(classes) >= len(sources)
    assert {class_major_version(c) for c in classes} == {52}
    # Compiled with -g: every method with code names its source lines and its locals.
    listing = javap("-c", "-l", "-p", *map(str, classes))
    assert listing.count("Code:") == listing.count("LineNumberTable:") > 0
    assert "LocalVariableTable:" in listing


def test_jcsim_javac_passes_javac_failures_through(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "Broken.java"
    source.write_text("class Broken { void f() { undefined(); } }\n")
    assert main(["javac", "-d", str(tmp_path), str(source)]) == 1
    assert "cannot find symbol" in capfd.readouterr().err


# -- one API: the Java declarations and the Python implementation agree -----------------------

PYTHON_PACKAGE = {
    "java.lang": "jcsim.lang",
    "java.io": "jcsim.lang",
    "java.rmi": "jcsim.rmi",
    "javacard.framework": "jcsim.framework",
    "javacard.framework.service": "jcsim.framework.service",
    "javacard.security": "jcsim.security",
    "javacardx.crypto": "jcsim.crypto",
    "javacardx.apdu": "jcsim.framework",
    "javacardx.apdu.util": "jcsim.x.apdu.util",
    "javacardx.framework.util": "jcsim.x.framework.util",
    "javacardx.framework.util.intx": "jcsim.x.framework.util.intx",
    "javacardx.framework.tlv": "jcsim.x.framework.tlv",
    "javacardx.framework.string": "jcsim.x.framework.string",
    "javacardx.framework.math": "jcsim.x.framework.math",
    "javacardx.external": "jcsim.x.external",
    "javacardx.biometry": "jcsim.x.biometry",
}

# Declared by the Java Card API source but with no Python class of their own: the class loader
# provides these itself.
NOT_IMPLEMENTED_CLASSES = {
    "java.lang.Object",  # the root of Java classes, provided by the class loader itself
    "java.lang.Error",  # package-private: javac needs it to tell unchecked exceptions
}
NOT_IMPLEMENTED_MEMBERS: set[tuple[str, str]] = set()
# Java methods whose Python counterpart has another spelling because Python has no overloads
# or reserves the name; equals() is Python's __eq__ where Java compares objects.
PYTHON_SPELLING = {"equals": ("equals", "__eq__")}

WIDTH = {"byte": 8, "short": 16, "int": 32, "boolean": 1}


def declared_api() -> dict[str, dict[str, list]]:
    """Public constants and methods of every compiled API class, read back with javap."""
    classes = api_classes_dir()
    files = sorted(str(p) for p in classes.rglob("*.class"))
    listing = javap("-constants", "-protected", *files)
    api: dict[str, dict[str, list]] = {}
    current = None
    header = re.compile(r"^(?:\w+ )*(?:class|interface) ([\w.$]+)")
    constant = re.compile(r"^\s+public static final (\w+) (\w+) = (-?\d+|true|false);$")
    method = re.compile(r"^\s+(?:[\w.$\[\]]+ )+(\w+)\(")
    for line in listing.splitlines():
        if match := header.match(line):
            current = api.setdefault(match[1], {"constants": [], "methods": []})
        elif current is not None and (match := constant.match(line)):
            value = {"true": 1, "false": 0}.get(match[3], None)
            current["constants"].append((match[1], match[2], int(match[3]) if value is None
                                         else value))
        elif current is not None and (match := method.match(line)) and "(" in line:
            current["methods"].append(match[1])
    return api


def python_twin(java_name: str) -> object | None:
    package, _, name = java_name.rpartition(".")
    module = PYTHON_PACKAGE.get(package)
    if module is None:
        return None
    target: object | None = importlib.import_module(module)
    for part in name.split("$"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


@pytest.fixture(scope="module")
def java_api() -> dict[str, dict[str, list]]:
    return declared_api()


def test_the_api_declares_every_class_of_the_packages_it_covers(java_api: dict) -> None:
    assert len(java_api) == 87 + 23  # + the javacardx extension packages
    assert NOT_IMPLEMENTED_CLASSES <= set(java_api)


def test_every_declared_class_has_a_python_implementation(java_api: dict) -> None:
    missing = {name for name in java_api if python_twin(name) is None}
    assert missing == NOT_IMPLEMENTED_CLASSES


def test_every_declared_constant_has_the_same_value_in_python(java_api: dict) -> None:
    checked = 0
    mismatches = []
    for name, members in java_api.items():
        twin = python_twin(name)
        if twin is None:
            continue
        for java_type, constant, value in members["constants"]:
            if (name, constant) in NOT_IMPLEMENTED_MEMBERS:
                assert not hasattr(twin, constant), f"{name}.{constant} is implemented now"
                continue
            python_value = getattr(twin, constant, None)
            bits = WIDTH[java_type]
            # Python keeps byte and status-word constants unsigned (0xA4, 0x9000); Java's are
            # signed: the same bits, and within the Java type's range either way.
            if (not isinstance(python_value, int)
                    or not -(1 << (bits - 1)) <= python_value < (1 << bits)
                    or (python_value - value) % (1 << bits) != 0):
                mismatches.append(f"{name}.{constant}: Java {value}, Python {python_value}")
            checked += 1
    assert mismatches == []
    assert checked > 350


def test_every_declared_method_exists_in_python(java_api: dict) -> None:
    missing = []
    for name, members in java_api.items():
        twin = python_twin(name)
        if twin is None:
            continue
        for method in members["methods"]:
            spellings = PYTHON_SPELLING.get(method, (method,))
            if (name, method) not in NOT_IMPLEMENTED_MEMBERS and not any(
                    hasattr(twin, spelling) for spelling in spellings):
                missing.append(f"{name}.{method}")
    assert missing == []


# -- the same names and descriptors as Oracle's api_classic.jar ---------------------------

def javap_members(root: Path, relatives: list[Path]) -> dict[str, list[str]]:
    """Each class's members as javap prints them, in the form of the stored vector."""
    text = javap("-constants", "-p", *(str(root / relative) for relative in relatives))
    classes: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("Compiled from") or "serialVersionUID" in line \
                or "static {}" in line or line == "}":
            continue
        if not line.startswith(" "):
            classes.append([])
        classes[-1].append(re.sub(r"\b(native|synchronized) ", "", line).strip())
    assert len(classes) == len(relatives)
    return {relative.with_suffix("").as_posix(): sorted(members)
            for relative, members in zip(relatives, classes)}


def test_the_api_declares_what_oracles_api_classic_jar_declares_member_for_member(
        vectors: Any) -> None:
    """Names, descriptors, modifiers, hierarchy and constant values, class by class."""
    oracle = vectors.load("java_card_api_3_0_5")["classes"]
    ours = api_classes_dir()
    relatives = sorted(p.relative_to(ours) for p in ours.rglob("*.class"))
    # The stored listing covers the packages of api_classic.jar's core; the javacardx extension
    # packages are compared with the kit's export files below.
    covered = {name.rpartition("/")[0] for name in oracle}
    relatives = [r for r in relatives if r.parent.as_posix() in covered]
    mine = javap_members(ours, relatives)
    assert sorted(mine) == sorted(oracle)
    differences = {name: sorted(set(mine[name]) ^ set(oracle[name])) for name in mine
                   if mine[name] != oracle[name]}
    assert differences == {}


def export_view(classes: dict[str, Any], name: str) -> dict[str, Any]:
    """A compiled class as the kit's export file lists it (JCVM 3.0.5 §5.7): public and protected
    constants and methods, with the virtual methods it inherits and the chain of superclasses."""
    own = classes[name]
    is_interface = bool(own.access & ACC_INTERFACE)

    def visible(access: int) -> bool:
        return bool(access & (ACC_PUBLIC | ACC_PROTECTED))

    methods: dict[str, str] = {}
    for method in own.methods:
        if visible(method.access) and method.name != "<clinit>":
            modifiers = ("static " if method.access & ACC_STATIC else "") + (
                "abstract " if method.access & ACC_ABSTRACT else "")
            methods[method.name + method.descriptor] = modifiers
    # Inherited virtual methods: up the superclasses, or through the superinterfaces.
    queue = list(own.interfaces) if is_interface else [own.super_name]
    supers: list[str] = []
    while queue:
        parent = classes[queue.pop(0)]
        if not is_interface:
            supers.insert(0, parent.name)
            if parent.super_name:
                queue.append(parent.super_name)
        else:
            queue.extend(parent.interfaces)
        for method in parent.methods:
            key = method.name + method.descriptor
            if (visible(method.access) and not method.access & ACC_STATIC
                    and method.name != "<init>" and key not in methods):
                methods[key] = "abstract " if method.access & ACC_ABSTRACT else ""
    # Every interface it implements, also through superinterfaces and superclasses.
    interfaces: set[str] = set()
    pending = list(own.interfaces) + [c for c in supers if c != "java/lang/Object"]
    while pending:
        entry = classes[pending.pop()]
        if entry.access & ACC_INTERFACE and entry.name not in interfaces:
            interfaces.add(entry.name)
        pending.extend(entry.interfaces)
    fields = {field.name: [field.descriptor, int(field.constant)] for field in own.fields
              if visible(field.access) and field.constant is not None}
    kind = "interface" if is_interface else (
        "abstract class" if own.access & ACC_ABSTRACT else "class")
    return {"fields": fields, "interfaces": sorted(interfaces), "kind": kind,
            "methods": sorted(modifiers + key for key, modifiers in methods.items()),
            "supers": ["java/lang/Object"] if is_interface else supers}


def test_every_package_declares_what_the_kits_export_files_declare() -> None:
    """Names, descriptors, static/abstract, hierarchy, interfaces and constant values of every
    class of every javacard.* and javacardx.* package, against the 3.0.5 kit's export files (the
    stored api_classic.jar listing above covers only the core packages)."""
    listing = json.loads((Path(__file__).parent / "api" / "javacard_api.json").read_text())
    ours = api_classes_dir()
    classes = {p.relative_to(ours).with_suffix("").as_posix(): parse_class(p.read_bytes())
               for p in ours.rglob("*.class")}
    compared = 0
    assert len(listing["packages"]) == 13
    for package, expected in listing["packages"].items():
        prefix = package.replace(".", "/") + "/"
        mine = {name[len(prefix):] for name in classes
                if name.startswith(prefix) and "/" not in name[len(prefix):]}
        assert mine == set(expected), package
        for simple, entry in expected.items():
            view = export_view(classes, prefix + simple)
            wanted = {key: sorted(value) if key in ("methods", "interfaces") else value
                      for key, value in entry.items()}
            assert view == wanted, prefix + simple
            compared += 1
    assert compared == 94


def test_the_stored_members_are_those_of_oracles_jar(tmp_path: Path, vectors: Any) -> None:
    """Run with JCSIM_API_CLASSIC_JAR=/path/to/java_card_kit-3_0_5u3/lib/api_classic.jar."""
    jar = os.environ.get("JCSIM_API_CLASSIC_JAR")
    if not jar:
        pytest.skip("set JCSIM_API_CLASSIC_JAR to Oracle's 3.0.5 api_classic.jar to compare")
    oracle = tmp_path / "oracle"
    with zipfile.ZipFile(jar) as archive:
        archive.extractall(oracle)
    stored = vectors.load("java_card_api_3_0_5")["classes"]
    relatives = [Path(name + ".class") for name in sorted(stored)]
    assert javap_members(oracle, relatives) == stored


def test_python_compile_api_returns_the_output_directory(tmp_path: Path) -> None:
    source = tmp_path / "p" / "Ok.java"
    source.parent.mkdir()
    source.write_text("package p;\nimport javacard.framework.*;\n"
                      "public class Ok { short sw = ISO7816.SW_NO_ERROR; }\n")
    out = compile_java([source], tmp_path / "out")
    assert out == tmp_path / "out"
    # javac inlined the constant from our ISO7816: 0x9000 as a short is -28672.
    assert "-28672" in javap("-c", "-p", str(out / "p" / "Ok.class"))



def test_an_applet_compiled_against_oracles_jar_runs_as_one_compiled_by_jcsim_javac(
        tmp_path: Path) -> None:
    """Run with JCSIM_API_CLASSIC_JAR=/path/to/java_card_kit-3_0_5/lib/api_classic.jar."""
    jar = os.environ.get("JCSIM_API_CLASSIC_JAR")
    if not jar:
        pytest.skip("set JCSIM_API_CLASSIC_JAR to Oracle's 3.0.5 api_classic.jar to compare")
    from jcsim import Simulator
    from jcsim.java import JavaClasspath

    sources = [str(p) for p in sorted((APPLETS / "echo").rglob("*.java"))]
    oracle = tmp_path / "oracle"
    subprocess.run(["javac", "-source", "8", "-target", "8", "-g", "-Xlint:-options",
                    "-bootclasspath", jar, "-d", str(oracle), *sources],
                   check=True, capture_output=True)
    ours = compile_java(sources, tmp_path / "ours")
    commands = ["80 01 00 00 03 0A0B0C 00", "80 02 00 00 00", "80 03 01 05 00", "80 7F 00 00",
                bytes.fromhex("80010000 000FA0") + bytes(range(256)) * 15 + bytes(160) + b"\0\0"]
    transcripts = []
    for classes in (oracle, ours):
        sim = Simulator()
        sim.install(JavaClasspath([classes])["com.example.echo.Echo"], "F0 00 00 00 01 01")
        transcripts.append([sim.select("F00000000101")] + [sim.transmit(c) for c in commands])
    assert transcripts[0] == transcripts[1]
    assert [r.sw for r in transcripts[0]] == [0x9000, 0x9000, 0x9000, 0x9000, 0x6D00, 0x9000]
