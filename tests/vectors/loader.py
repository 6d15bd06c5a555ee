"""The one reader of the test vectors stored beside this module (crypto, RMI, RAM over HTTP).

Each ``*.json`` file names its published source in ``"source"`` and holds lists of cases whose
byte strings are hex. ``load(name)`` returns the parsed document; ``unhex`` turns a case's hex
fields into bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["VECTORS", "load", "unhex"]

VECTORS = Path(__file__).resolve().parent


def load(name: str) -> dict[str, Any]:
    """The vector document ``<name>.json``."""
    with (VECTORS / f"{name}.json").open(encoding="utf-8") as f:
        return json.load(f)


def unhex(case: dict[str, Any], *fields: str) -> tuple[bytes, ...]:
    """The named hex fields of ``case`` as bytes, in order."""
    return tuple(bytes.fromhex(case[field]) for field in fields)
