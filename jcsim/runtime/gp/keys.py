"""Secure channel key sets as card state, and PUT KEY (GlobalPlatform Card Specification v2.3
§11.8; Amendment D §7.2 for AES keys).

A key set is ENC, MAC and DEK (key identifiers 1, 2, 3) under one key version number (KVN),
for SCP03 (AES-128/192/256) or SCP02 (two-key 3DES), with the i parameter the card announces
for it. The card manager keeps them in a persistent field (a dict replaced whole on each change,
so the transaction journal and card images see every change).

PUT KEY data: new KVN, then per key: key type (88 AES, 80 DES), the length of the key
component block, the block, the KCV length (3) and the KCV. An AES block is the key length
followed by the key AES-CBC encrypted under the static DEK (zero ICV; padded to 16 with zeros
when its length is not a multiple of 16); a DES block is the key encrypted with 3DES-ECB under
the SCP02 session DEK. The KCV is the first 3 bytes of AES(key, 16 x 01) or 3DES(key, 8 x 00).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from jcsim.errors import JCSimError
from jcsim.runtime.gp.session import refuse

__all__ = [
    "DEFAULT_KEY",
    "KEY_TYPE_AES",
    "KEY_TYPE_DES",
    "GPKeys",
    "default_key_sets",
    "kcv",
    "key_information",
    "key_sets_from",
    "parse_gp_keys",
    "parse_put_key",
]

DEFAULT_KEY = bytes(range(0x40, 0x50))
KEY_TYPE_AES, KEY_TYPE_DES = 0x88, 0x80
SCP03_KVN, SCP02_KVN = 0x30, 0x20
# scp03.DEFAULT_I and scp02.DEFAULT_I by protocol, spelled out so that the default key sets of
# every new card do not load the secure channel code (tests/gp check that they agree).
DEFAULT_I = {3: 0x70, 2: 0x15}


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


def default_key_sets() -> dict[int, tuple[int, int, bytes, bytes, bytes]]:
    return {SCP03_KVN: GPKeys(SCP03_KVN, DEFAULT_KEY, DEFAULT_KEY, DEFAULT_KEY).stored(),
            SCP02_KVN: GPKeys(SCP02_KVN, DEFAULT_KEY, DEFAULT_KEY, DEFAULT_KEY,
                              scp=2).stored()}


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


def kcv(key_type: int, key: bytes) -> bytes:
    # The block ciphers (and cryptography) load with the first key check value, not with the
    # card.
    from jcsim.runtime.gp.primitives import aes_ecb, des3_ecb_encrypt

    if key_type == KEY_TYPE_AES:
        return aes_ecb(key, b"\x01" * 16)[:3]
    return des3_ecb_encrypt(key, bytes(8))[:3]


def key_information(sets: Mapping[int, tuple[int, int, bytes, bytes, bytes]]) -> bytes:
    """GET DATA 00 E0: E0 { C0 04 key-id KVN key-type key-length } per key (GPCS §11.3.3.1)."""
    body = b""
    for kvn in sorted(sets):
        scp, _i, enc, _mac, _dek = sets[kvn]
        key_type = KEY_TYPE_AES if scp == 3 else KEY_TYPE_DES
        for key_id in (1, 2, 3):
            body += bytes((0xC0, 0x04, key_id, kvn, key_type, len(enc)))
    return b"\xE0" + bytes((len(body),)) + body if len(body) < 128 else \
        b"\xE0\x81" + bytes((len(body),)) + body


def parse_put_key(data: bytes, first_id: int, count_hint: bool, static_dek: bytes | None,
                  session: Any) -> tuple[int, int, list[bytes], bytes]:
    """Decode PUT KEY data: (new KVN, scp, [enc, mac, dek], answer = KVN || KCVs). Only whole
    key sets (identifiers 1 to 3) are replaced; 6A80 for anything malformed or a wrong KCV."""
    if len(data) < 1:
        refuse(0x6A80)
    new_kvn, offset = data[0], 1
    keys: list[bytes] = []
    answer = bytes((new_kvn,))
    scp = None
    while offset < len(data):
        if offset + 2 > len(data):
            refuse(0x6A80)
        key_type, block_length = data[offset], data[offset + 1]
        block = data[offset + 2:offset + 2 + block_length]
        offset += 2 + block_length
        if len(block) != block_length or offset >= len(data):
            refuse(0x6A80)
        check_length = data[offset]
        check = data[offset + 1:offset + 1 + check_length]
        offset += 1 + check_length
        if len(check) != check_length or check_length not in (0, 3):
            refuse(0x6A80)
        if key_type == KEY_TYPE_AES:
            if static_dek is None or not block or block[0] not in (16, 24, 32) or \
                    (len(block) - 1) % 16 or len(block) - 1 < block[0]:
                refuse(0x6A80)
            from jcsim.runtime.gp.primitives import aes_cbc_decrypt

            key = aes_cbc_decrypt(static_dek, bytes(16), block[1:])[:block[0]]
        elif key_type == KEY_TYPE_DES:
            if session is None or getattr(session, "protocol", 0) != 2 or block_length != 16:
                refuse(0x6A80)
            key = session.decrypt_data(block)
        else:
            refuse(0x6A80)
            return 0, 0, [], b""
        kind = 3 if key_type == KEY_TYPE_AES else 2
        if scp is not None and kind != scp:
            refuse(0x6A80)
        scp = kind
        value = kcv(key_type, key)
        if check and check != value:
            refuse(0x6A80)
        keys.append(key)
        answer += value
    # jcsim keeps whole key sets: P2 = 81 (several keys from identifier 1), ENC, MAC and DEK.
    if not count_hint or first_id != 1 or len(keys) != 3 or \
            len({len(k) for k in keys}) != 1 or not 1 <= new_kvn <= 0x7F:
        refuse(0x6A80)
    return new_kvn, scp or 3, keys, answer
