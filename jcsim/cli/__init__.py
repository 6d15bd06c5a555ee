"""The ``jcsim`` command: ``run`` APDU scripts, ``serve`` a card to pcscd, ``gp`` card
management, ``javac`` for Java Card sources, ``demo`` walkthroughs, ``--version``.

This package is the only place that imports rich.
"""

from __future__ import annotations

import argparse
import logging
import sys

from rich.console import Console

from jcsim import __version__
from jcsim.cli.demo import list_demos, run_demo
from jcsim.cli.gp import add_gp_parser, gp_command
from jcsim.cli.javac import add_javac_parser, run_javac
from jcsim.cli.remote import add_remote_parsers, ram_server, remote_card
from jcsim.cli.run import run_script
from jcsim.cli.serve import add_serve_parser, serve

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jcsim", description="A Java Card 3 Classic simulator.")
    parser.add_argument("--version", action="version", version=f"jcsim {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="run an APDU script against the embedded simulator")
    run.add_argument("script", help="the script file ('-' for standard input)")
    run.add_argument("--protocol", choices=("T=0", "T=1"), default="T=1")
    run.add_argument("-q", "--quiet", action="store_true", help="no trace, only the result")
    run.add_argument("--image", metavar="FILE",
                     help="start from this card image (if it exists) and keep it updated")
    run.add_argument("--allow-module", metavar="MODULE", action="append", default=[],
                     help="a module the image may import to find applet classes (repeatable)")
    run.add_argument("--classpath", metavar="DIR_OR_JAR", action="append", default=[],
                     help="where the Java classes the script installs are (repeatable)")
    run.add_argument("--image-key", metavar="FILE",
                     help="sign the image with the key in FILE (HMAC-SHA256) and load only images "
                          "signed with it")

    add_serve_parser(commands)
    add_remote_parsers(commands)
    add_gp_parser(commands)
    add_javac_parser(commands)

    demo = commands.add_parser("demo", help="list the demos, or run one")
    demo.add_argument("name", nargs="?", help="the demo to run")
    demo.add_argument("--no-pause", action="store_true", help="do not wait for Enter")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    console = Console(highlight=False)
    if arguments[:1] == ["javac"]:
        # javac's options are javac's: they go through unparsed.
        return run_javac(arguments[1:], console)
    args = build_parser().parse_args(arguments)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "run":
        return run_script(args.script, console, protocol=args.protocol, quiet=args.quiet,
                          image_path=args.image, allow_modules=args.allow_module,
                          classpath=args.classpath, image_key=args.image_key)
    if args.command == "serve":
        return serve(args, console)
    if args.command == "remote-card":
        return remote_card(args, console)
    if args.command == "ram-server":
        return ram_server(args, console)
    if args.command == "gp":
        return gp_command(args, console)
    if args.command == "demo":
        if args.name is None:
            console.print("Demos (run one with [bold]jcsim demo NAME[/bold]):")
            list_demos(console)
            return 0
        return run_demo(args.name, console, pause=not args.no_pause)
    build_parser().print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
