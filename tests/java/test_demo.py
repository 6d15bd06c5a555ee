"""``jcsim demo java`` runs to its end (it compiles its applet with jcsim javac)."""

from __future__ import annotations

import io

from rich.console import Console

from jcsim.cli.demo import run_demo
from tests.java.conftest import find_javac


def test_the_java_demo_runs_through() -> None:
    find_javac()
    output = io.StringIO()
    console = Console(file=output, width=100)
    assert run_demo("java", console, pause=False) == 0
    text = output.getvalue()
    assert "balance 650, first log slots [100, 250, 0], count 1" in text  # torn, not rolled back
    assert "balance 900, first log slots [100, 0, 0], count 1" in text  # after the power-up
    assert "Done" in text
