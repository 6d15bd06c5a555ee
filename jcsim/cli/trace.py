"""A readable APDU trace on a rich console: ``C:`` command lines, ``R:`` response lines.

::

    C: 00 A4 04 00 06 F0 00 00 00 01 01 00   SELECT Lc=6 Le=256
    R: 90 00                                  no error
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from jcsim.iso7816_names import describe_command, status_meaning
from jcsim.runtime.events import Exchange

__all__ = ["TraceRenderer", "format_bytes"]

_WRAP = 24  # bytes shown per line before eliding the middle of long data


def format_bytes(data: bytes, limit: int = 64) -> str:
    """Spaced hex, with the middle of long data elided as ``… (N bytes) …``."""
    if len(data) <= limit:
        return data.hex(" ").upper()
    head, tail = data[:limit // 2], data[-8:]
    return f"{head.hex(' ').upper()} … ({len(data)} bytes) … {tail.hex(' ').upper()}"


class TraceRenderer:
    """An observer that prints each exchange; subscribe it with ``sim.subscribe(renderer)``."""

    def __init__(self, console: Console, *, show_interface: bool = False) -> None:
        self.console = console
        self.show_interface = show_interface

    def command_line(self, raw: bytes, channel: int = 0, interface: str = "contact") -> Text:
        text = Text("C: ", style="bold cyan")
        text.append(format_bytes(raw), style="cyan")
        text.append("   ")
        text.append(describe_command(raw), style="italic")
        where = []
        if channel:
            where.append(f"channel {channel}")
        if self.show_interface or interface != "contact":
            where.append(interface)
        if where:
            text.append(f"  [{', '.join(where)}]", style="dim")
        return text

    def response_line(self, response: bytes) -> Text:
        if len(response) < 2:
            return Text("R: (no response: the card lost power)", style="bold red")
        sw = (response[-2] << 8) | response[-1]
        ok = sw == 0x9000 or response[-2] in (0x61, 0x62, 0x63)
        text = Text("R: ", style="bold green" if ok else "bold red")
        data = response[:-2]
        if data:
            text.append(format_bytes(data) + " ", style="green")
        text.append(f"{sw >> 8:02X} {sw & 0xFF:02X}", style="bold green" if ok else "bold red")
        text.append(f"   {status_meaning(sw)}", style="italic")
        return text

    def __call__(self, exchange: Exchange) -> None:
        self.console.print(self.command_line(exchange.command, exchange.channel,
                                             exchange.interface))
        self.console.print(self.response_line(exchange.response))
