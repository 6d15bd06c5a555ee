"""A card served on one or two vpcd reader slots: ``serve_vpcd`` and the ``VpcdServer`` it returns.

One ``vpcd_card.CardPort`` answers for the card; each served interface (contact, contactless)
has its own ``vpcd.VpcdLink`` on its own address. The server starts and stops the links
together, and ``jcsim serve`` runs the first link in its main thread.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Self

from jcsim.runtime.interface import CONTACT, CONTACTLESS
from jcsim.simulator import Simulator
from jcsim.transport.vpcd import (
    DEFAULT_PORT,
    Backoff,
    LinkTimeouts,
    Listener,
    VpcdLink,
)
from jcsim.transport.vpcd_card import DEFAULT_UID, CardPort

__all__ = ["VpcdServer", "serve_vpcd"]


class VpcdServer:
    """A card served on one or two vpcd slots; a context manager (see ``serve_vpcd``)."""

    def __init__(self, sim: Simulator, links: list[tuple[str, str, int]], *, listen: bool,
                 image: str | os.PathLike[str] | None, uid: bytes,
                 backoff: Backoff, listener: Listener | None,
                 timeouts: LinkTimeouts = LinkTimeouts(),
                 image_key: bytes | None = None, busy_poll_us: int = 0) -> None:
        self.sim = sim
        self.port = CardPort(sim, image=image, image_key=image_key, uid=uid)
        self.links = [VpcdLink(self.port, interface, host, number, listen=listen,
                               backoff=backoff, listener=listener, timeouts=timeouts,
                               busy_poll_us=busy_poll_us)
                      for interface, host, number in links]
        self._started = False

    def start(self) -> Self:
        if not self._started:
            self._started = True
            try:
                for link in self.links:
                    link.start()
            except BaseException:
                self.stop()
                raise
        return self

    def bind(self) -> None:
        """Bind every listening link's address (``OSError`` when one cannot be bound)."""
        for link in self.links:
            link.bind()

    def run(self, stop: threading.Event) -> None:
        """Serve until ``stop`` is set: the first link in the calling thread, any other in a
        background thread; every link is stopped on return."""
        self._started = True
        try:
            for link in self.links[1:]:
                link.start()
            self.links[0].run(stop)
        finally:
            self.stop()

    def stop(self, timeout: float = 2.0) -> None:
        """Disconnect every link (the card leaves its readers) and end the threads."""
        for link in self.links:
            link.stop(timeout)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def link(self, interface: str) -> VpcdLink:
        for link in self.links:
            if link.interface == interface:
                return link
        raise KeyError(f"no link serves the {interface} interface")

    @property
    def addresses(self) -> dict[str, tuple[str, int]]:
        """Each served interface's peer (or, listening, bound) address."""
        return {link.interface: (link.host, link.port) for link in self.links}

    def wait_connected(self, timeout: float | None = None) -> bool:
        """Wait until every link has a connection on which the peer sent its first frame (vpcd
        polls for the ATR as soon as it accepts the card); False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for link in self.links:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not link.connected.wait(remaining):
                return False
        return True


def serve_vpcd(sim: Simulator, port: int | None = DEFAULT_PORT, host: str = "localhost",
               contactless_port: int | None = None, listen: bool = False,
               image: str | os.PathLike[str] | None = None, *,
               contactless_host: str | None = None, uid: bytes = DEFAULT_UID,
               backoff: Backoff = Backoff(),
               listener: Listener | None = None,
               timeouts: LinkTimeouts = LinkTimeouts(),
               image_key: bytes | None = None, busy_poll_us: int = 0) -> VpcdServer:
    """Serve ``sim`` to vpcd: its contact interface on ``host:port`` (None: not served) and,
    with ``contactless_port``, its contactless interface on ``contactless_host`` (default
    ``host``) ``:contactless_port``; a context manager running the links in background threads::

        with jcsim.serve_vpcd(sim, port=35963) as server:
            server.wait_connected(5)
            ...  # any PC/SC client now sees the card in "Virtual PCD 00 00"

    The card is in its readers from then on: it loses power at once, and each reader powers
    its interface (vpcd does as soon as a client connects). ``listen=True`` binds those
    addresses and waits for a vpcd-style peer instead of connecting ("localhost" binds
    127.0.0.1). ``image`` is a card image file kept up to date after every event that changed
    persistent state. ``uid`` is what the contactless reader answers to ``FF CA 00 00 00``.
    ``backoff`` sets the reconnection delays; ``listener`` receives a ``LinkEvent`` for
    connections and power events (from the links' threads). ``timeouts`` bounds what a peer
    may make the card wait for (``LinkTimeouts``); ``image_key`` signs every image save.
    ``busy_poll_us`` (0 to 10,000; 0, the default, is off) makes each link poll its socket
    that many microseconds after each read before it sleeps (``jcsim.transport.busy_poll``):
    worth it in a process of its own with two CPUs or more, off on one CPU.
    """
    if listen and host == "localhost":
        host = "127.0.0.1"
    links = []
    if port is not None:
        links.append((CONTACT, host, port))
    if contactless_port is not None:
        cl_host = host if contactless_host is None else contactless_host
        if listen and cl_host == "localhost":
            cl_host = "127.0.0.1"
        links.append((CONTACTLESS, cl_host, contactless_port))
    if not links:
        raise ValueError("serve_vpcd needs a port for at least one interface")
    return VpcdServer(sim, links, listen=listen, image=image, uid=uid, backoff=backoff,
                      listener=listener, timeouts=timeouts, image_key=image_key,
                      busy_poll_us=busy_poll_us)
