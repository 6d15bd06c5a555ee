"""Observation of the card: every command/response pair is an event observers may receive.

The runtime builds an event only when someone observes, so an unobserved card pays nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

__all__ = ["Exchange", "Observer"]


@attrs.frozen
class Exchange:
    """One command and the card's answer to it."""

    interface: str
    command: bytes
    response: bytes  # data + SW; empty when the card tore and answered nothing
    channel: int

    @property
    def sw(self) -> int:
        return (self.response[-2] << 8) | self.response[-1] if len(self.response) >= 2 else -1


Observer = Callable[[Exchange], None]
