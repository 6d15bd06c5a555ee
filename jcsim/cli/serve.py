"""``jcsim serve``: run a simulated card in a vpcd reader until interrupted.

::

    jcsim serve --applet jcsim.samples.echo:Echo=F00000000101 --default F00000000101
    jcsim serve --image card.jcimg --contactless localhost:35964 -v

Applets are named ``module:Class=AID`` (``--applet``, repeatable), or ``pkg.Class=AID`` for a
Java class found on ``--classpath DIR_OR_JAR`` (repeatable); ``--default AID`` makes one
of them the default applet of every interface. With ``--image FILE`` the card starts from that
image when it exists (applets named by ``--applet`` that the image already holds are not
installed again) and the image is saved after every command that changed persistent state.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from typing import Any

import attrs
from rich.console import Console
from rich.table import Table

from jcsim.apdu import parse_hex
from jcsim.cli.loading import is_java_name, load_class, open_classpath
from jcsim.cli.run import read_image_key
from jcsim.cli.trace import TraceRenderer, format_bytes
from jcsim.errors import JCSimError
from jcsim.runtime.interface import CONTACT
from jcsim.simulator import Simulator
from jcsim.transport.busy_poll import (
    MAX_BUSY_POLL_US,
    check_busy_poll_us,
    effective_busy_poll_us,
)
from jcsim.transport.vpcd import DEFAULT_PORT, LinkEvent
from jcsim.transport.vpcd_server import serve_vpcd
from jcsim.transport.vpcd_card import DEFAULT_UID

__all__ = [
    "DEFAULT_BUSY_POLL_US", "AppletSpec", "add_serve_parser", "parse_address", "parse_applet",
    "serve", "stop_on_signals",
]


# The serving process is the card's own: spinning up to 200 µs after each read took the echo
# through pcscd from 0.77x - 0.85x to 1.23x - 1.29x the rate of a card that does nothing, on two
# CPUs (BENCHMARKS.md).
DEFAULT_BUSY_POLL_US = 200


@attrs.frozen
class AppletSpec:
    """``--applet module:Class=AID`` (Python) or ``--applet pkg.Class=AID`` (Java)."""

    target: str
    aid: bytes


def parse_applet(text: str) -> AppletSpec:
    target, sep, aid_text = text.partition("=")
    module, colon, name = target.partition(":")
    java = not colon and "." in target.strip(".")
    if not sep or not aid_text or not (java or (colon and module and name)):
        raise argparse.ArgumentTypeError(f"expected module:Class=AID or pkg.Class=AID, "
                                         f"not {text!r}")
    try:
        aid = parse_hex(aid_text)
    except JCSimError as exc:
        raise argparse.ArgumentTypeError(f"{aid_text!r} is not an AID in hex: {exc}") from exc
    if not 5 <= len(aid) <= 16:
        raise argparse.ArgumentTypeError(f"an AID has 5 to 16 bytes, not {len(aid)}")
    return AppletSpec(target, aid)


def parse_aid(text: str) -> bytes:
    try:
        return parse_hex(text)
    except JCSimError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an AID in hex: {exc}") from exc


def parse_hex_argument(text: str) -> bytes:
    try:
        return parse_hex(text)
    except JCSimError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not hex: {exc}") from exc


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``:PORT`` or ``PORT`` (host: localhost)."""
    host, sep, port_text = text.rpartition(":")
    if not sep:
        host, port_text = "", text
    try:
        port = int(port_text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, not {text!r}") from exc
    if not 0 <= port <= 0xFFFF:
        raise argparse.ArgumentTypeError(f"port {port} is not a TCP port")
    return (host.strip("[]") or "localhost"), port


def add_serve_parser(commands: argparse._SubParsersAction) -> None:
    serve_parser = commands.add_parser(
        "serve", help="serve a simulated card to pcscd through vsmartcard's vpcd",
        description="Run a simulated card in a vpcd reader until interrupted (Ctrl-C, SIGTERM).")
    serve_parser.add_argument(
        "--applet", metavar="MODULE:CLASS=AID", type=parse_applet, action="append", default=[],
        help="install an applet, e.g. jcsim.samples.echo:Echo=F00000000101, or a Java class "
             "com.example.Echo=F00000000101 with --classpath (repeatable)")
    serve_parser.add_argument("--classpath", metavar="DIR_OR_JAR", action="append", default=[],
                              help="where Java applet classes are (class directory or jar; "
                                   "repeatable)")
    serve_parser.add_argument("--default", metavar="AID", type=parse_aid,
                              help="make the applet with this AID the default applet")
    serve_parser.add_argument("--image", metavar="FILE",
                              help="start from this card image (if it exists) and keep it "
                                   "updated after every command that changes persistent state")
    serve_parser.add_argument("--allow-module", metavar="MODULE", action="append", default=[],
                              help="a module the image may import to find applet classes")
    serve_parser.add_argument("--image-key", metavar="FILE",
                              help="sign the image with the key in FILE (HMAC-SHA256) and load "
                                   "only images signed with it")
    serve_parser.add_argument("--vpcd", metavar="HOST:PORT", type=parse_address,
                              default=("localhost", DEFAULT_PORT),
                              help=f"vpcd's address for the contact interface "
                                   f"(default localhost:{DEFAULT_PORT})")
    serve_parser.add_argument("--contactless", metavar="HOST:PORT", type=parse_address,
                              help="also serve the contactless interface on this vpcd slot "
                                   f"(the stock second slot is localhost:{DEFAULT_PORT + 1})")
    serve_parser.add_argument("--listen", action="store_true",
                              help="listen on those addresses for a vpcd-style peer instead "
                                   "of connecting (localhost binds 127.0.0.1)")
    serve_parser.add_argument("--protocol", choices=("T=0", "T=1"), default=None,
                              help="the contact protocol (default T=1)")
    serve_parser.add_argument("--atr", metavar="HEX", type=parse_hex_argument,
                              help="the contact ATR (default: jcsim's ATR for the protocol)")
    serve_parser.add_argument("--contactless-atr", metavar="HEX", type=parse_hex_argument,
                              help="the contactless ATR (PC/SC part 3 pseudo-ATR)")
    serve_parser.add_argument("--uid", metavar="HEX", type=parse_hex_argument,
                              default=DEFAULT_UID,
                              help="the UID the contactless reader answers to FF CA 00 00 00 "
                                   f"(default {DEFAULT_UID.hex().upper()})")
    serve_parser.add_argument("--gp-keys", metavar="[KVN=]KEY|ENC:MAC:DEK", type=_gp_keys,
                              action="append", default=[],
                              help="the card manager's secure channel keys in hex (default "
                                   "40..4F as SCP03 key set 30 and SCP02 key set 20); KVN= "
                                   "names one key set (20-2F: SCP02), repeatable")
    serve_parser.add_argument("--gp-open", action="store_true",
                              help="let the card manager take INSTALL, DELETE, PUT KEY and "
                                   "SET STATUS without a secure channel")
    serve_parser.add_argument("--busy-poll-us", metavar="N", type=_busy_poll_us,
                              default=DEFAULT_BUSY_POLL_US,
                              help="after each read, poll the vpcd socket for up to N µs before "
                                   "sleeping, so that the next command of a burst finds the "
                                   f"card awake (0 to {MAX_BUSY_POLL_US}, 0 is off; default "
                                   f"{DEFAULT_BUSY_POLL_US}); off by itself when the process "
                                   "may run on one CPU only")
    serve_parser.add_argument("-v", "--verbose", action="count", default=0,
                              help="print a live trace of every APDU and power event; -vv "
                                   "also logs every vpcd frame")


def _busy_poll_us(text: str) -> int:
    try:
        return check_busy_poll_us(int(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _gp_keys(text: str) -> list[Any]:
    from jcsim.runtime.gp.host_keys import parse_gp_keys

    try:
        return parse_gp_keys(text)
    except JCSimError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _open_card(args: argparse.Namespace, console: Console) -> Simulator:
    allowed = list(args.allow_module) + [spec.target.partition(":")[0] for spec in args.applet
                                         if not is_java_name(spec.target)]
    if args.image is not None and os.path.exists(args.image):
        if args.classpath_loaded is not None:
            # An image names Java classes by their package module: load them first.
            for name in args.classpath_loaded:
                args.classpath_loaded[name]
        sim = Simulator.load(args.image, allow_modules=allowed,
                             key=read_image_key(args.image_key))
        config = sim.card.configuration()
        if args.protocol is not None and args.protocol != config["protocol"]:
            console.print(f"[yellow]The image's card speaks {config['protocol']}: "
                          f"--protocol {args.protocol} is ignored.[/yellow]")
        if args.atr is not None and args.atr.hex() != config["atr"]:
            console.print("[yellow]The image's card has its own ATR: --atr is ignored.[/yellow]")
        if args.gp_keys or args.gp_open:
            console.print("[yellow]The image's card keeps its own GlobalPlatform keys and "
                          "state: --gp-keys and --gp-open are ignored.[/yellow]")
        if not sim.powered:
            sim.power_on()
        return sim
    gp_keys = [keys for group in args.gp_keys for keys in group] or None
    return Simulator(args.protocol or "T=1", args.atr, contactless_atr=args.contactless_atr,
                     gp_keys=gp_keys, gp_open=args.gp_open)


def _install(sim: Simulator, args: argparse.Namespace, console: Console) -> None:
    if args.default is not None and args.default not in [spec.aid for spec in args.applet]:
        raise JCSimError(f"--default {args.default.hex().upper()} names no --applet")
    for spec in args.applet:
        if sim.card.registry.find(spec.aid) is not None:
            console.print(f"[dim]{spec.aid.hex().upper()} is already on the card "
                          "(from the image): not installed again.[/dim]")
            continue
        # A default applet is selected at the next power-up: vpcd's first 01.
        sim.install(load_class(spec.target, args.classpath_loaded), spec.aid,
                    default=spec.aid == args.default)


def _summary(sim: Simulator, args: argparse.Namespace, links: dict[str, tuple[str, int]],
             console: Console) -> None:
    mode = "listening on" if args.listen else "vpcd at"
    table = Table(title="jcsim serve", title_justify="left", show_header=True)
    table.add_column("interface")
    table.add_column("reader")
    table.add_column("ATR")
    for name, (host, port) in links.items():
        extra = "" if name == CONTACT else f"\nUID {args.uid.hex().upper()}"
        protocol = sim.protocol if name == CONTACT else "T=CL"
        table.add_row(f"{name} ({protocol})", f"{mode} {host}:{port}",
                      format_bytes(sim.atr_of(name)) + extra)
    console.print(table)
    applets = Table(show_header=True, title="applets", title_justify="left")
    applets.add_column("AID")
    applets.add_column("class")
    applets.add_column("default on")
    for record in sim.card.registry.applets:
        cls = record.applet_class
        applets.add_row(str(record.aid), f"{cls.__module__}:{cls.__qualname__}",
                        ", ".join(sorted(record.default_on)) or "-")
    if sim.card.registry.applets:
        console.print(applets)
    else:
        console.print("[yellow]No applet is installed.[/yellow]")
    if args.image is not None:
        console.print(f"Card image: {args.image} (saved after every change)")
    if args.busy_poll_us:
        window, why_off = effective_busy_poll_us(args.busy_poll_us)
        if window:
            console.print(f"Busy-poll: {window} µs after each read")
        else:
            console.print(f"[yellow]Busy-poll off ({args.busy_poll_us} µs asked): {why_off}."
                          "[/yellow]")


class _Printer:
    """Prints the links' events: connections always, power events with ``-v``."""

    def __init__(self, console: Console, verbose: bool) -> None:
        self.console = console
        self.verbose = verbose
        self.trace = TraceRenderer(console, show_interface=True)

    def __call__(self, event: LinkEvent) -> None:
        if event.kind == "connected":
            self.console.print(f"[green]{event.interface}: connected to {event.detail}[/green]")
        elif event.kind == "disconnected":
            self.console.print(f"[yellow]{event.interface}: disconnected ({event.detail})"
                               "[/yellow]")
        elif event.kind in ("malformed", "torn", "mute"):
            self.console.print(f"[red]{event.interface}: {event.kind} {event.detail}[/red]")
        elif self.verbose and event.kind == "reader-command":
            self.console.print(self.trace.command_line(event.command, 0, event.interface))
            self.console.print(self.trace.response_line(event.response))
        elif self.verbose:
            self.console.print(f"[dim]# {event.kind} ({event.interface})[/dim]")


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    def handler(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def serve(args: argparse.Namespace, console: Console) -> int:
    """Run ``jcsim serve``; 0 after a clean stop, 2 when the card cannot be set up."""
    if args.verbose > 1:
        logging.getLogger("jcsim.transport").setLevel(logging.DEBUG)
    stop = threading.Event()
    # From the start: a SIGTERM while the card is being loaded is a clean stop too.
    with stop_on_signals(stop):
        try:
            args.classpath_loaded = open_classpath(args.classpath)
            sim = _open_card(args, console)
            _install(sim, args, console)
            host, port = args.vpcd
            contactless_host, contactless_port = args.contactless or (None, None)
            server = serve_vpcd(sim, port, host, contactless_port, listen=args.listen,
                                image=args.image, contactless_host=contactless_host,
                                image_key=read_image_key(args.image_key),
                                uid=args.uid, listener=_Printer(console, args.verbose),
                                busy_poll_us=args.busy_poll_us)
        except (JCSimError, ValueError) as exc:
            console.print(f"[red]jcsim serve: {exc}[/red]")
            return 2
        if args.verbose:
            sim.subscribe(TraceRenderer(console, show_interface=args.contactless is not None))
        try:
            server.bind()
        except OSError as exc:
            server.stop()
            console.print(f"[red]jcsim serve: cannot listen: {exc}[/red]")
            return 2
        _summary(sim, args, server.addresses, console)
        console.print("Waiting for vpcd (pcscd with vsmartcard-vpcd); Ctrl-C stops."
                      if not args.listen else "Waiting for a peer; Ctrl-C stops.")
        # The first link runs in this thread until a signal sets ``stop``: each command then
        # goes from recv to the card and back without waking another thread.
        server.run(stop)
    console.print("Stopped: the card left its readers.")
    return 0
