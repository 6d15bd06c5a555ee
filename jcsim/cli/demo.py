"""``jcsim demo``: guided walkthroughs of the samples, one step at a time."""

from __future__ import annotations

import importlib
import sys
from typing import Any

from rich.console import Console
from rich.panel import Panel

from jcsim.apdu import Response
from jcsim.cli.trace import TraceRenderer
from jcsim.errors import JCSimError
from jcsim.simulator import Simulator

__all__ = ["DEMOS", "DemoError", "Walkthrough", "run_demo"]

# name -> (module with a run(walk) function, one-line description)
DEMOS: dict[str, tuple[str, str]] = {
    "hello": ("jcsim.samples.echo.demo", "an echo applet: select, echo, extended length, T=0"),
    "purse": ("jcsim.samples.purse.demo", "Java Card RMI: a Purse proxy, each call an INVOKE"),
    "securepurse": ("jcsim.samples.securepurse.demo",
                    "RMI behind a security service: PINs, MACs, refusals"),
    "transactions": ("jcsim.samples.purse_tx.demo",
                     "a debit in a transaction, a tear, the rollback, an image"),
    "channels": ("jcsim.samples.multiselectable.demo",
                 "logical channels, MANAGE CHANNEL, MultiSelectable"),
    "channel-security": ("jcsim.samples.channel_security.demo",
                         "ISO 7816-4: a security state per channel"),
    "statics": ("jcsim.samples.hotp.demo",
                "RFC 4226 one-time passwords kept in static fields: per card, torn, imaged"),
    "wallet": ("jcsim.samples.wallet.demo",
               "e-cash over HTTP: pay, lost responses, replays, tears"),
    "gp-vault": ("jcsim.samples.gp_vault.demo",
                 "GlobalPlatform: an applet behind the ISD's SCP03/SCP02 secure channel"),
    "java": ("jcsim.java.demo",
             "a Java applet compiled on the fly: a transaction, a tear, the rollback"),
}


class DemoError(JCSimError):
    """A demo step did not get the response it expected."""


class Walkthrough:
    """What a demo script uses: simulators with a live trace, steps with pauses, checks."""

    def __init__(self, console: Console, *, pause: bool) -> None:
        self.console = console
        self.pause = pause
        self.trace = TraceRenderer(console)
        self.steps = 0

    def simulator(self, **options: Any) -> Simulator:
        sim = Simulator(**options)
        sim.subscribe(self.trace)
        return sim

    def step(self, title: str, explanation: str) -> None:
        self.steps += 1
        if self.pause and self.steps > 1:
            self.console.input("[dim]Press Enter for the next step…[/dim]")
        self.console.print(Panel(explanation, title=f"Step {self.steps}: {title}",
                                 title_align="left", border_style="blue"))

    def note(self, text: str) -> None:
        self.console.print(f"  [yellow]→[/yellow] {text}")

    def expect(self, response: Response, sw: int, data: bytes | None = None) -> Response:
        if response.sw != sw or (data is not None and response.data != data):
            raise DemoError(f"expected SW {sw:04X}, got {response.sw:04X}")
        return response

    def done(self, text: str) -> None:
        self.console.print(Panel(text, border_style="green", title="Done", title_align="left"))


def run_demo(name: str, console: Console, *, pause: bool) -> int:
    if name not in DEMOS:
        console.print(f"[red]No demo named {name!r}.[/red] Try: {', '.join(DEMOS)}")
        return 2
    module = importlib.import_module(DEMOS[name][0])
    walk = Walkthrough(console, pause=pause and sys.stdin.isatty())
    try:
        module.run(walk)
    except DemoError as exc:
        console.print(f"[bold red]Demo failed:[/bold red] {exc}")
        return 1
    except (EOFError, KeyboardInterrupt):
        console.print("\n[dim]Demo stopped.[/dim]")
        return 130
    return 0


def list_demos(console: Console) -> None:
    width = max(len(name) for name in DEMOS) + 2
    for name, (_module, description) in DEMOS.items():
        console.print(f"  [bold]{name:<{width}}[/bold]{description}")
