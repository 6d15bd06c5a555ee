"""Card accessors: how a Java Card RMI client reaches its card.

Mirrors the role of ``com.sun.javacard.rmiclientlib.CardAccessor`` (``exchangeAPDU``), with PEP 8
names. ``exchange_apdu(command)`` sends one command APDU and returns the response (data and
status word); it also does what a T=0 terminal does for the client, fetching a 61xx answer
with GET RESPONSE and re-issuing a command the card answered 6Cxx. A subclass provides
``transmit`` (one raw exchange):

- ``SimulatorCardAccessor`` talks to an in-process ``Simulator``;
- ``PCSCCardAccessor`` talks to a card (or a virtual one) through pcscd, with pyscard.

To change every command on its way to the card (SecurePurse's ``CustomCardAccessor`` adds a
MAC), subclass ``CardAccessor`` and override ``exchange_apdu``, or wrap another accessor with a
``ForwardingCardAccessor``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from jcsim.apdu import decode_lengths
from jcsim.errors import JCSimError, MalformedAPDUError

__all__ = [
    "CardAccessError",
    "CardAccessor",
    "ForwardingCardAccessor",
    "PCSCCardAccessor",
    "SimulatorCardAccessor",
]

_INS_GET_RESPONSE = 0xC0


class CardAccessError(JCSimError, OSError):
    """The card could not be reached (no reader, no card, a transmission failure)."""


def _get_response_cla(cla: int) -> int:
    # GET RESPONSE is interindustry, on the command's logical channel.
    if cla & 0x40:
        return 0x40 | (cla & 0x0F)
    return cla & 0x03


class CardAccessor:
    """The transport of a ``JCRMIConnect``: one command APDU in, its response out."""

    def transmit(self, command: bytes) -> bytes:
        """One raw exchange with the card: returns response data followed by SW1 SW2."""
        raise NotImplementedError(f"{type(self).__name__} must implement transmit(command)")

    def exchange_apdu(self, command: bytes) -> bytes:
        """Send ``command``; returns the complete response (data + SW), after GET RESPONSE
        for 61xx and a re-issue for 6Cxx as a T=0 terminal does."""
        command = bytes(command)
        response = self.transmit(command)
        if len(response) >= 2 and response[-2] == 0x6C:
            try:
                lengths = decode_lengths(command)
            except MalformedAPDUError:
                return response
            body = command[:lengths.cdata_offset + lengths.nc] if lengths.nc else command[:4]
            response = self.transmit(body + bytes((response[-1],)))
        data = b""
        while len(response) >= 2 and response[-2] == 0x61:
            data += response[:-2]
            get_response = bytes((_get_response_cla(command[0]), _INS_GET_RESPONSE, 0, 0,
                                  response[-1]))
            response = self.transmit(get_response)
        return data + response

    def close(self) -> None:
        """Release the card (nothing to do by default)."""

    def __enter__(self) -> CardAccessor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SimulatorCardAccessor(CardAccessor):
    """Reach a ``jcsim.Simulator`` in this process (``interface``: contact or contactless)."""

    def __init__(self, simulator: Any, *, interface: str = "contact") -> None:
        self.simulator = simulator
        self.interface = interface

    def transmit(self, command: bytes) -> bytes:
        return bytes(self.simulator.transmit(bytes(command), interface=self.interface))


class ForwardingCardAccessor(CardAccessor):
    """An accessor that passes every exchange to another one (``inner``); subclass it to look
    at or change the traffic."""

    def __init__(self, inner: CardAccessor) -> None:
        self.inner = inner

    def transmit(self, command: bytes) -> bytes:
        return self.inner.transmit(command)

    def exchange_apdu(self, command: bytes) -> bytes:
        return self.inner.exchange_apdu(command)

    def close(self) -> None:
        self.inner.close()


class PCSCCardAccessor(CardAccessor):
    """Reach a card through PC/SC (pcscd) with pyscard.

    ``reader`` is a reader name (or a part of it), an index into the reader list, or None for
    the first reader with a card; ``connection`` is an already connected pyscard connection to
    use instead. Raises ``CardAccessError`` when pyscard, the reader or the card is missing.
    """

    def __init__(self, reader: str | int | None = None, *, connection: Any = None) -> None:
        if connection is None:
            connection = self._connect(reader)
        self.connection = connection

    @staticmethod
    def _connect(reader: str | int | None) -> Any:
        try:
            from smartcard.Exceptions import CardConnectionException, NoCardException
            from smartcard.System import readers
        except ImportError as exc:
            raise CardAccessError("PC/SC needs pyscard: pip install pyscard") from exc
        try:
            available = readers()
        except Exception as exc:
            raise CardAccessError(f"cannot list PC/SC readers (is pcscd running?): {exc}") from exc
        if isinstance(reader, int):
            candidates = available[reader:reader + 1]
        elif isinstance(reader, str):
            candidates = [r for r in available if reader in str(r)]
        else:
            candidates = list(available)
        errors = []
        for candidate in candidates:
            connection = candidate.createConnection()
            try:
                connection.connect()
                return connection
            except (NoCardException, CardConnectionException) as exc:
                errors.append(f"{candidate}: {exc}")
        names = ", ".join(str(r) for r in available) or "none"
        raise CardAccessError(f"no card found in reader {reader!r} (readers: {names})"
                              + (f"; {'; '.join(errors)}" if errors else ""))

    @property
    def atr(self) -> bytes:
        return bytes(self.connection.getATR())

    def transmit(self, command: bytes) -> bytes:
        try:
            data, sw1, sw2 = self.connection.transmit(list(bytes(command)))
        except Exception as exc:
            raise CardAccessError(f"PC/SC transmission failed: {exc}") from exc
        return bytes(data) + bytes((sw1, sw2))

    def close(self) -> None:
        # Best effort: a connection whose reader or pcscd has gone (pyscard raises its own
        # exception types, or any of a caller-supplied connection's) has nothing left to close.
        with contextlib.suppress(Exception):
            self.connection.disconnect()
