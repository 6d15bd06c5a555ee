"""RAM over HTTP wire vectors as codec values. The documents live in tests/vectors/ and are read
by the one vector loader there (``tests.vectors.loader``).

Each ``*.json`` names its source in ``"source"``. Byte strings are hex (spaces allowed);
template items are small objects (``{"capdu": hex}``, ``{"reset": true}``,
``{"notify": [id, message, ttc]}``, ``{"close": message}``, ``{"directive": [tag, hex]}``,
``{"rapdu": hex}``, ``{"atr": hex}``, ``{"bad_format": reason}``) turned into codec values here.
"""

from __future__ import annotations

from typing import Any

from jcsim.remote import codec
from tests.vectors.loader import load

__all__ = ["command_script", "load", "response_script", "unhex"]

def unhex(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def _item(spec: dict[str, Any]) -> Any:
    (kind, value), = spec.items()
    if kind == "capdu":
        return codec.CAPDU(unhex(value))
    if kind == "reset":
        return codec.Reset()
    if kind == "notify":
        return codec.Notify(*value)
    if kind == "close":
        return codec.Close(value)
    if kind == "directive":
        return codec.Directive(value[0], unhex(value[1]))
    if kind == "rapdu":
        return codec.RAPDU(unhex(value))
    if kind == "atr":
        return codec.ATR(unhex(value))
    if kind == "bad_format":
        return codec.BadFormat(value)
    raise ValueError(f"unknown vector item {kind!r}")


def command_script(case: dict[str, Any]) -> codec.CommandScript:
    return codec.CommandScript([_item(i) for i in case["items"]], case.get("indefinite", False))


def response_script(case: dict[str, Any]) -> codec.ResponseScript:
    return codec.ResponseScript([_item(i) for i in case["items"]], case.get("executed"),
                                case.get("indefinite", False))
