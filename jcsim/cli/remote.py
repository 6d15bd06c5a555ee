"""``jcsim remote-card URL`` and ``jcsim ram-server MODULE:FUNCTION``: RAM over HTTP.

``remote-card`` connects a simulated card to a RAM over HTTP server and prints the session as
it goes; its exit status says how the session ended:

| status | meaning |
|---|---|
| 0 | completed (the server ended the session) |
| 1 | aborted by the server (HTTP error, close, negative notification) |
| 2 | the card or the options could not be set up |
| 3 | transport error (connection, TLS, timeout) |
| 4 | protocol error (the server sent something unusable) |
| 5 | the simulated card failed during the session |

``ram-server`` serves sessions to a Python function ``perform(session, path_info)`` until
interrupted (Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import argparse
import ssl
import threading
from collections.abc import Callable
from typing import Any

from rich.console import Console

from jcsim.cli.loading import load_attribute, load_class
from jcsim.cli.run import ImageAutosave, open_card, read_image_key
from jcsim.cli.serve import stop_on_signals
from jcsim.cli.trace import TraceRenderer, format_bytes
from jcsim.errors import JCSimError
from jcsim.remote import (
    CardReset,
    Notify,
    Outcome,
    ScriptServer,
    ServerSession,
    SessionReport,
    run_session,
)
from jcsim.remote.client import DEFAULT_SESSION_TIMEOUT, DEFAULT_TIMEOUT

__all__ = ["add_remote_parsers", "ram_server", "remote_card"]

EXIT_STATUS = {
    Outcome.COMPLETED: 0,
    Outcome.ABORTED: 1,
    Outcome.TRANSPORT_ERROR: 3,
    Outcome.PROTOCOL_ERROR: 4,
    Outcome.CARD_ERROR: 5,
}
SETUP_ERROR = 2


def add_remote_parsers(commands: Any) -> None:
    """Add ``remote-card`` and ``ram-server`` to the ``jcsim`` subcommands."""
    card = commands.add_parser(
        "remote-card", help="connect a simulated card to a RAM over HTTP server",
        description="Run a RAM over HTTP session with a simulated card as the client. Exit "
                    "status: 0 completed, 1 aborted by the server, 2 setup error, 3 transport "
                    "error, 4 protocol error, 5 card error.")
    card.add_argument("url", help="the server's URL (http:// or https://)")
    card.add_argument("--applet", nargs=2, action="append", default=[],
                      metavar=("MODULE:CLASS", "AID"), help="install an applet (repeatable)")
    card.add_argument("--default-applet", nargs=2, action="append", default=[],
                      metavar=("MODULE:CLASS", "AID"),
                      help="install an applet selected at every reset (repeatable)")
    card.add_argument("--image", metavar="FILE",
                      help="start from this card image (if it exists) and save it afterwards")
    card.add_argument("--allow-module", metavar="MODULE", action="append", default=[],
                      help="a module the image may import to find applet classes")
    card.add_argument("--image-key", metavar="FILE",
                      help="sign the image with the key in FILE (HMAC-SHA256) and load only images "
                          "signed with it")
    card.add_argument("--protocol", choices=("T=0", "T=1"), default="T=1")
    card.add_argument("--profile", choices=("openscdp", "gp-amd-b"), default="openscdp")
    card.add_argument("--agent-id", metavar="ID", help="the X-Admin-From value")
    card.add_argument("--cookie", "--session", dest="cookie", metavar="NAME=VALUE|ID",
                      help="join a session: a cookie, or a bare id sent as JSESSIONID")
    card.add_argument("--targeted-application", metavar="AID",
                      help="select this application before the session starts")
    card.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                      help=f"per request and its whole answer (default {DEFAULT_TIMEOUT:g})")
    card.add_argument("--session-timeout", type=float, default=DEFAULT_SESSION_TIMEOUT,
                      metavar="SECONDS",
                      help=f"for the whole session (default {DEFAULT_SESSION_TIMEOUT:g})")
    card.add_argument("--cafile", metavar="FILE",
                      help="trust this CA bundle for HTTPS instead of the system's")
    card.add_argument("-q", "--quiet", action="store_true", help="no trace, only the result")

    server = commands.add_parser(
        "ram-server", help="serve RAM over HTTP sessions to a Python function",
        description="Run a RAM over HTTP scripting server: each client session calls "
                    "MODULE:FUNCTION(session, path_info) in its own thread.")
    server.add_argument("target", metavar="MODULE:FUNCTION")
    server.add_argument("--port", type=int, required=True)
    server.add_argument("--host", default="127.0.0.1",
                        help="the address to bind (default 127.0.0.1: this machine only)")
    server.add_argument("--profile", choices=("auto", "openscdp", "gp-amd-b"), default="auto")
    server.add_argument("--certfile", metavar="FILE", help="serve HTTPS with this certificate")
    server.add_argument("--keyfile", metavar="FILE", help="the certificate's private key")
    server.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                        help="how long a script waits for a client's answer (default 60)")
    server.add_argument("--max-connections", type=int, default=64, metavar="N",
                        help="open connections at most; more are answered 503 (default 64)")
    server.add_argument("--max-sessions", type=int, default=64, metavar="N",
                        help="sessions (script threads) at most (default 64)")
    server.add_argument("--idle-timeout", type=float, default=30.0, metavar="SECONDS",
                        help="close a connection quiet this long, or slower than this to send "
                             "its request (default 30)")


# --- remote-card ---------------------------------------------------------------------------------

def _install(sim: Any, specs: list[list[str]], default: bool, console: Console,
             quiet: bool) -> None:
    for target, aid in specs:
        installed = sim.install(load_class(target), aid, default=default)
        if not quiet:
            console.print(f"[dim]# installed {target} as {installed}"
                          f"{' (default)' if default else ''}[/dim]")


def _printer(console: Console) -> Callable[[Any], None]:
    def show(event: Any) -> None:
        if isinstance(event, Notify):
            eta = "" if event.time_to_completion is None else \
                f"  (about {event.time_to_completion} s to go)"
            console.print(f"[bold magenta]notify {event.id}:[/bold magenta] {event.message}{eta}")
        elif isinstance(event, CardReset):
            console.print(f"[dim]# reset, ATR {format_bytes(event.atr)}[/dim]")
    return show


def _result_line(report: SessionReport) -> str:
    count = len(report.exchanges)
    summary = (f"{count} APDU{'s' if count != 1 else ''}, {len(report.notifications)} "
               f"notification{'s' if len(report.notifications) != 1 else ''}, "
               f"{report.round_trips} round trip{'s' if report.round_trips != 1 else ''}")
    style = "green" if report.ok else "bold red"
    return f"[{style}]Session {report.outcome.value}: {report.detail} ({summary})[/{style}]"


def remote_card(args: argparse.Namespace, console: Console) -> int:
    allowed = list(args.allow_module) + [spec[0].partition(":")[0]
                                         for spec in args.applet + args.default_applet]
    try:
        key = read_image_key(args.image_key)
        sim = open_card(args.image, args.protocol, allowed, key)
        _install(sim, args.default_applet, True, console, args.quiet)
        _install(sim, args.applet, False, console, args.quiet)
        if args.default_applet:
            sim.reset()
    except JCSimError as exc:
        console.print(f"[red]jcsim remote-card: {exc}[/red]")
        return SETUP_ERROR
    autosave = ImageAutosave(sim, args.image, key=key)
    if not args.quiet:
        sim.subscribe(TraceRenderer(console))
        console.print(f"[dim]# connecting to {args.url} ({args.profile})[/dim]")
    try:
        report = run_session(sim, args.url, profile=args.profile, agent_id=args.agent_id,
                             cookie=args.cookie, targeted_application=args.targeted_application,
                             timeout=args.timeout, session_timeout=args.session_timeout,
                             cafile=args.cafile,
                             on_event=None if args.quiet else _printer(console))
    except (JCSimError, OSError, ssl.SSLError) as exc:
        console.print(f"[red]jcsim remote-card: {exc}[/red]")
        return SETUP_ERROR
    finally:
        autosave()
    for problem in report.format_errors:
        console.print(f"[yellow]server sent a malformed template: {problem}[/yellow]")
    console.print(_result_line(report))
    return EXIT_STATUS[report.outcome]


# --- ram-server ----------------------------------------------------------------------------------

def load_function(target: str) -> Callable[..., Any]:
    """``module:function`` from the working directory or the installed packages."""
    function = load_attribute(target, "function")
    if not callable(function):
        raise JCSimError(f"{target} is not a function")
    return function


def ram_server(args: argparse.Namespace, console: Console) -> int:
    context = None
    try:
        perform = load_function(args.target)
        if args.certfile:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(args.certfile, args.keyfile)
        elif args.keyfile:
            raise JCSimError("--keyfile needs --certfile")
    except (JCSimError, OSError) as exc:
        console.print(f"[red]jcsim ram-server: {exc}[/red]")
        return SETUP_ERROR

    def started(session: ServerSession) -> None:
        who = f" from {session.agent_id}" if session.agent_id else ""
        console.print(f"[cyan]session {session.id} started ({session.profile.name}, "
                      f"{session.path_info}){who}[/cyan]")

    def ended(session: ServerSession) -> None:
        if session.error is None:
            console.print(f"[green]session {session.id} completed[/green]")
        else:
            console.print(f"[red]session {session.id} failed: "
                          f"{type(session.error).__name__}: {session.error}[/red]")

    stop = threading.Event()
    with stop_on_signals(stop):
        try:
            server = ScriptServer(perform, args.host, args.port, profile=args.profile,
                                  ssl_context=context, response_timeout=args.timeout,
                                  max_connections=args.max_connections,
                                  max_sessions=args.max_sessions, idle_timeout=args.idle_timeout,
                                  on_session_start=started, on_session_end=ended)
        except (OSError, ValueError) as exc:
            console.print(f"[red]jcsim ram-server: cannot listen on {args.host}:{args.port}: "
                          f"{exc}[/red]")
            return SETUP_ERROR
        console.print(f"Serving {args.target} at [bold]{server.url}[/bold] "
                      f"(profile {args.profile}); Ctrl-C stops.")
        server.start()
        try:
            while not stop.wait(0.2):
                pass
        finally:
            server.close()
    console.print("stopped")
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
