"""How the GlobalPlatform client reaches a card: one command APDU in, its complete response out.

``Transport`` is the protocol (``transmit(command) -> response data + SW``, with GET RESPONSE
for 61xx and a re-issue for 6Cxx already done). ``transport_for`` adapts what a user has:

- a ``jcsim.Simulator`` in this process (on its contact or contactless interface);
- a pyscard connection (``smartcard.CardConnection``), e.g. a reader served by ``jcsim serve``;
- a reader name, for ``PCSCTransport`` to connect through pcscd;
- any object with such a ``transmit`` method.

The adapters reuse the card accessors of ``jcsim.rmi.accessors``, which already do what a T=0
terminal does for its client.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from jcsim.rmi.accessors import CardAccessError, CardAccessor, PCSCCardAccessor, \
    SimulatorCardAccessor

__all__ = ["CardAccessError", "PCSCTransport", "SimulatorTransport", "Transport",
           "transport_for"]


@runtime_checkable
class Transport(Protocol):
    def transmit(self, command: bytes) -> bytes:
        """Send one command APDU; returns the response data followed by SW1 SW2."""
        ...


class _AccessorTransport:
    def __init__(self, accessor: CardAccessor) -> None:
        self.accessor = accessor

    def transmit(self, command: bytes) -> bytes:
        return self.accessor.exchange_apdu(bytes(command))

    def close(self) -> None:
        self.accessor.close()


class SimulatorTransport(_AccessorTransport):
    """A ``jcsim.Simulator`` in this process."""

    def __init__(self, simulator: Any, *, interface: str = "contact") -> None:
        super().__init__(SimulatorCardAccessor(simulator, interface=interface))
        self.simulator = simulator


class PCSCTransport(_AccessorTransport):
    """A card through pcscd with pyscard: ``reader`` (a name or part of one, an index, None for
    the first reader with a card) or an already connected pyscard ``connection``. Raises
    ``CardAccessError`` when pyscard, the reader or the card is missing."""

    def __init__(self, reader: str | int | None = None, *, connection: Any = None) -> None:
        self._pcsc = PCSCCardAccessor(reader, connection=connection)
        super().__init__(self._pcsc)

    @property
    def atr(self) -> bytes:
        return self._pcsc.atr


def transport_for(target: Any) -> Transport:
    """A transport for a Simulator, a pyscard connection, a card accessor, a reader name, or an
    object that already is a transport."""
    from jcsim.simulator import Simulator

    if isinstance(target, Simulator):
        return SimulatorTransport(target)
    if isinstance(target, CardAccessor):
        return _AccessorTransport(target)
    if isinstance(target, str):
        return PCSCTransport(target)
    if hasattr(target, "getATR") and hasattr(target, "transmit"):
        return PCSCTransport(connection=target)
    if isinstance(target, Transport):
        return target
    raise TypeError(f"cannot reach a card through {type(target).__name__}: give a Simulator, a "
                    "pyscard connection, a reader name or an object with transmit(bytes)")
