"""jcsim's Java surface against the Java Card 3.0.5 Classic API listing in javacard_api.json.

``javacard_api.json`` is written by ``scripts/java_card_api_listing.py`` from the development
kit's export files: every public and protected class, method and constant an applet links
against. Each class is one test: it exists under the module its Java package maps to, extends
what Java says (when both sides are ours), has every method name (Python has no overloading, so
one name serves every Java signature) and every constant with the specification's value
(jcsim's constants may hold the unsigned reading of a byte or short). ``equals(Object)``, which
the export files list for every class that inherits it from ``java.lang.Object``, is Python's
``==`` unless the class overrides it.

Package mapping: ``javacard.framework`` -> ``jcsim.framework`` (``.service`` likewise),
``javacard.security`` -> ``jcsim.security``, ``javacardx.crypto`` -> ``jcsim.crypto``, and every
other ``javacardx.P`` -> ``jcsim.x.P`` (``jcsim.apdu``, ``jcsim.framework.util`` and
``jcsim.security`` already name other things). A nested class ``Outer$Inner`` is an attribute
``Outer.Inner``.

The listing's ``additions_3_1`` (what Java Card 3.1 adds to the same packages) is rendered in
docs/api-coverage.md as a separate table with its status, and not required.

``NOT_YET`` lists classes still missing; they are strict xfails, so a class that starts passing
must leave the list. The API coverage table in docs/api-coverage.md is generated from the same
data: ``python tests/api/test_api_coverage.py`` rewrites it.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

LISTING = Path(__file__).resolve().parent / "javacard_api.json"
PAGE = Path(__file__).resolve().parents[2] / "docs" / "api-coverage.md"
START = "<!-- api-coverage:start -->\n"
END = "<!-- api-coverage:end -->\n"

MODULES = {
    "javacard.framework": "jcsim.framework",
    "javacard.framework.service": "jcsim.framework.service",
    "javacard.security": "jcsim.security",
    "javacardx.crypto": "jcsim.crypto",
    "java.lang": "jcsim.lang",
}

NOT_YET: frozenset[str] = frozenset()

DOCUMENT = json.loads(LISTING.read_text(encoding="utf-8"))
API = DOCUMENT["packages"]
ADDITIONS_3_1 = DOCUMENT.get("additions_3_1", {})
MASKS = {"B": 0xFF, "S": 0xFFFF, "I": 0xFFFFFFFF, "Z": 1}


def module_name(package: str) -> str:
    """The Python module that mirrors Java package ``package``."""
    if package in MODULES:
        return MODULES[package]
    if package.startswith("javacardx."):
        return "jcsim.x." + package.removeprefix("javacardx.")
    raise KeyError(package)


def resolve(package: str, name: str):
    """The Python class mirroring ``package.name`` (``Outer$Inner`` nested), or None."""
    try:
        target = importlib.import_module(module_name(package))
    except (ImportError, KeyError):
        return None
    for part in name.split("$"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def problems(package: str, name: str, listing: dict | None = None) -> list[str]:
    """Everything the Python mirror of one Java class lacks or gets wrong."""
    spec = (listing or API)[package][name]
    cls = resolve(package, name)
    if cls is None:
        return [f"no class {name.replace('$', '.')} in {module_name(package)}"]
    found = []
    for java_super in spec["supers"]:
        super_package, _, super_name = java_super.replace("/", ".").rpartition(".")
        parent = resolve(super_package, super_name) if super_package in MODULES or \
            super_package.startswith("javacardx.") else None
        if parent is not None and isinstance(cls, type) and not issubclass(cls, parent):
            found.append(f"does not extend {super_name}")
    for field, (descriptor, value) in spec["fields"].items():
        if not hasattr(cls, field):
            found.append(f"no field {field}")
        elif value is not None:
            mask = MASKS[descriptor]
            ours = getattr(cls, field)
            if not isinstance(ours, int) or (ours & mask) != (value & mask):
                found.append(f"{field} is {ours!r}, not {value}")
    for method in spec["methods"]:
        method_name = method.split(" ")[-1].split("(")[0]
        if method == "equals(Ljava/lang/Object;)Z":
            continue  # java.lang.Object's, which every class inherits; Python's == serves
        if method_name == "<init>":
            if not callable(cls):
                found.append("no constructor")
        elif not callable(getattr(cls, method_name, None)):
            found.append(f"no method {method_name}")
    return sorted(set(found))


CLASSES = [(p, c) for p in sorted(API) for c in sorted(API[p])]


@pytest.mark.parametrize(
    ("package", "name"),
    [pytest.param(p, c, id=f"{p}.{c}",
                  marks=[pytest.mark.xfail(strict=True, reason="not yet in jcsim")]
                  if f"{p}.{c}" in NOT_YET else [])
     for p, c in CLASSES],
)
def test_the_java_class_is_mirrored_completely(package, name):
    assert problems(package, name) == []


def test_the_3_1_additions_are_listed_apart_from_the_3_0_5_classes():
    assert ADDITIONS_3_1, "the listing has no 3.1 additions"
    assert "Resources" in ADDITIONS_3_1["javacard.framework"]
    assert "Resources" not in API["javacard.framework"]
    assert ADDITIONS_3_1["javacard.framework"]["JCSystem"]["partial"] is True


def test_the_not_yet_list_names_only_real_classes():
    assert NOT_YET <= {f"{p}.{c}" for p, c in CLASSES}


def test_the_listing_holds_the_whole_api():
    # A truncated or mis-generated listing would make the coverage test vacuous.
    assert len(CLASSES) == 94
    assert API["javacard.framework"]["ISO7816"]["fields"]["SW_NO_ERROR"] == ["S", -28672]
    assert "static open(BBB)Ljavacard/security/Signature$OneShot;" in \
        API["javacard.security"]["Signature$OneShot"]["methods"]


def render() -> str:
    """The coverage table: one row per Java class."""
    complete = sum(1 for p, c in CLASSES if not problems(p, c))
    lines = [
        f"{complete} of {len(CLASSES)} classes of the Java Card 3.0.5 Classic API mirrored "
        "completely (every method and constant).",
        "",
        "| Java package | Python module | Class | Methods | Constants | Status |",
        "| --- | --- | --- | ---: | ---: | --- |",
    ]
    for p, c in CLASSES:
        spec = API[p][c]
        missing = problems(p, c)
        status = "complete" if not missing else "missing: " + "; ".join(missing)[:80]
        lines.append(f"| {p} | `{module_name(p)}` | `{c.replace('$', '.')}` | "
                     f"{len(spec['methods'])} | {len(spec['fields'])} | {status} |")
    lines += [
        "",
        "Java Card 3.1 adds these to the same packages (listed from the 3.1 kit's export "
        "files, not required):",
        "",
        "| Java package | Class | New methods | New constants | Status |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for p in sorted(ADDITIONS_3_1):
        for c in sorted(ADDITIONS_3_1[p]):
            spec = ADDITIONS_3_1[p][c]
            missing = problems(p, c, ADDITIONS_3_1)
            status = ("present" if not missing else "class not in jcsim"
                      if resolve(p, c) is None else f"{len(missing)} members not in jcsim")
            lines.append(f"| {p} | `{c.replace('$', '.')}` | {len(spec['methods'])} | "
                         f"{len(spec['fields'])} | {status} |")
    return "\n".join(lines) + "\n"


def _split(text: str) -> tuple[str, str, str]:
    head, _, rest = text.partition(START)
    table, _, tail = rest.partition(END)
    return head, table, tail


def test_the_docs_coverage_table_matches_the_code():
    _head, table, _tail = _split(PAGE.read_text(encoding="utf-8"))
    assert table == render()


if __name__ == "__main__":
    head, _table, tail = _split(PAGE.read_text(encoding="utf-8"))
    PAGE.write_text(head + START + render() + END + tail, encoding="utf-8")
