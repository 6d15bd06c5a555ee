"""Keeping a card image file up to date while a card is in use (``jcsim run --image``,
``jcsim serve --image``, ``serve_vpcd(..., image=...)``)."""

from __future__ import annotations

import os

from jcsim.simulator import Simulator

__all__ = ["ImageAutosave"]


class ImageAutosave:
    """Saves the card's image after each step that changed its persistent state.

    Call it after every step; it saves (atomically, see ``Simulator.save``) only when
    ``card.persistent_version()`` moved since the last save, and always at the first call when
    the file does not exist yet. With ``path=None`` it does nothing. With ``key`` every save is
    signed (HMAC-SHA256).
    """

    def __init__(self, sim: Simulator, path: str | os.PathLike[str] | None, *,
                 key: bytes | None = None) -> None:
        self.sim = sim
        self.path = path
        self.key = key
        self.version = None if path is None or not os.path.exists(path) else \
            sim.card.persistent_version()

    def __call__(self) -> None:
        if self.path is None:
            return
        version = self.sim.card.persistent_version()
        if version != self.version:
            self.sim.save(self.path, key=self.key)
            self.version = version
