"""``jcsim javac``: the system javac with jcsim's Java Card API as the boot class path.

::

    jcsim javac -d build/classes src/com/example/wallet/*.java

Every argument goes to javac unchanged, after the options of a Java Card build (see
`jcsim.java.javac`). javac's own output passes through; the exit status is javac's.
"""

from __future__ import annotations

import argparse
import subprocess
from collections.abc import Sequence

from rich.console import Console

__all__ = ["add_javac_parser", "run_javac"]

HELP = "compile Java Card sources with javac against jcsim's Java Card API"


def add_javac_parser(commands: argparse._SubParsersAction) -> None:
    # Listed for --help only: main() hands the raw arguments to run_javac, because javac's
    # options (-d, -cp, -g:none...) are not ours to parse.
    javac = commands.add_parser("javac", help=HELP, add_help=False,
                                description=HELP + "; every argument goes to javac")
    javac.add_argument("javac_args", nargs=argparse.REMAINDER)


def _report(console: Console, error: Exception) -> None:
    # On stderr, like javac's own diagnostics, and unwrapped so it can be grepped.
    Console(stderr=True, soft_wrap=True, highlight=False, no_color=console.no_color).print(
        f"jcsim javac: {error}", markup=False)


def run_javac(arguments: Sequence[str], console: Console) -> int:
    # Imported here so that the other commands never load the Java subpackage.
    from jcsim.errors import JCSimError
    from jcsim.java.javac import JavacNotFoundError, javac_command

    try:
        command = javac_command(list(arguments))
    except JavacNotFoundError as error:
        _report(console, error)
        return 127
    except JCSimError as error:
        _report(console, error)
        return 2
    return subprocess.run(command, check=False).returncode
