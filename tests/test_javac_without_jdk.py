"""`jcsim javac` where no JDK is installed: it says how to get one. These tests need no javac."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jcsim.cli import main
from jcsim.java.javac import JavacError, JavacNotFoundError, compile_java, javac_command


@pytest.fixture
def no_javac_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("JCSIM_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.usefixtures("no_javac_on_path")
def test_without_javac_jcsim_javac_says_how_to_get_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["javac", "-d", "out", "A.java"]) == 127
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "javac" in captured.err
    assert "apt-get install openjdk-17-jdk-headless" in captured.err


@pytest.mark.usefixtures("no_javac_on_path")
def test_without_javac_compile_java_raises_the_same_advice(tmp_path: Path) -> None:
    with pytest.raises(JavacNotFoundError, match="openjdk-17-jdk-headless"):
        compile_java([tmp_path / "A.java"], tmp_path / "out")
    assert not (tmp_path / "cache").exists()  # nothing half-built is left behind


def test_release_cannot_replace_the_boot_class_path(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(JavacError, match="--release"):
        javac_command(["--release", "8", "X.java"])
    assert main(["javac", "--release=11", "X.java"]) == 2
    assert "-source/-target" in capsys.readouterr().err


def test_the_cli_lists_javac_in_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert re.search(r"^\s+javac\s+compile Java Card sources", capsys.readouterr().out, re.M)
