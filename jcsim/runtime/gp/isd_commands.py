"""The issuer security domain's management commands besides INSTALL, DELETE and GET STATUS:
GET DATA (GPCS v2.3 §11.3), PUT KEY (§11.8) and SET STATUS (§11.10). Each takes the card
manager (whose persistent fields hold the keys, counters and states), the plain command and
the secure channel session it came through, and answers data or raises ISOException. Every
check runs before the first persistent write, so a refused command changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jcsim.runtime.gp import lifecycle
from jcsim.runtime.gp.keys import parse_put_key
from jcsim.runtime.gp.session import SecureSession, refuse

if TYPE_CHECKING:
    from jcsim.runtime.card import Card
    from jcsim.runtime.card_manager import CardManager

__all__ = ["default_cplc", "delete_key", "get_data", "put_key", "set_status"]

SW_NOT_FOUND = 0x6A88
SW_CONDITIONS = 0x6985
SW_WRONG_P1P2 = 0x6A86


def _tlv(tag: bytes, value: bytes) -> bytes:
    return tag + bytes((len(value),)) + value


def default_cplc(cin: bytes) -> bytes:
    """42 bytes of card production life cycle data (GPCS Table H-2); jcsim's values: zeros
    but for the IC serial number, taken from the CIN."""
    serial = (cin[-4:] if len(cin) >= 4 else cin.rjust(4, b"\x00"))
    return bytes(12) + serial + bytes(26)


def get_data(isd: CardManager, p1: int, p2: int) -> bytes:
    tag = p1 << 8 | p2
    if tag == 0x00E0:
        from jcsim.runtime.gp.keys import key_information

        return key_information(isd.key_sets)
    if tag == 0x9F7F:
        return _tlv(b"\x9F\x7F", isd.cplc)
    if tag == 0x0042:
        return _tlv(b"\x42", isd.iin)
    if tag == 0x0045:
        return _tlv(b"\x45", isd.cin)
    if tag == 0x0066:
        # Card Data (GPCS §H.2): the card recognition data with the SCP options this card has.
        oid = bytes.fromhex("2A864886FC6B")
        body = _tlv(b"\x06", bytes.fromhex("2A864886FC6B01"))
        body += _tlv(b"\x60", _tlv(b"\x06", oid + bytes.fromhex("020203")))
        body += _tlv(b"\x63", _tlv(b"\x06", oid + b"\x03"))
        body += _tlv(b"\x64", _tlv(b"\x06", oid + bytes.fromhex("040370")))
        body += _tlv(b"\x64", _tlv(b"\x06", oid + bytes.fromhex("040215")))
        return _tlv(b"\x66", _tlv(b"\x73", body))
    refuse(SW_NOT_FOUND)
    return b""


def put_key(isd: CardManager, p1: int, p2: int, data: bytes,
            session: SecureSession | None) -> bytes:
    """Replace the key set P1 (or add one when P1 = 00) by the keys in the data."""
    if p1 & 0x80 or p2 & 0x7F != 1:
        refuse(SW_WRONG_P1P2)
    sets = isd.key_sets
    if p1 and p1 not in sets:
        refuse(SW_NOT_FOUND)
    # AES keys come encrypted under the static DEK: the session's, else (without a session)
    # that of the key set being replaced or of the first SCP03 set.
    static_dek = None
    if session is not None and session.protocol == 3:
        static_dek = session.static_dek
    elif session is None:
        source = sets.get(p1) if p1 else next((sets[k] for k in sorted(sets)
                                               if sets[k][0] == 3), None)
        if source is not None and source[0] == 3:
            static_dek = source[4]
    new_kvn, scp, (enc, mac, dek), answer = parse_put_key(data, p2 & 0x7F, bool(p2 & 0x80),
                                                          static_dek, session)
    if (p1 == 0 and new_kvn in sets) or (p1 and new_kvn != p1 and new_kvn in sets):
        refuse(SW_CONDITIONS)
    if scp == 3 and len(enc) not in (16, 24, 32):
        refuse(0x6A80)
    old = sets.get(p1) if p1 else None
    from jcsim.runtime.gp import scp02, scp03

    i = old[1] if old is not None and old[0] == scp else \
        (scp03.DEFAULT_I if scp == 3 else scp02.DEFAULT_I)
    updated = dict(sets)
    if p1:
        del updated[p1]
    updated[new_kvn] = (scp, i, enc, mac, dek)
    isd.key_sets = updated
    return answer


def set_status(isd: CardManager, card: Card, p1: int, p2: int, data: bytes) -> None:
    if p1 == 0x80:
        if not lifecycle.card_transition_allowed(isd.card_state, p2):
            refuse(SW_CONDITIONS)
        isd.card_state = p2
        return
    if p1 == 0x40:
        from jcsim.runtime.card_manager import CARD_MANAGER_AID

        record = card.registry.find(data) if 5 <= len(data) <= 16 else None
        if record is None:
            refuse(SW_NOT_FOUND)
        if record.aid_value == CARD_MANAGER_AID:
            refuse(SW_CONDITIONS)
        current = isd.application_state(record)
        if p2 & lifecycle.APPLICATION_LOCKED:
            new = current | lifecycle.APPLICATION_LOCKED
        elif current & lifecycle.APPLICATION_LOCKED:
            new = current & 0x7F
        else:
            refuse(SW_CONDITIONS)
            return
        if new == current:
            refuse(SW_CONDITIONS)
        isd.set_application_state(record, new)
        return
    refuse(SW_WRONG_P1P2)


def delete_key(isd: CardManager, data: bytes) -> None:
    """DELETE [key] (GPCS §11.2.2.1): ``D0 01 key-id`` and / or ``D2 01 KVN``. Key sets are kept
    whole, so the KVN is required and the whole set goes; the last key set stays (6985)."""
    fields: dict[int, int] = {}
    offset = 0
    while offset < len(data):
        if offset + 3 > len(data) or data[offset] not in (0xD0, 0xD2) or \
                data[offset + 1] != 1 or data[offset] in fields:
            refuse(0x6A80)
        fields[data[offset]] = data[offset + 2]
        offset += 3
    kvn = fields.get(0xD2)
    key_id = fields.get(0xD0)
    if kvn is None or (key_id is not None and key_id not in (1, 2, 3)):
        refuse(0x6A80 if kvn is None else SW_NOT_FOUND)
    sets = isd.key_sets
    if kvn not in sets:
        refuse(SW_NOT_FOUND)
    if len(sets) == 1:
        refuse(SW_CONDITIONS)
    remaining = dict(sets)
    del remaining[kvn]
    isd.key_sets = remaining
