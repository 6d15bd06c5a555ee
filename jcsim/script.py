"""APDU scripts: the text format ``jcsim run`` executes, parsed without running anything.

One step per line; ``#`` starts a comment. A step is a directive or a command APDU in hex::

    install jcsim.samples.echo:Echo F0 00 00 00 01 01 [default] [params=C9 00]
    select F0 00 00 00 01 01 [=> 9000]
    80 01 00 00 03 0A 0B 0C 00 => 0A0B0C 9000
    80 01 00 00 00 => 61xx
    reset | power-on | power-off

``=> EXPECTED`` is optional: its last four hex digits are the status word (``x`` matches any
digit), anything before them is the expected response data.
"""

from __future__ import annotations

import re

import attrs

from jcsim.apdu import parse_hex
from jcsim.errors import JCSimError, MalformedAPDUError

__all__ = ["Command", "Expectation", "Install", "Power", "ScriptError", "Select", "parse_script"]


class ScriptError(JCSimError, ValueError):
    """A script line that is not a valid step."""

    def __init__(self, line_number: int, message: str) -> None:
        super().__init__(f"line {line_number}: {message}")
        self.line_number = line_number


@attrs.frozen
class Expectation:
    """An expected response: a SW pattern (``x`` = any hex digit) and optional data."""

    sw_pattern: str
    data: bytes | None = None

    def matches(self, data: bytes, sw: int) -> bool:
        actual = f"{sw:04X}"
        if any(p not in ("X", a) for p, a in zip(self.sw_pattern, actual, strict=True)):
            return False
        return self.data is None or self.data == data

    def __str__(self) -> str:
        return (self.data.hex().upper() + " " if self.data else "") + self.sw_pattern


@attrs.frozen
class Install:
    line: int
    target: str  # module:Class
    aid: bytes
    params: bytes = b""
    default: bool = False


@attrs.frozen
class Select:
    line: int
    aid: bytes
    expect: Expectation | None = None


@attrs.frozen
class Command:
    line: int
    apdu: bytes
    expect: Expectation | None = None


@attrs.frozen
class Power:
    line: int
    action: str  # "reset", "power-on", "power-off"


Step = Install | Select | Command | Power

_SW_PATTERN = re.compile(r"^[0-9A-Fa-fxX]{4}$")


def _expectation(text: str, line: int) -> Expectation:
    compact = "".join(text.split())
    if len(compact) < 4 or not _SW_PATTERN.match(compact[-4:]):
        raise ScriptError(line, f"expected response must end in a 4-digit SW, not {text!r}")
    data_text = compact[:-4]
    try:
        data = bytes.fromhex(data_text) if data_text else None
    except ValueError as exc:
        raise ScriptError(line, f"expected data is not hex: {data_text!r}") from exc
    return Expectation(compact[-4:].upper(), data)


def _hex(text: str, line: int, what: str) -> bytes:
    try:
        return parse_hex(text)
    except MalformedAPDUError as exc:
        raise ScriptError(line, f"{what} is not hex: {text.strip()!r}") from exc


def parse_script(text: str) -> list[Step]:
    """Parse a script; raises ``ScriptError`` naming the first bad line."""
    steps: list[Step] = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.split("#", 1)[0].strip()
        if not line:
            continue
        body, _, expected = line.partition("=>")
        expect = _expectation(expected, number) if expected.strip() else None
        words = body.split()
        keyword = words[0].lower()
        if keyword == "install":
            # module:Class names a Python class; a dotted name without a colon a Java class of
            # the class path (jcsim run --classpath).
            if len(words) < 3 or not (":" in words[1] or "." in words[1]):
                raise ScriptError(number, "install needs module:Class (or a Java class name "
                                          "such as com.example.Wallet) and an AID")
            flags = [w for w in words[2:]
                     if w.lower() == "default" or w.lower().startswith("params=")]
            aid_words = [w for w in words[2:] if w not in flags]
            params = b""
            for flag in flags:
                if flag.lower().startswith("params="):
                    params = _hex(flag.split("=", 1)[1], number, "params")
            steps.append(Install(number, words[1], _hex(" ".join(aid_words), number, "AID"),
                                 params, any(f.lower() == "default" for f in flags)))
        elif keyword == "select":
            aid = _hex(" ".join(words[1:]), number, "AID")
            if not 1 <= len(aid) <= 16:
                raise ScriptError(number, "select needs an AID of 1 to 16 bytes")
            steps.append(Select(number, aid, expect))
        elif keyword in ("reset", "power-on", "power-off"):
            steps.append(Power(number, keyword))
        else:
            apdu = _hex(body, number, "APDU")
            if len(apdu) < 4:
                raise ScriptError(number, "a command APDU has at least 4 bytes")
            steps.append(Command(number, apdu, expect))
    return steps
