"""``runtime.image`` for the host API, imported at its first use.

Card images need json, hashlib and tempfile, which a script that only runs a card in-process
never uses; ``Simulator`` reaches the image functions through this module, whose attributes are
those of ``runtime.image`` once something asks for one.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    from jcsim.runtime import image

    return getattr(image, name)
