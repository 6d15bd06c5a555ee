"""Write tests/api/javacard_api.json from the Java Card development kit's export files.

An export file (JCVM specification 3.0.5, section 5.7, formats 2.1 and 2.2; 3.1 kits write
format 2.3, which adds the list of referenced packages and one byte per class) lists every
public and protected class, interface, method and field of one package, with the value of every
``static final`` primitive field: the exact surface an applet links against. This script reads
the export files of the packages jcsim mirrors and writes them as one JSON document, so the API
coverage test compares jcsim with the specification's own listing rather than with a hand copy.

    python scripts/java_card_api_listing.py KIT_3_0_5/api_export_files \
        [KIT_3_1/api_export_files_3.1.0]

With the second directory, the classes, methods and constants that Java Card 3.1 adds to the same
packages are listed too, under ``additions_3_1`` (the coverage test lists them, without
requiring them).
"""

from __future__ import annotations

import json
import re
import struct
import sys
from pathlib import Path

PACKAGES = [
    "javacard/framework", "javacard/framework/service", "javacard/security", "javacardx/crypto",
    "javacardx/apdu", "javacardx/apdu/util", "javacardx/framework/util",
    "javacardx/framework/util/intx", "javacardx/framework/tlv", "javacardx/framework/string",
    "javacardx/framework/math", "javacardx/external", "javacardx/biometry",
]
OUT = Path(__file__).resolve().parents[1] / "tests" / "api" / "javacard_api.json"

ACC_PUBLIC, ACC_FINAL, ACC_INTERFACE, ACC_ABSTRACT = 0x0001, 0x0010, 0x0200, 0x0400
ACC_STATIC, ACC_PROTECTED = 0x0008, 0x0004
TAG_UTF8, TAG_INTEGER, TAG_CLASSREF, TAG_PACKAGE = 1, 3, 7, 13


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.at + size > len(self.data):
            raise ValueError("export file truncated")
        values = struct.unpack_from(fmt, self.data, self.at)
        self.at += size
        return values if len(values) > 1 else values[0]

    def raw(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise ValueError("export file truncated")
        self.at += n
        return self.data[self.at - n:self.at]


def _signed(value: int, descriptor: str) -> int:
    bits = {"B": 8, "S": 16, "I": 32, "Z": 8}[descriptor]
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) and descriptor != "Z" else value


def parse_export_file(data: bytes) -> dict:
    """The classes of one export file: name -> kind, flags, supers, fields, methods."""
    r = _Reader(data)
    if r.take(">I") != 0x00FACADE:
        raise ValueError("not an export file")
    minor, major = r.take(">BB")
    pool: list = []
    for _ in range(r.take(">H")):
        tag = r.take(">B")
        if tag == TAG_UTF8:
            pool.append(r.raw(r.take(">H")).decode("utf-8"))
        elif tag == TAG_INTEGER:
            pool.append(r.take(">i"))
        elif tag == TAG_CLASSREF:
            pool.append(("class", r.take(">H")))
        elif tag == TAG_PACKAGE:
            _flags, name, _mi, _ma = r.take(">BHBB")
            r.raw(r.take(">B"))
            pool.append(("package", name))
        else:
            raise ValueError(f"unknown constant pool tag {tag}")

    def class_name(index: int) -> str:
        return pool[pool[index][1]]

    r.take(">H")  # this_package
    if (major, minor) >= (2, 3):  # format 2.3 (Java Card 3.1) lists the packages it refers to
        r.raw(2 * r.take(">B"))
    if (major, minor) not in ((2, 1), (2, 2), (2, 3)):
        raise ValueError(f"export file format {major}.{minor}: only formats 2.1 to 2.3 are read")
    classes = {}
    for _ in range(r.take(">B")):
        _token, access, name_index = r.take(">BHH")
        supers = [class_name(r.take(">H")) for _ in range(r.take(">H"))]
        interfaces = [class_name(r.take(">H")) for _ in range(r.take(">B"))]
        fields = {}  # name -> [descriptor, constant value or null]
        for _ in range(r.take(">H")):
            _token, f_access, f_name, f_desc = r.take(">BHHH")
            value = None
            for _ in range(r.take(">H")):
                _attr_name, length = r.take(">HI")
                body = r.raw(length)
                value = pool[struct.unpack(">H", body)[0]]
            descriptor = pool[f_desc]
            if value is not None:
                value = _signed(value, descriptor)
            fields[pool[f_name]] = [descriptor, value]
        methods = []
        for _ in range(r.take(">H")):
            _token, m_access, m_name, m_desc = r.take(">BHHH")
            modifiers = ("static " if m_access & ACC_STATIC else "") + (
                "abstract " if m_access & ACC_ABSTRACT else "")
            methods.append(f"{modifiers}{pool[m_name]}{pool[m_desc]}")
        if (major, minor) >= (2, 3):
            r.take(">B")  # one more byte per class in format 2.3; the listing does not need it
        name = class_name(name_index)
        kind = "interface" if access & ACC_INTERFACE else (
            "abstract class" if access & ACC_ABSTRACT else "class")
        classes[name.rsplit("/", 1)[1]] = {
            "kind": kind, "supers": supers,
            "interfaces": interfaces, "fields": fields,
            "methods": sorted(methods, key=lambda m: m.split(" ")[-1]),
        }
    return classes


def _package_file(root: Path, package: str) -> Path:
    return root / package / "javacard" / f"{package.rsplit('/', 1)[1]}.exp"


def _listing(root: Path) -> dict:
    return {p.replace("/", "."): parse_export_file(_package_file(root, p).read_bytes())
            for p in PACKAGES if _package_file(root, p).exists()}


def _additions(new: dict, old: dict) -> dict:
    """What ``new`` has that ``old`` lacks: whole classes, and fields and methods of classes
    both have (those marked ``"partial"``)."""
    added: dict = {}
    for package, classes in new.items():
        for name, cls in classes.items():
            before = old.get(package, {}).get(name)
            if before is None:
                added.setdefault(package, {})[name] = cls
                continue
            fields = {k: v for k, v in cls["fields"].items() if k not in before["fields"]}
            methods = [m for m in cls["methods"] if m not in before["methods"]]
            if fields or methods:
                added.setdefault(package, {})[name] = dict(cls, fields=fields, methods=methods,
                                                           partial=True)
    return added


def main(argv: list[str]) -> None:
    base = _listing(Path(argv[0]))
    document = {
        "source": "Java Card Classic Development Kit 3.0.5u4 export files "
                  "(api_export_files/<package>/javacard/*.exp, JCVM 3.0.5 section 5.7)",
        "packages": base,
    }
    if len(argv) > 1:
        document["additions_3_1"] = _additions(_listing(Path(argv[1])), base)
        document["additions_3_1_source"] = (
            "Java Card 3.1.0 development kit (build 43) export files "
            "(api_export_files_3.1.0, export file format 2.3): what they add to the packages "
            "above; listed, not checked")
    OUT.parent.mkdir(exist_ok=True)
    text = json.dumps(document, indent=1, sort_keys=True)
    # One line per field: ["B", -128] rather than four.
    text = re.sub(r'\[\n\s+("[^"]*"),\n\s+([^\n]+)\n\s+\]', r"[\1, \2]", text)
    OUT.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
