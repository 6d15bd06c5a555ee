"""javacardx.external on the simulated MIFARE Classic 1K: keys, spans, protected blocks and the
specification's return values and reason codes."""

from __future__ import annotations

from typing import Any

import pytest

from jcsim import Simulator
from jcsim.framework import ByteArray, ShortArray
from jcsim.x.external import ExternalException, Memory, mifare_memory
from tests.helpers import install_probe

FACTORY = ByteArray(b"\xFF" * 6)


def run(body) -> tuple[Simulator, dict[str, Any]]:
    sim = Simulator("T=1")
    seen: dict[str, Any] = {}
    install_probe(sim, lambda apdu: body(seen))
    assert sim.transmit("80 00 00 00").sw == 0x9000
    return sim, seen


def test_an_applet_writes_and_reads_mifare_blocks_with_the_sector_key():
    def body(seen):
        size = ShortArray(2)
        mem = Memory.getMemoryAccessInstance(Memory.MEMORY_TYPE_MIFARE, size, 0)
        seen["size"] = (size[0] << 16) | size[1]
        data = ByteArray(bytes(range(20)))
        seen["write"] = mem.writeData(data, 0, 20, FACTORY, 0, 6, 2, 0)  # blocks 0 and 1
        out = ByteArray(20)
        seen["read"] = mem.readData(out, 0, FACTORY, 0, 6, 2, 0, 20)
        seen["data"] = bytes(out)
        seen["wrong_key"] = (mem.writeData(data, 0, 4, ByteArray(6), 0, 6, 2, 0),
                             mem.readData(out, 0, ByteArray(6), 0, 6, 2, 0, 4))
        seen["protected"] = (mem.writeData(data, 0, 16, FACTORY, 0, 6, 0, 0),
                             mem.writeData(data, 0, 16, FACTORY, 0, 6, 5, 3))
        trailer = ByteArray(16)
        mem.readData(trailer, 0, FACTORY, 0, 6, 5, 3, 16)
        seen["trailer"] = bytes(trailer)

    sim, seen = run(body)
    assert seen["size"] == 1024
    assert seen["write"] is True and seen["read"] == 20 and seen["data"] == bytes(range(20))
    assert seen["wrong_key"] == (False, 0)
    assert seen["protected"] == (False, False)
    assert seen["trailer"] == bytes(6) + bytes.fromhex("FF078069") + b"\xFF" * 6  # key A masked
    memory = mifare_memory(sim.card)
    assert memory.block(2, 0) == bytes(range(16))
    assert memory.block(2, 1) == bytes(range(16, 20)) + bytes(12)


def test_keys_set_by_the_host_are_the_ones_that_open_a_sector():
    sim = Simulator("T=1")
    mifare_memory(sim.card).set_keys(4, b"\xA0\xA1\xA2\xA3\xA4\xA5", b"\xB0" * 6)
    seen: dict[str, Any] = {}

    def body(apdu):
        mem = Memory.getMemoryAccessInstance(Memory.MEMORY_TYPE_MIFARE, None, 0)
        seen["factory"] = mem.writeData(ByteArray(1), 0, 1, FACTORY, 0, 6, 4, 0)
        seen["key_b"] = mem.writeData(ByteArray(b"\x07"), 0, 1, ByteArray(b"\xB0" * 6), 0, 6, 4, 0)

    install_probe(sim, body)
    assert sim.transmit("80 00 00 00").sw == 0x9000
    assert seen == {"factory": False, "key_b": True}
    assert mifare_memory(sim.card).block(4, 0)[0] == 7


@pytest.mark.parametrize("args", [
    (16, 0, 1),  # no sector 16
    (1, 4, 1),  # no block 4
    (1, 2, 40),  # runs past the sector
    (1, 0, -1),
])
def test_invalid_addresses_are_INVALID_PARAM(args):
    sector, block, length = args

    def body(seen):
        mem = Memory.getMemoryAccessInstance(Memory.MEMORY_TYPE_MIFARE, None, 0)
        try:
            mem.readData(ByteArray(64), 0, FACTORY, 0, 6, sector, block, length)
        except ExternalException as exc:
            seen["reason"] = exc.getReason()

    _sim, seen = run(body)
    assert seen == {"reason": ExternalException.INVALID_PARAM}


def test_the_extended_store_is_NO_SUCH_SUBSYSTEM():
    def body(seen):
        try:
            Memory.getMemoryAccessInstance(Memory.MEMORY_TYPE_EXTENDED_STORE, None, 0)
        except ExternalException as exc:
            seen["reason"] = exc.getReason()

    _sim, seen = run(body)
    assert seen == {"reason": ExternalException.NO_SUCH_SUBSYSTEM}
