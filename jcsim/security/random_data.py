"""Random number generation.

Mirrors ``javacard.security.RandomData`` (Java Card 3.0.5). Every algorithm draws from the
card's entropy source (``jcsim.security.entropy``), so a test that seeds the source gets the same
bytes on every run:

- ALG_SECURE_RANDOM, ALG_TRNG, ALG_KEYGENERATION: bytes read straight from the source;
  ``setSeed`` is accepted and ignored (a true generator never repeats, whatever its seed).
- ALG_PSEUDO_RANDOM, ALG_FAST, ALG_PRESEEDED_DRBG: an HMAC-DRBG (SP 800-90A) instantiated from
  the source; ``setSeed`` puts it in the state a generator created with that seed would have, so
  the same seed gives the same sequence.

``RandomData.OneShot`` is in ``jcsim.security.one_shot``.

Card images: a RandomData keeps its algorithm and, for the pseudo-random algorithms, the
generator's state, so a loaded card (and each copy ``jcsim.testing.tear_sweep`` makes) goes on
with the sequence the saved card would have produced. Nothing of a RandomData takes part in a
transaction (an abort must not make a generator repeat itself), and a reset leaves it as it is:
the specification gives RandomData no reset behaviour.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.exceptions import CryptoException
from jcsim.security import entropy
from jcsim.security._engine_state import FOOTPRINTS, CardEngine, footprint
from jcsim.security._buffers import read, write

__all__ = ["RandomData"]


class RandomData(CardEngine):
    """Mirrors ``javacard.security.RandomData``."""

    _jc_footprint = footprint(*FOOTPRINTS["RandomData"])

    ALG_PSEUDO_RANDOM = 1
    ALG_SECURE_RANDOM = 2
    ALG_TRNG = 3
    ALG_PRESEEDED_DRBG = 4
    ALG_FAST = 5
    ALG_KEYGENERATION = 6

    _DIRECT = (ALG_SECURE_RANDOM, ALG_TRNG, ALG_KEYGENERATION)
    _DRBG = (ALG_PSEUDO_RANDOM, ALG_FAST, ALG_PRESEEDED_DRBG)

    def __init__(self, algorithm: int) -> None:
        self._algorithm = algorithm
        self._drbg = (entropy.HmacDrbg(entropy.current().read(32))
                      if algorithm in self._DRBG else None)

    @staticmethod
    def getInstance(algorithm: int) -> RandomData:
        """A generator of ``algorithm``; NO_SUCH_ALGORITHM for an unknown code."""
        algorithm &= 0xFF
        if algorithm not in RandomData._DIRECT + RandomData._DRBG:
            raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
        return RandomData(algorithm)

    def getAlgorithm(self) -> int:
        """The ``ALG_*`` code of this generator."""
        return self._algorithm

    def _bytes(self, length: int) -> bytes:
        if self._drbg is not None:
            return self._drbg.generate(length)
        return entropy.current().read(length)

    def nextBytes(self, buffer: Any, offset: int, length: int) -> int:
        """Fill ``buffer[offset:offset+length]`` with random bytes; returns offset+length."""
        if length == 0:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        read(buffer, offset, length, "buffer")  # bounds first, as Java checks them
        write(buffer, offset, self._bytes(length), "buffer")
        return offset + length

    def generateData(self, buffer: Any, offset: int, length: int) -> None:
        """Deprecated form of ``nextBytes``."""
        self.nextBytes(buffer, offset, length)

    # --- card images (jcsim.runtime.image) ---------------------------------------------------

    def _jc_image_state(self) -> tuple[Any, ...]:
        return (self._algorithm, None if self._drbg is None else self._drbg.state())

    def _jc_image_restore(self, state: Any) -> None:
        algorithm, drbg = state
        if algorithm not in self._DIRECT + self._DRBG or (drbg is None) != (
                algorithm in self._DIRECT):
            raise ValueError("not the state of a RandomData")
        self._algorithm = algorithm
        self._drbg = None if drbg is None else entropy.HmacDrbg.from_state(drbg)

    def setSeed(self, buffer: Any, offset: int, length: int) -> None:
        """Seed the generator (see the module docstring for what each algorithm does)."""
        seed = read(buffer, offset, length, "buffer")
        if self._drbg is not None:
            self._drbg = entropy.HmacDrbg(b"setSeed:" + seed)
