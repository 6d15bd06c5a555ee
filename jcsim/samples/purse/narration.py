"""What the RMI demos print besides the APDU trace: the decoded INVOKE, what the card's
dispatcher and remote object did (the ``jcsim.service`` log records, DEBUG level), the decoded
response, and the exception a failed call raises on the host.
"""

from __future__ import annotations

import logging
from typing import Any

from jcsim.cli.demo import DemoError
from jcsim.rmi import wire
from jcsim.rmi.client import CardExceptionError, Invocation

__all__ = ["Narrator"]

_LOGGERS = ("jcsim.service",)


def _plain(text: str) -> str:
    # Walkthrough.note prints rich markup; brackets in card messages are text.
    return text.replace("[", r"\[")


class _Collect(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


class Narrator:
    """Use as ``with Narrator(walk) as say:``; pass ``say.on_invoke`` to ``JCRMIConnect``.
    ``loggers`` name the card-side loggers whose records are shown."""

    def __init__(self, walk: Any, loggers: tuple[str, ...] = _LOGGERS) -> None:
        self.walk = walk
        self.card_lines: list[str] = []
        self._handler = _Collect(self.card_lines)
        self._loggers = [logging.getLogger(name) for name in loggers]
        self._saved: list[tuple[int, bool]] = []

    def __enter__(self) -> Narrator:
        self._saved = [(logger.level, logger.propagate) for logger in self._loggers]
        for logger in self._loggers:
            logger.setLevel(logging.DEBUG)
            logger.propagate = False
            logger.addHandler(self._handler)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for logger, (level, propagate) in zip(self._loggers, self._saved, strict=True):
            logger.removeHandler(self._handler)
            logger.setLevel(level)
            logger.propagate = propagate

    def note(self, text: str) -> None:
        self.walk.note(_plain(text))

    def card(self) -> None:
        """Print what the card reported since the last call."""
        for line in self.card_lines:
            self.walk.note(f"[magenta]card:[/magenta] {_plain(line)}")
        self.card_lines.clear()

    def on_invoke(self, invocation: Invocation) -> None:
        method = invocation.method
        self.note(f"host: {method.signature} becomes {wire.describe_invoke(invocation.command)}"
                  f" (method id = SHA-1(\"{method.signature}\")[0:2])")
        self.card()
        self.note(f"host: response {invocation.response.hex(' ').upper()}: "
                  f"{wire.describe_outcome(invocation.outcome)}")

    def caught(self, exc: CardExceptionError, names: Any = None) -> None:
        """Report the exception the client received; ``names``: a class whose constants name
        reason codes (the remote interface)."""
        name = ""
        if names is not None:
            for key, value in vars(names).items():
                if key.isupper() and value == exc.reason:
                    name = f" = {names.__name__}.{key}"
        self.note(f"host: the call raised {type(exc).__name__} (a {exc.java_type}): "
                  f"getReason() = 0x{exc.reason:04X}{name}")

    def check(self, condition: bool, what: str) -> None:
        if not condition:
            raise DemoError(what)
