"""The host's description of a card's secure channel key sets: ``GPKeys`` for
``Simulator(gp_keys=...)`` and ``jcsim serve --gp-keys`` (GlobalPlatform Card Specification
v2.3 §11.8; the card keeps the sets as ``keys`` describes). Loaded by the first use, not by
every card, whose default sets need none of it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from jcsim.errors import JCSimError
from jcsim.runtime.gp.keys import DEFAULT_I, SCP02_KVN, SCP03_KVN

__all__ = ["GPKeys", "key_sets_from", "parse_gp_keys"]


def _key_bytes(value: Any) -> bytes:
    return bytes.fromhex(value.replace(" ", "")) if isinstance(value, str) else bytes(value)


@attrs.frozen
class GPKeys:
    """One secure channel key set: ``GPKeys(0x30, enc, mac, dek)`` (SCP03, i = 70) or
    ``GPKeys(0x20, enc, mac, dek, scp=2)`` (SCP02, i = 15). Keys are bytes or hex text."""

    kvn: int
    enc: bytes = attrs.field(converter=_key_bytes)
    mac: bytes = attrs.field(converter=_key_bytes)
    dek: bytes = attrs.field(converter=_key_bytes)
    scp: int = 3
    i: int | None = None

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.kvn <= 0x7F:
            raise JCSimError(f"a key version number is 01 to 7F, not {self.kvn:#x}")
        if self.scp not in (2, 3):
            raise JCSimError(f"scp is 2 or 3, not {self.scp}")
        sizes = (16, 24, 32) if self.scp == 3 else (16,)
        for name in ("enc", "mac", "dek"):
            if len(getattr(self, name)) not in sizes:
                raise JCSimError(f"SCP0{self.scp} {name} keys have {sizes} bytes, "
                                 f"not {len(getattr(self, name))}")
        if len({len(self.enc), len(self.mac), len(self.dek)}) != 1:
            raise JCSimError("ENC, MAC and DEK of a key set have one length")

    @property
    def i_parameter(self) -> int:
        if self.i is not None:
            return self.i
        return DEFAULT_I[self.scp]

    def stored(self) -> tuple[int, int, bytes, bytes, bytes]:
        """The form the card keeps: (scp, i, enc, mac, dek)."""
        return (self.scp, self.i_parameter, self.enc, self.mac, self.dek)


def key_sets_from(value: Any) -> dict[int, tuple[int, int, bytes, bytes, bytes]]:
    """``Simulator(gp_keys=...)``: a GPKeys, several, or one key (bytes or hex) used as ENC,
    MAC and DEK of an SCP03 set 30 and, when it has 16 bytes, of an SCP02 set 20."""
    if isinstance(value, GPKeys):
        value = [value]
    if isinstance(value, (bytes, bytearray, str)):
        key = _key_bytes(value)
        sets = [GPKeys(SCP03_KVN, key, key, key)]
        if len(key) == 16:
            sets.append(GPKeys(SCP02_KVN, key, key, key, scp=2))
        value = sets
    result: dict[int, tuple[int, int, bytes, bytes, bytes]] = {}
    for keys in value if isinstance(value, Iterable) else ():
        if not isinstance(keys, GPKeys):
            raise JCSimError(f"gp_keys takes GPKeys or a key, not {keys!r}")
        if keys.kvn in result:
            raise JCSimError(f"two key sets with key version {keys.kvn:#04x}")
        result[keys.kvn] = keys.stored()
    if not result:
        raise JCSimError("gp_keys names no key set")
    return result


def parse_gp_keys(text: str) -> list[GPKeys]:
    """``--gp-keys``: ``KEY`` or ``ENC:MAC:DEK`` (hex) for an SCP03 set 30 and, for 16-byte
    keys, an SCP02 set 20; ``KVN=...`` names one key set instead (KVN 20-2F: SCP02)."""
    kvn_text, _, keys_text = text.rpartition("=")
    parts = keys_text.split(":")
    if len(parts) not in (1, 3):
        raise JCSimError(f"expected KEY or ENC:MAC:DEK in hex, not {text!r}")
    try:
        enc, mac, dek = [bytes.fromhex(p) for p in (parts * 3 if len(parts) == 1 else parts)]
        kvn = int(kvn_text, 16) if kvn_text else None
    except ValueError as exc:
        raise JCSimError(f"{text!r} is not KVN=KEY in hex: {exc}") from exc
    if kvn is not None:
        return [GPKeys(kvn, enc, mac, dek, scp=2 if 0x20 <= kvn <= 0x2F else 3)]
    sets = [GPKeys(SCP03_KVN, enc, mac, dek)]
    if len(enc) == 16:
        sets.append(GPKeys(SCP02_KVN, enc, mac, dek, scp=2))
    return sets
