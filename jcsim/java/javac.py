"""Compile Java Card applets with the system javac against jcsim's Java Card API.

jcsim ships the Java source of the Java Card 3.0.5 Classic API's public signatures (classes,
methods, constants and type hierarchy; the bodies are empty because jcsim runs its Python
implementation) under ``jcsim/java/api/src``. A Java Card build compiles against that API
alone, the way Oracle's kit compiles against ``api_classic.jar``: it replaces the JDK's
platform classes with ``-bootclasspath`` (which javac allows with ``-source 8 -target 8``), so
an applet that uses ``String`` or ``java.util`` fails at compile time, and the class files
are version 52 with full debug information (``-g``: line numbers name the source line of a
Java exception).

The API is compiled once, on first use, into the user cache directory (``$JCSIM_CACHE_DIR``,
else ``$XDG_CACHE_HOME/jcsim``, else ``~/.cache/jcsim``) under a name that is a hash of the API
sources and the options, so an edited API is rebuilt and an unchanged one is reused. Two
processes building it at once (pytest-xdist workers) each build into a private temporary
directory and rename it into place; the first rename wins and the loser discards its copy, so
a reader never sees a half-written API.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from jcsim.errors import JCSimError

__all__ = [
    "API_SOURCE_DIR",
    "JAVAC_OPTIONS",
    "JavacError",
    "JavacNotFoundError",
    "api_classes_dir",
    "cache_root",
    "compile_java",
    "find_javac",
    "javac_command",
]

API_SOURCE_DIR = Path(__file__).resolve().parent / "api" / "src"

# What a Java Card build passes to javac besides the boot class path: Java 8 language level
# and class files (major version 52), every debug attribute, and UTF-8 sources.
# ``-Xlint:-options`` silences newer javacs' note that source 8 is old.
JAVAC_OPTIONS: tuple[str, ...] = (
    "-source", "8", "-target", "8", "-g", "-encoding", "UTF-8", "-Xlint:-options",
)

INSTALL_HINT = (
    "jcsim javac needs a JDK's javac on PATH. "
    "On Debian or Ubuntu: sudo apt-get install openjdk-17-jdk-headless"
)

_COMPLETE_MARKER = "complete"


class JavacNotFoundError(JCSimError, FileNotFoundError):
    """No ``javac`` on PATH (the message says how to install one)."""


class JavacError(JCSimError, RuntimeError):
    """javac rejected the sources; ``output`` holds its diagnostics."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(f"{message}\n{output}" if output else message)
        self.output = output


def find_javac() -> str:
    """The path of the javac on PATH, or raise `JavacNotFoundError` saying how to get one."""
    javac = shutil.which("javac")
    if javac is None:
        raise JavacNotFoundError(INSTALL_HINT)
    return javac


def cache_root() -> Path:
    """The directory jcsim caches compiled artefacts in (created on demand)."""
    explicit = os.environ.get("JCSIM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "jcsim"


def _api_sources(source_dir: Path) -> list[Path]:
    return sorted(source_dir.rglob("*.java"))


def api_fingerprint(source_dir: Path = API_SOURCE_DIR) -> str:
    """A hash of the API sources (names and contents) and the javac options."""
    digest = hashlib.sha256()
    digest.update("\0".join(JAVAC_OPTIONS).encode())
    for path in _api_sources(source_dir):
        digest.update(b"\0" + path.relative_to(source_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def api_classes_dir(source_dir: Path = API_SOURCE_DIR, *, javac: str | None = None) -> Path:
    """The directory of the compiled Java Card API, compiling it first if not cached yet."""
    fingerprint = api_fingerprint(source_dir)
    final = cache_root() / "java-api" / fingerprint
    if (final / _COMPLETE_MARKER).is_file():
        return final / "classes"
    javac = javac or find_javac()
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".build-", dir=final.parent))
    except OSError as error:
        raise JCSimError(f"cannot write the Java Card API cache in {final.parent} ({error}); "
                         "set JCSIM_CACHE_DIR to a writable directory") from error
    try:
        classes = staging / "classes"
        classes.mkdir()
        sources = [str(path) for path in _api_sources(source_dir)]
        # The API compiles against itself: its own java.lang replaces the JDK's.
        command = [javac, *JAVAC_OPTIONS, "-bootclasspath", str(classes), "-d", str(classes),
                   *sources]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise JavacError(f"javac could not compile the Java Card API in {source_dir}",
                             result.stderr + result.stdout)
        (staging / _COMPLETE_MARKER).write_text(fingerprint + "\n")
        try:
            staging.rename(final)
        except OSError:
            # Another process renamed its complete copy into place first; use that one.
            if not (final / _COMPLETE_MARKER).is_file():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        _remove_abandoned_builds(final.parent)
    return final / "classes"


def _remove_abandoned_builds(directory: Path, max_age_seconds: float = 3600.0) -> None:
    # A process killed while compiling leaves its private build directory behind; one that
    # old is no longer anyone's.
    now = time.time()
    for leftover in directory.glob(".build-*"):
        try:
            if now - leftover.stat().st_mtime > max_age_seconds:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue


def javac_command(arguments: Sequence[str], *, javac: str | None = None) -> list[str]:
    """The full javac command line for a Java Card build with these user arguments.

    The user's arguments come last, so a later ``-source 7`` or ``-g:none`` overrides ours;
    ``--release`` cannot be combined with a boot class path and is refused.
    """
    if any(arg == "--release" or arg.startswith("--release=") for arg in arguments):
        raise JavacError("jcsim javac compiles against the Java Card API with -bootclasspath "
                         "and -source/-target 8; javac does not allow --release with that. "
                         "Leave --release out (use -source/-target to change the level).", "")
    javac = javac or find_javac()
    api = api_classes_dir(javac=javac)
    return [javac, *JAVAC_OPTIONS, "-bootclasspath", str(api), *arguments]


def compile_java(sources: Iterable[str | os.PathLike[str]], output_dir: str | os.PathLike[str],
                 extra_args: Sequence[str] = ()) -> Path:
    """Compile Java Card sources into ``output_dir`` (created if needed); return it.

    Raises `JavacError` with javac's diagnostics when a source does not compile, and
    `JavacNotFoundError` when there is no javac.
    """
    output = Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    files = [os.fspath(source) for source in sources]
    if not files:
        raise ValueError("compile_java needs at least one source file")
    command = javac_command([*extra_args, "-d", str(output), *files])
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise JavacError("javac rejected the sources", result.stderr + result.stdout)
    return output
