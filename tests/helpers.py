"""Applets and host-side helpers shared by the test suite.

The applets here are deliberately small. ``Probe`` runs a script the test supplies, so a test
can look at the APDU object from inside ``process`` and record what it saw; the host then checks
both what the applet saw and what the terminal got back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jcsim import Response, Simulator
from jcsim.framework import (
    APDU,
    ISO7816,
    APDUException,
    Applet,
    ExtendedLength,
    ISOException,
)

ECHO_AID = "F0 00 00 00 01 01"
EXT_ECHO_AID = "F0 00 00 00 01 02"
PROBE_AID = "F0 00 00 00 02 01"
OTHER_AID = "F0 00 00 00 03 01"

INS_ECHO = 0x01
INS_PATTERN = 0x02

# An APDUException caught inside an applet is answered as 0x6F00 | reason, so the host can
# tell ILLEGAL_USE (6F01) from BUFFER_BOUNDS (6F02), BAD_LENGTH (6F03)... and from a plain
# uncaught exception (6F00).
APDU_EXCEPTION_SW = 0x6F00

Script = Callable[[APDU], Any]


def pattern(length: int) -> bytes:
    """``length`` recognisable bytes: 00 01 02 ... FF 00 01 ..."""
    return bytes(i & 0xFF for i in range(length))


class Echo(Applet):
    """INS 01 echoes the command data; INS 02 answers P1P2 bytes of ``pattern``."""

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        if ins == INS_ECHO:
            n = apdu.setIncomingAndReceive()
            offset = apdu.getOffsetCdata()
            data = bytes(buf[offset:offset + n])
            while len(data) < apdu.getIncomingLength():
                got = apdu.receiveBytes(offset)
                data += bytes(buf[offset:offset + got])
            apdu.setOutgoing()
            apdu.setOutgoingLength(len(data))
            apdu.sendBytesLong(data, 0, len(data))
        elif ins == INS_PATTERN:
            length = (buf[ISO7816.OFFSET_P1] << 8) | buf[ISO7816.OFFSET_P2]
            apdu.setOutgoing()
            apdu.setOutgoingLength(length)
            apdu.sendBytesLong(pattern(length), 0, length)
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)


class ExtendedEcho(ExtendedLength, Echo):
    """``Echo`` for extended-length APDUs."""


class Probe(Applet):
    """Runs ``self.script(apdu)`` for every command but its own SELECT."""

    script: Script | None = None

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        assert self.script is not None
        self.script(apdu)


class ExtendedProbe(ExtendedLength, Probe):
    """``Probe`` for extended-length APDUs."""


def instance_of(sim: Simulator, aid: str) -> Any:
    """The applet instance installed under ``aid``."""
    record = sim.card.registry.find(bytes.fromhex(aid.replace(" ", "")))
    assert record is not None
    return record.instance


def install_probe(sim: Simulator, script: Script, *, extended: bool = False,
                  aid: str = PROBE_AID, select: bool = True) -> Probe:
    """Install a probe running ``script`` and (by default) select it."""
    sim.install(ExtendedProbe if extended else Probe, aid)
    probe = instance_of(sim, aid)
    probe.script = script
    if select:
        assert sim.select(aid).sw == 0x9000
    return probe


def answering_reason(script: Script) -> Script:
    """``script``, with an APDUException it raises answered as ``0x6F00 | reason``."""

    def wrapped(apdu: APDU) -> None:
        try:
            script(apdu)
        except APDUException as exc:
            ISOException.throwIt(APDU_EXCEPTION_SW | exc.getReason())

    return wrapped


def get_response(length: int) -> bytes:
    """GET RESPONSE on the basic channel: ``00 C0 00 00 length``."""
    return bytes((0x00, 0xC0, 0x00, 0x00, length & 0xFF))


def fetch_all(sim: Simulator, first: Response) -> tuple[bytes, int, list[Response]]:
    """Follow 61xx with GET RESPONSE until the card answers something else.

    Returns (all data, final SW, every response received including ``first``).
    """
    responses = [first]
    data = bytearray(first.data)
    response = first
    while response.sw1 == 0x61:
        response = sim.transmit(get_response(response.sw2))
        responses.append(response)
        data += response.data
    return bytes(data), response.sw, responses


def exchange(sim: Simulator, command: bytes | str) -> tuple[bytes, int]:
    """Send ``command`` and collect the whole response as the host would, for either protocol:
    T=1 answers at once; T=0 is followed through 61xx / GET RESPONSE and 6Cxx / re-issue."""
    raw = bytes.fromhex(command.replace(" ", "")) if isinstance(command, str) else command
    response = sim.transmit(raw)
    if response.sw1 == 0x6C and sim.protocol == "T=0":
        response = sim.transmit(raw[:4] + bytes((response.sw2,)))
    data, sw, _ = fetch_all(sim, response)
    return data, sw
