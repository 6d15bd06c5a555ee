"""Crypto engine calls from card code, with the firewall on: what owning and guarding engines
costs (``jcsim.security._engine_state``).

Run ``python bench/bench_engine_calls.py``; it prints, for 200 ``Cipher.doFinal`` (AES-128 ECB,
16 bytes) and 200 ``MessageDigest.doFinal`` (SHA-256, 32 bytes) per APDU, microseconds per call:
the median and the spread (min .. max) of 7 runs of 20 APDUs each, for BENCHMARKS.md.
"""

from __future__ import annotations

import statistics
import time

from jcsim import Simulator
from jcsim.crypto import Cipher
from jcsim.framework import APDU, Applet, ByteArray
from jcsim.security import KeyBuilder, MessageDigest

CALLS = 200
AID = "F0 4A 43 53 42 45 01"


class EngineLoop(Applet):
    def __init__(self) -> None:
        self.key = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, False)
        self.key.setKey(ByteArray(bytes(16)), 0)
        self.cipher = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, False)
        self.cipher.init(self.key, Cipher.MODE_ENCRYPT)
        self.digest = MessageDigest.getInstance(MessageDigest.ALG_SHA_256, False)
        self.data = ByteArray(32)
        self.out = ByteArray(32)
        self.register()

    @staticmethod
    def install(bArray, bOffset, bLength) -> None:  # noqa: N803 - Java names
        EngineLoop()

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        cipher, digest, data, out = self.cipher, self.digest, self.data, self.out
        if apdu.getBuffer()[1] == 0x10:
            for _ in range(CALLS):
                cipher.doFinal(data, 0, 16, out, 0)
        else:
            for _ in range(CALLS):
                digest.doFinal(data, 0, 32, out, 0)


def per_call(sim: Simulator, command: str, apdus: int = 20, runs: int = 7) -> list[float]:
    figures = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(apdus):
            assert sim.transmit(command).sw == 0x9000
        figures.append((time.perf_counter() - start) / (apdus * CALLS) * 1e6)
    return figures


def main() -> None:
    sim = Simulator(firewall=True)
    sim.install(EngineLoop, AID)
    sim.select(AID)
    for name, command in (("Cipher.doFinal AES-128 ECB 16 B", "80 10 00 00"),
                          ("MessageDigest.doFinal SHA-256 32 B", "80 20 00 00")):
        figures = per_call(sim, command)
        print(f"{name}: {statistics.median(figures):.2f} us/call "
              f"({min(figures):.2f} .. {max(figures):.2f})")


if __name__ == "__main__":
    main()
