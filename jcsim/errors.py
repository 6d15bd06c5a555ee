"""Host-side errors: one root, ``JCSimError``, and a few meaningful subclasses.

Applet-side failures never surface here as exceptions: the JCRE turns them into status words.
These errors are about using the simulator itself wrongly or about the simulated hardware.
"""

from __future__ import annotations

__all__ = [
    "CardPoweredOffError",
    "CardTornError",
    "ChannelError",
    "InstallError",
    "JCSimError",
    "MalformedAPDUError",
    "StaticFieldWarning",
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


class ChannelError(JCSimError, RuntimeError):
    """The card refused a MANAGE CHANNEL command the host API sent for you.

    ``sw`` is the card's status word (for example 6A81: no free channel; 6881: the origin
    channel is not open; 6985: the applet to select there is not MultiSelectable and already
    active; 6200: closing a channel that was not open).
    """

    def __init__(self, message: str, sw: int) -> None:
        super().__init__(message)
        self.sw = sw


class StaticFieldWarning(UserWarning):
    """Card code keeps state where it cannot be per card, journaled or torn (a module variable
    it rebinds): see ``jcsim.runtime.global_stores``."""
