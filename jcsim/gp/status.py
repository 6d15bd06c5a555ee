"""Reading what a GlobalPlatform card answers: GET STATUS (GPCS v2.3 §11.4, both formats), the
key information template (§11.3.3.1, tag E0), the CPLC (tag 9F7F) and the life cycle and
privilege names (§5.1, §6.6, Table 11-7).

Everything here takes bytes from a card and is defensive about them: a length that runs past
the data raises ``GPFormatError``, never an IndexError.
"""

from __future__ import annotations

import attrs

from jcsim.errors import JCSimError

__all__ = [
    "CPLC",
    "GPFormatError",
    "KeyInfo",
    "StatusEntry",
    "card_state_name",
    "lifecycle_name",
    "parse_cplc",
    "parse_key_information",
    "parse_status_legacy",
    "parse_status_tlv",
    "parse_tlv",
    "privilege_names",
]

CARD_STATES = {0x01: "OP_READY", 0x07: "INITIALIZED", 0x0F: "SECURED", 0x7F: "CARD_LOCKED",
               0xFF: "TERMINATED"}
APPLICATION_STATES = {0x03: "INSTALLED", 0x07: "SELECTABLE"}
SECURITY_DOMAIN_STATES = {0x03: "INSTALLED", 0x07: "SELECTABLE", 0x0F: "PERSONALIZED"}
PRIVILEGES = (
    (0, 0x80, "SecurityDomain"), (0, 0x40, "DAPVerification"),
    (0, 0x20, "DelegatedManagement"), (0, 0x10, "CardLock"), (0, 0x08, "CardTerminate"),
    (0, 0x04, "CardReset"), (0, 0x02, "CVMManagement"), (0, 0x01, "MandatedDAPVerification"),
    (1, 0x80, "TrustedPath"), (1, 0x40, "AuthorizedManagement"), (1, 0x20, "TokenVerification"),
    (1, 0x10, "GlobalDelete"), (1, 0x08, "GlobalLock"), (1, 0x04, "GlobalRegistry"),
    (1, 0x02, "FinalApplication"), (1, 0x01, "GlobalService"), (2, 0x80, "ReceiptGeneration"),
    (2, 0x40, "CipheredLoadFileDataBlock"), (2, 0x20, "ContactlessActivation"),
    (2, 0x10, "ContactlessSelfActivation"),
)


class GPFormatError(JCSimError, ValueError):
    """A card's answer does not have the layout GlobalPlatform gives it."""


def parse_tlv(data: bytes) -> list[tuple[int, bytes]]:
    """BER-TLV at one level: (tag, value) pairs; tags of one to three bytes, definite lengths
    of one to four bytes."""
    items, offset, end = [], 0, len(data)
    while offset < end:
        if data[offset] in (0x00, 0xFF):  # padding between objects (ISO 7816-4 §5.2.2)
            offset += 1
            continue
        tag = data[offset]
        offset += 1
        if tag & 0x1F == 0x1F:
            while True:
                if offset >= end:
                    raise GPFormatError("a BER-TLV tag runs past the data")
                tag = (tag << 8) | data[offset]
                offset += 1
                if not tag & 0x80 or tag > 0xFFFFFF:
                    break
        if offset >= end:
            raise GPFormatError(f"tag {tag:X} has no length")
        length = data[offset]
        offset += 1
        if length & 0x80:
            count = length & 0x7F
            if not 1 <= count <= 4 or offset + count > end:
                raise GPFormatError(f"tag {tag:X} has a malformed length")
            length = int.from_bytes(data[offset:offset + count], "big")
            offset += count
        if offset + length > end:
            raise GPFormatError(f"tag {tag:X} says {length} bytes; {end - offset} remain")
        items.append((tag, bytes(data[offset:offset + length])))
        offset += length
    return items


@attrs.frozen
class StatusEntry:
    """One GET STATUS entry: an application, a security domain or a load file."""

    kind: str  # "ISD", "APP" (applications and security domains), "PKG" (load files)
    aid: bytes
    lifecycle: int
    privileges: bytes = b""
    load_file: bytes | None = None  # the load file an application comes from (TLV format)
    modules: tuple[bytes, ...] = ()  # a load file's executable modules (P1 = 10)
    version: bytes | None = None

    @property
    def state(self) -> str:
        return lifecycle_name(self.kind, self.lifecycle)

    @property
    def privilege_list(self) -> list[str]:
        return privilege_names(self.privileges)


def lifecycle_name(kind: str, value: int) -> str:
    if kind == "ISD":
        return CARD_STATES.get(value, f"{value:02X}")
    if kind == "PKG":
        return "LOADED" if value == 0x01 else f"{value:02X}"
    if value & 0x80 and value != 0xFF:
        return "LOCKED"
    name = APPLICATION_STATES.get(value) or SECURITY_DOMAIN_STATES.get(value)
    if name is None and value & 0x07 == 0x07:
        name = "SELECTABLE"
    return name or f"{value:02X}"


def card_state_name(value: int) -> str:
    return CARD_STATES.get(value, f"{value:02X}")


def privilege_names(privileges: bytes) -> list[str]:
    return [name for index, bit, name in PRIVILEGES
            if index < len(privileges) and privileges[index] & bit]


def parse_status_tlv(kind: str, data: bytes) -> list[StatusEntry]:
    """GET STATUS entries in the GlobalPlatform template format (P2 b2 = 1): E3 templates."""
    entries = []
    for tag, value in parse_tlv(data):
        if tag != 0xE3:
            raise GPFormatError(f"GET STATUS answered tag {tag:X} where E3 belongs")
        fields: dict[int, bytes] = {}
        modules = []
        for inner, content in parse_tlv(value):
            if inner == 0x84:
                modules.append(content)
            else:
                fields.setdefault(inner, content)
        if 0x4F not in fields or 0x9F70 not in fields or not fields[0x9F70]:
            raise GPFormatError("a GET STATUS entry lacks its AID (4F) or life cycle (9F70)")
        entries.append(StatusEntry(kind, fields[0x4F], fields[0x9F70][0],
                                   fields.get(0xC5, b""), fields.get(0xC4),
                                   tuple(modules), fields.get(0xCE)))
    return entries


def parse_status_legacy(kind: str, data: bytes, with_modules: bool = False) -> list[StatusEntry]:
    """GET STATUS entries in the legacy format (P2 b2 = 0): Lapp AID life-cycle privileges,
    and for load files with modules (P1 = 10) a count and the module AIDs."""
    entries, offset, end = [], 0, len(data)

    def take(count: int) -> bytes:
        nonlocal offset
        if offset + count > end:
            raise GPFormatError("a GET STATUS entry runs past the answer")
        part = data[offset:offset + count]
        offset += count
        return bytes(part)

    while offset < end:
        aid = take(take(1)[0])
        lifecycle, privilege = take(2)
        modules = []
        if with_modules:
            for _ in range(take(1)[0]):
                modules.append(take(take(1)[0]))
        entries.append(StatusEntry(kind, aid, lifecycle, bytes((privilege,)), None,
                                   tuple(modules)))
    return entries


@attrs.frozen
class KeyInfo:
    """One key of the key information template: identifier, version, and its components as
    (type, length) pairs (type 80 DES, 88 AES...)."""

    key_id: int
    version: int
    components: tuple[tuple[int, int], ...]

    @property
    def type_names(self) -> str:
        names = {0x80: "DES", 0x88: "AES", 0xA1: "RSA-PUB-N", 0xA0: "RSA-PUB-E"}
        return ", ".join(f"{names.get(t, f'{t:02X}')}/{length * 8 if t in (0x80, 0x88) else length}"
                         for t, length in self.components)


def parse_key_information(data: bytes) -> list[KeyInfo]:
    """The key information template (GET DATA 00 E0): E0 { C0 len ID KVN (type len)... }; the
    extended form (FF type) and two-byte lengths are read too."""
    outer = parse_tlv(data)
    if len(outer) == 1 and outer[0][0] == 0xE0:
        outer = parse_tlv(outer[0][1])
    keys = []
    for tag, value in outer:
        if tag != 0xC0:
            continue
        if len(value) < 2:
            raise GPFormatError("a key information entry has fewer than 2 bytes")
        components = []
        offset = 2
        while offset < len(value):
            if value[offset] == 0xFF:  # extended format: FF type, 2-byte length, usage, access
                if offset + 4 > len(value):
                    raise GPFormatError("an extended key component runs past its entry")
                components.append((value[offset + 1],
                                   int.from_bytes(value[offset + 2:offset + 4], "big")))
                offset += 4
                if offset < len(value):
                    offset += 1 + value[offset]  # key usage
                if offset < len(value):
                    offset += 1 + value[offset]  # key access
                continue
            if offset + 2 > len(value):
                raise GPFormatError("a key component runs past its entry")
            components.append((value[offset], value[offset + 1]))
            offset += 2
        keys.append(KeyInfo(value[0], value[1], tuple(components)))
    return keys


CPLC_FIELDS = (
    ("ICFabricator", 2), ("ICType", 2), ("OperatingSystemID", 2),
    ("OperatingSystemReleaseDate", 2), ("OperatingSystemReleaseLevel", 2),
    ("ICFabricationDate", 2), ("ICSerialNumber", 4), ("ICBatchIdentifier", 2),
    ("ICModuleFabricator", 2), ("ICModulePackagingDate", 2), ("ICCManufacturer", 2),
    ("ICEmbeddingDate", 2), ("ICPrePersonalizer", 2), ("ICPrePersonalizationEquipmentDate", 2),
    ("ICPrePersonalizationEquipmentID", 4), ("ICPersonalizer", 2),
    ("ICPersonalizationDate", 2), ("ICPersonalizationEquipmentID", 4),
)
CPLC_LENGTH = sum(size for _, size in CPLC_FIELDS)


@attrs.frozen
class CPLC:
    """The Card Production Life Cycle data, field by field (names as GlobalPlatform's)."""

    fields: tuple[tuple[str, bytes], ...]

    def __getitem__(self, name: str) -> bytes:
        for key, value in self.fields:
            if key == name:
                return value
        raise KeyError(name)


def parse_cplc(data: bytes) -> CPLC:
    """The CPLC from GET DATA 9F7F's answer (with or without its 9F7F tag and length)."""
    if data[:2] == b"\x9f\x7f":
        items = parse_tlv(data)
        if not items or items[0][0] != 0x9F7F:
            raise GPFormatError("the CPLC answer is not a 9F7F object")
        data = items[0][1]
    if len(data) != CPLC_LENGTH:
        raise GPFormatError(f"the CPLC has {CPLC_LENGTH} bytes, not {len(data)}")
    fields, offset = [], 0
    for name, size in CPLC_FIELDS:
        fields.append((name, bytes(data[offset:offset + size])))
        offset += size
    return CPLC(tuple(fields))
