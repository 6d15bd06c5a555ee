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

from collections.abc import Mapping
from typing import Any

from jcsim.runtime.gp.session import refuse

__all__ = [
    "DEFAULT_KEY",
    "KEY_TYPE_AES",
    "KEY_TYPE_DES",
    "default_key_sets",
    "kcv",
    "key_information",
    "parse_put_key",
]

DEFAULT_KEY = bytes(range(0x40, 0x50))
KEY_TYPE_AES, KEY_TYPE_DES = 0x88, 0x80
SCP03_KVN, SCP02_KVN = 0x30, 0x20
# scp03.DEFAULT_I and scp02.DEFAULT_I by protocol, spelled out so that the default key sets of
# every new card do not load the secure channel code (tests/gp check that they agree).
DEFAULT_I = {3: 0x70, 2: 0x15}


def default_key_sets() -> dict[int, tuple[int, int, bytes, bytes, bytes]]:
    """The key sets of a new card: SCP03 set 30 and SCP02 set 20, each key 40..4F, as the card
    keeps them (scp, i, enc, mac, dek)."""
    return {SCP03_KVN: (3, DEFAULT_I[3], DEFAULT_KEY, DEFAULT_KEY, DEFAULT_KEY),
            SCP02_KVN: (2, DEFAULT_I[2], DEFAULT_KEY, DEFAULT_KEY, DEFAULT_KEY)}


def __getattr__(name: str) -> object:
    # The host's description of a key set lives in ``host_keys``, imported by the first
    # ``Simulator(gp_keys=...)`` or ``--gp-keys``, not by every card.
    if name in ("GPKeys", "key_sets_from", "parse_gp_keys"):
        from jcsim.runtime.gp import host_keys

        return getattr(host_keys, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
