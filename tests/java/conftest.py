"""Fixtures for the Java tests: the system javac compiles the Java sources during the run.

Every Java test skips with the reason when no javac is installed (Debian:
``openjdk-17-jdk-headless``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).parent / "programs"


def find_javac() -> str:
    javac = shutil.which("javac")
    if javac is None:
        pytest.skip("no javac on this machine (Debian: apt-get install openjdk-17-jdk-headless)")
    return javac


def compile_java(sources: list[Path], out: Path, classpath: list[Path] = (), release: str = "8",
                 ) -> Path:
    """Compile ``sources`` with the system javac into ``out``; returns ``out``."""
    command = [find_javac(), "--release", release, "-g", "-d", str(out)]
    if classpath:
        command += ["-cp", ":".join(str(p) for p in classpath)]
    result = subprocess.run([*command, *map(str, sources)], capture_output=True, text=True,
                            timeout=300)
    if result.returncode != 0:
        raise AssertionError(f"javac failed:\n{result.stdout}{result.stderr}")
    return out


def write_and_compile(tmp: Path, files: dict[str, str], classpath: list[Path] = (),
                      release: str = "8") -> Path:
    """Write ``{relative path: Java source}`` under ``tmp/src``, compile it to ``tmp/classes``."""
    paths = []
    for relative, text in files.items():
        path = tmp / "src" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(path)
    return compile_java(paths, tmp / "classes", classpath, release)


@pytest.fixture(scope="session")
def program_classes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plain Java programs of ``programs/`` (no Java Card API), compiled once."""
    out = tmp_path_factory.mktemp("programs")
    return compile_java(sorted(PROGRAMS.rglob("*.java")), out)


CARD_SOURCES = Path(__file__).parent / "cardsrc"


def compile_card_java(sources: list[Path], out: Path) -> Path:
    """Compile Java Card sources the way ``jcsim javac`` does (against jcsim's API alone)."""
    from jcsim.java import javac

    find_javac()
    return javac.compile_java(sources, out)


@pytest.fixture(scope="session")
def card_classes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Java test applets of ``cardsrc/``, compiled by ``jcsim javac``."""
    return compile_card_java(sorted(CARD_SOURCES.rglob("*.java")),
                             tmp_path_factory.mktemp("cardsrc"))
