"""APDU traces in plain text: each exchange decoded as a ``C:`` line and an ``R:`` line.

::

    C: 00 A4 04 00 06 F0 00 00 00 01 01 00   SELECT Lc=6 Le=256
    R: 90 00                                  no error

The decoding lives here, host-side and free of any console library, so that the CLI (which
styles these lines with rich) and the pytest plugin (which puts them in failure reports) tell
the same story. ``CardLog`` keeps the recent exchanges of one card; ``TraceBook`` keeps the logs
of every card seen, and can be cleared between tests.
"""

from __future__ import annotations

import collections
import itertools
import os
import sys
from types import FrameType
from typing import TYPE_CHECKING

import attrs

from jcsim.iso7816_names import describe_command, status_meaning
from jcsim.runtime.events import Exchange
from jcsim.runtime.interface import CONTACT

if TYPE_CHECKING:
    from jcsim.simulator import Simulator

__all__ = ["CardLog", "TraceBook", "TraceLine", "command_line", "format_bytes",
           "format_exchange", "response_line"]

DEFAULT_EXCHANGES_KEPT = 200  # per card and test: the last ones tell how a failure came about


def format_bytes(data: bytes, limit: int = 64) -> str:
    """Spaced hex, with the middle of long data elided as ``… (N bytes) …``."""
    if len(data) <= limit:
        return data.hex(" ").upper()
    head, tail = data[:limit // 2], data[-8:]
    return f"{head.hex(' ').upper()} … ({len(data)} bytes) … {tail.hex(' ').upper()}"


@attrs.frozen
class TraceLine:
    """One decoded line: ``C`` (command) or ``R`` (response), its bytes and their meaning.

    ``data`` is the spaced hex of the command, or of the response data; ``sw`` the status word
    of a response (empty for a command, and for a response the card never gave because it lost
    power). ``where`` names a logical channel or interface other than the usual ones. ``ok`` is
    false for a response whose status word is an error.
    """

    direction: str
    data: str
    sw: str
    meaning: str
    where: str = ""
    ok: bool = True

    def __str__(self) -> str:
        hex_part = " ".join(part for part in (self.data, self.sw) if part)
        text = f"{self.direction}: {hex_part}   {self.meaning}" if hex_part else \
            f"{self.direction}: {self.meaning}"
        return f"{text}  [{self.where}]" if self.where else text


def command_line(raw: bytes, channel: int = 0, interface: str = CONTACT, *,
                 show_interface: bool = False) -> TraceLine:
    """The ``C:`` line of a command APDU sent on ``channel`` of ``interface``."""
    where = []
    if channel:
        where.append(f"channel {channel}")
    if show_interface or interface != CONTACT:
        where.append(interface)
    return TraceLine("C", format_bytes(raw), "", describe_command(raw), ", ".join(where))


def response_line(response: bytes) -> TraceLine:
    """The ``R:`` line of a response (data and status word; empty when the card tore)."""
    if len(response) < 2:
        return TraceLine("R", "", "", "(no response: the card lost power)", ok=False)
    sw = (response[-2] << 8) | response[-1]
    ok = sw == 0x9000 or response[-2] in (0x61, 0x62, 0x63)
    return TraceLine("R", format_bytes(response[:-2]), f"{sw >> 8:02X} {sw & 0xFF:02X}",
                     status_meaning(sw), ok=ok)


def format_exchange(exchange: Exchange, *, show_interface: bool = False) -> str:
    """An exchange as its two lines of text."""
    command = command_line(exchange.command, exchange.channel, exchange.interface,
                           show_interface=show_interface)
    return f"{command}\n{response_line(exchange.response)}"


_JCSIM_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def creation_site() -> str:
    """``file:line`` of the innermost caller outside the jcsim package (relative to the working
    directory when below it); empty when there is none."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_JCSIM_DIR) and not filename.startswith("<"):
            try:
                shown = os.path.relpath(filename)
            except ValueError:
                shown = filename
            if shown.startswith(".."):
                shown = filename
            return f"{shown}:{frame.f_lineno}"
        frame = frame.f_back
    return ""


class CardLog:
    """The recent exchanges of one card, and the power changes between them (``note``), at
    most ``limit`` entries (older ones are counted, not kept).

    A log tells its ``book`` when it records its first entry since the last clearing, so that
    a book holds only the logs of cards in use, however many cards a test run makes.
    """

    def __init__(self, label: str, limit: int = DEFAULT_EXCHANGES_KEPT,
                 book: TraceBook | None = None) -> None:
        self.label = label
        self.limit = limit
        self.book = book
        self.entries: collections.deque[Exchange | str] = collections.deque(maxlen=limit)
        self.dropped = 0

    def __call__(self, entry: Exchange | str) -> None:
        if not self.entries and self.book is not None:
            self.book._in_use.append(self)
        elif len(self.entries) == self.limit:
            self.dropped += 1
        self.entries.append(entry)

    def note(self, text: str) -> None:
        """Something that happened to the card between commands: ``power on, ATR ...``."""
        self(text)

    def clear(self) -> None:
        self.entries.clear()
        self.dropped = 0

    def render(self) -> str:
        """The log as text, headed by the card's label."""
        lines = [f"{self.label}:"]
        if self.dropped:
            lines.append(f"  ({self.dropped} earlier entries not shown)")
        shows_interface = any(isinstance(e, Exchange) and e.interface != CONTACT
                              for e in self.entries)
        for entry in self.entries:
            if isinstance(entry, str):
                lines.append(f"  -- {entry}")
                continue
            text = format_exchange(entry, show_interface=shows_interface)
            lines.extend("  " + line for line in text.splitlines())
        return "\n".join(lines)


class TraceBook:
    """The logs of the cards it watches that exchanged anything since the last ``clear()``.

    ``watch(sim)`` subscribes a new ``CardLog`` to a ``Simulator``; ``clear()`` forgets the
    exchanges so far (the cards stay watched); ``render()`` shows each card used since, in the
    order of first use, the last ``max_cards`` of them at most.
    """

    def __init__(self, *, exchanges_kept: int = DEFAULT_EXCHANGES_KEPT,
                 max_cards: int = 10) -> None:
        self.exchanges_kept = exchanges_kept
        self.max_cards = max_cards
        self._numbers = itertools.count(1)
        self._in_use: list[CardLog] = []

    def watch(self, sim: Simulator, label: str | None = None) -> CardLog:
        """Record the exchanges of ``sim``; ``label`` names it in the report (by default its
        number, protocol and the innermost line of code outside jcsim that led here: the line
        that made the card when the book watches new cards)."""
        if label is None:
            site = creation_site()
            where = f", from {site}" if site else ""
            label = f"card {next(self._numbers)} ({sim.protocol}{where})"
        log = CardLog(label, self.exchanges_kept, self)
        sim.subscribe(log)
        return log

    def relabel(self, sim: Simulator, label: str) -> None:
        """Give the card a name that says where it came from (a fixture, say)."""
        for log in self._logs_of(sim):
            log.label = label

    def forget(self, sim: Simulator) -> None:
        """Stop recording ``sim``."""
        for log in self._logs_of(sim):
            sim.unsubscribe(log)
            if log in self._in_use:
                self._in_use.remove(log)

    def _logs_of(self, sim: Simulator) -> list[CardLog]:
        return [o for o in sim.card.observers if isinstance(o, CardLog) and o.book is self]

    def clear(self) -> None:
        for log in self._in_use:
            log.clear()
        self._in_use.clear()

    def used(self) -> list[CardLog]:
        """The logs that recorded anything since the last ``clear``."""
        return list(self._in_use)

    def render(self) -> str:
        """Every used card's log, separated by blank lines; empty when no card was used."""
        used = self.used()
        parts = []
        if len(used) > self.max_cards:
            parts.append(f"({len(used) - self.max_cards} earlier cards not shown)")
            used = used[-self.max_cards:]
        parts.extend(log.render() for log in used)
        return "\n\n".join(parts)
