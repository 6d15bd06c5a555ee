"""What ``Simulator.memory()`` reports: each memory pool's capacity and use (JCRE §3.1;
``runtime/memory.py`` keeps the accounting). Built on request only, so loaded by the first
report rather than with every card."""

from __future__ import annotations

import attrs

__all__ = ["MemorySnapshot", "PoolSnapshot"]


@attrs.frozen
class PoolSnapshot:
    capacity: int
    used: int

    @property
    def available(self) -> int:
        return self.capacity - self.used


@attrs.frozen
class MemorySnapshot:
    """What ``sim.memory()`` reports."""

    persistent: PoolSnapshot
    transient_reset: PoolSnapshot
    transient_deselect: PoolSnapshot
    objects: int
