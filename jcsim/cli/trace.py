"""A readable APDU trace on a rich console: ``C:`` command lines, ``R:`` response lines.

::

    C: 00 A4 04 00 06 F0 00 00 00 01 01 00   SELECT Lc=6 Le=256
    R: 90 00                                  no error

The decoding is ``jcsim.trace``'s; this module only gives its lines colour.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from jcsim import trace
from jcsim.runtime.events import Exchange
from jcsim.trace import format_bytes

__all__ = ["TraceRenderer", "format_bytes", "styled"]


def styled(line: trace.TraceLine) -> Text:
    """A decoded line in colour: cyan commands, green answers, red errors."""
    if line.direction == "C":
        text = Text("C: ", style="bold cyan")
        text.append(line.data, style="cyan")
        text.append("   ")
        text.append(line.meaning, style="italic")
        if line.where:
            text.append(f"  [{line.where}]", style="dim")
        return text
    if not line.sw:
        return Text(f"R: {line.meaning}", style="bold red")
    strong = "bold green" if line.ok else "bold red"
    text = Text("R: ", style=strong)
    if line.data:
        text.append(line.data + " ", style="green")
    text.append(line.sw, style=strong)
    text.append(f"   {line.meaning}", style="italic")
    return text


class TraceRenderer:
    """An observer that prints each exchange; subscribe it with ``sim.subscribe(renderer)``."""

    def __init__(self, console: Console, *, show_interface: bool = False) -> None:
        self.console = console
        self.show_interface = show_interface

    def command_line(self, raw: bytes, channel: int = 0, interface: str = "contact") -> Text:
        return styled(trace.command_line(raw, channel, interface,
                                         show_interface=self.show_interface))

    def response_line(self, response: bytes) -> Text:
        return styled(trace.response_line(response))

    def __call__(self, exchange: Exchange) -> None:
        self.console.print(self.command_line(exchange.command, exchange.channel,
                                             exchange.interface))
        self.console.print(self.response_line(exchange.response))
