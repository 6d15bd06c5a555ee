"""CRC checksums.

Mirrors ``javacard.security.Checksum`` (Java Card 3.0.5), following the algorithm specifics the
specification lists:

- ALG_ISO3309_CRC16: polynomial 0x1021, data and result not reflected, register initialized to
  0 (or the 2 bytes given to ``init``), result = register XOR 0xFFFF. Initialized with 0xFFFF
  and complemented, it is the CCITT CRC (0x29B1 for "123456789").
- ALG_ISO3309_CRC32: polynomial 0x04C11DB7, reflected (``zlib.crc32``'s register), register
  initialized to 0 (or the 4 bytes given to ``init``), result = register XOR 0xFFFFFFFF.
  Initialized with 0xFFFFFFFF it is the PKZIP CRC-32 (0xCBF43926 for "123456789").

The checksum is written big-endian. ``doFinal`` resets the initial value to 0.

Reset, transactions and card images (``jcsim.security._engine_state``): a card reset or tear
puts a Checksum back to its state upon construction (initial value 0, nothing accumulated), as
the specification says; no state of a Checksum takes part in a transaction; a card image stores
the algorithm only.
"""

from __future__ import annotations

import zlib
from typing import Any

from jcsim.framework.exceptions import CryptoException
from jcsim.security._buffers import read, write
from jcsim.security._engine_state import FOOTPRINTS, EngineState, footprint

__all__ = ["Checksum"]


def _crc16_table() -> list[int]:
    table = []
    for byte in range(256):
        reg = byte << 8
        for _ in range(8):
            reg = ((reg << 1) ^ 0x1021 if reg & 0x8000 else reg << 1) & 0xFFFF
        table.append(reg)
    return table


_CRC16 = _crc16_table()


class Checksum(EngineState):
    """Mirrors ``javacard.security.Checksum``."""

    _jc_footprint = footprint(*FOOTPRINTS["Checksum"])

    ALG_ISO3309_CRC16 = 1
    ALG_ISO3309_CRC32 = 2

    def __init__(self, algorithm: int) -> None:
        self._algorithm = algorithm
        self._width = 2 if algorithm == self.ALG_ISO3309_CRC16 else 4
        self._initial = 0
        self._register = 0
        self._jc_attach()

    @staticmethod
    def getInstance(algorithm: int, externalAccess: bool) -> Checksum:
        """A CRC16 or CRC32 checksum object; NO_SUCH_ALGORITHM otherwise."""
        algorithm &= 0xFF
        if algorithm not in (Checksum.ALG_ISO3309_CRC16, Checksum.ALG_ISO3309_CRC32):
            raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
        return Checksum(algorithm)

    def getAlgorithm(self) -> int:
        return self._algorithm

    def init(self, bArray: Any, bOff: int, bLen: int) -> None:
        """Reset, with the initial value in ``bArray`` (2 bytes for CRC16, 4 for CRC32)."""
        self._jc_attach()
        if bLen != self._width:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        self._initial = int.from_bytes(read(bArray, bOff, bLen, "bArray"), "big")
        self._register = self._initial

    def update(self, inBuff: Any, inOffset: int, inLength: int) -> None:
        """Accumulate ``inBuff[inOffset:inOffset+inLength]``."""
        self._jc_attach()
        data = read(inBuff, inOffset, inLength, "inBuff")
        if self._width == 2:
            reg = self._register
            for byte in data:
                reg = ((reg << 8) & 0xFFFF) ^ _CRC16[(reg >> 8) ^ byte]
            self._register = reg
        else:
            # zlib keeps the register complemented before and after each call.
            self._register = zlib.crc32(data, self._register ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def doFinal(self, inBuff: Any, inOffset: int, inLength: int, outBuff: Any,
                outOffset: int) -> int:
        """Checksum the last input; write it at ``outBuff[outOffset]``; returns 2 or 4."""
        self.update(inBuff, inOffset, inLength)
        mask = (1 << (8 * self._width)) - 1
        result = (self._register ^ mask).to_bytes(self._width, "big")
        self._initial = self._register = 0
        return write(outBuff, outOffset, result)

    # --- reset and card images (jcsim.security._engine_state) -------------------------------

    def _jc_persistent(self) -> tuple[Any, ...]:
        return (self._algorithm,)

    def _jc_revive(self, state: Any) -> None:
        algorithm, = state
        if algorithm not in (self.ALG_ISO3309_CRC16, self.ALG_ISO3309_CRC32):
            raise ValueError(f"no Checksum algorithm {algorithm!r}")
        Checksum.__init__(self, algorithm)

    def _jc_power_up(self) -> None:
        self._initial = self._register = 0
