"""Host-side errors: one root, ``JCSimError``, and a few meaningful subclasses.

Applet-side failures never surface here as exceptions: the JCRE turns them into status words.
These errors are about using the simulator itself wrongly or about the simulated hardware.
"""

from __future__ import annotations

__all__ = [
    "CardPoweredOffError",
    "CardTornError",
    "InstallError",
    "JCSimError",
    "MalformedAPDUError",
]


class JCSimError(Exception):
    """Root of every error jcsim raises on the host side."""


class MalformedAPDUError(JCSimError, ValueError):
    """Bytes that are not a command APDU; ``sw`` is the status word a card answers to them."""

    def __init__(self, message: str, sw: int = 0x6700) -> None:
        super().__init__(message)
        self.sw = sw


class InstallError(JCSimError, ValueError):
    """An applet could not be installed (install() failed, did not register, AID in use...)."""


class CardPoweredOffError(JCSimError, RuntimeError):
    """A command was sent to a card that has no power; call ``power_on()`` first."""


class CardTornError(JCSimError, RuntimeError):
    """The card lost power while processing a command: there is no response."""
