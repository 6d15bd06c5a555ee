"""``Dispatcher``: an applet built from services, run phase by phase.

Mirrors ``javacard.framework.service.Dispatcher`` (Java Card 3.0.5). Services are registered
for a phase and called in the order they were added; in each phase the dispatcher calls them
until one returns True. The phases are PROCESS_INPUT_DATA (``processDataIn``),
PROCESS_COMMAND (``processCommand``) and PROCESS_OUTPUT_DATA (``processDataOut``, only when the
command was processed: APDU in STATE_OUTGOING). A processed command's output, in the Common
Service Format (``BasicService``), is then sent: La bytes from offset 5, and a status word other
than 9000 is thrown as ``ISOException``.

With one service registered the phases around its own have nothing to call, so it is called
without the loop over the registry, through the service's shortcut for the whole command when
it has one (``RMIService``'s INVOKE); a registry the service changes while it runs sends the
later phases the general way.

``dispatch`` returns the exception a service threw instead of throwing it; ``process`` answers
6D00 when no service processed the command and 6F00 when a service threw. Deviation: an
exception that is not a Java one (a Python error in service code, say a ``TypeError``) is not
returned but propagates, so the JCRE logs its traceback; it still answers 6F00.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.apdu import APDU
from jcsim.framework.arrays import ByteArray, ObjectArray
from jcsim.framework.card_object import Object
from jcsim.framework.exceptions import ISOException, ServiceException
from jcsim.framework.firewall import may_access
from jcsim.framework.iso7816 import ISO7816
from jcsim.framework.jcsystem import JCSystem
from jcsim.lang import Throwable

__all__ = ["Dispatcher"]

log = logging.getLogger("jcsim.service.dispatcher")

_PHASE_NAMES = {1: "PROCESS_INPUT_DATA", 2: "PROCESS_COMMAND", 3: "PROCESS_OUTPUT_DATA"}
_METHODS = {1: "processDataIn", 2: "processCommand", 3: "processDataOut"}
# Module constants: read on the Dispatcher or the APDU, each would be a firewall-checked read.
_PROCESS_COMMAND = 2
_PROCESS_OUTPUT_DATA = 3
_oga = object.__getattribute__
_STATE_OUTGOING = APDU.STATE_OUTGOING


def _atomically(update: Callable[[], None]) -> None:
    """Run ``update`` in a transaction of its own, unless one is already open (the caller's
    transaction then makes it atomic) or no card is running."""
    if _jcre.active_or_none() is None or JCSystem.getTransactionDepth():
        update()
        return
    JCSystem.beginTransaction()
    try:
        update()
    except BaseException:
        JCSystem.abortTransaction()
        raise
    JCSystem.commitTransaction()


def _send_output(command: APDU) -> None:
    """Send a processed command's output from the Common Service Format (SW at offsets 2-3, La
    at 4, the data from 5); a status word other than 9000 is thrown."""
    if command.getCurrentState() == _STATE_OUTGOING:
        buffer = command.getBuffer()
        sw1, sw2, length = buffer[2:5]
        sw = (sw1 << 8) | sw2
        command.setOutgoingLength(length)
        command.sendBytes(ISO7816.OFFSET_CDATA, length)
        if sw != ISO7816.SW_NO_ERROR:
            ISOException.throwIt(sw)


class Dispatcher(Object):
    """Mirrors ``javacard.framework.service.Dispatcher``."""

    PROCESS_NONE = 0
    PROCESS_INPUT_DATA = 1
    PROCESS_COMMAND = 2
    PROCESS_OUTPUT_DATA = 3

    def __init__(self, maxServices: int) -> None:
        if maxServices < 0:
            ServiceException.throwIt(ServiceException.ILLEGAL_PARAM)
        self._services = ObjectArray(maxServices)
        self._phases = ByteArray(maxServices)
        self._count = 0

    # --- the registry ------------------------------------------------------------------------

    def _find(self, service: Any, phase: int) -> int:
        for index in range(self._count):
            if self._services[index] is service and self._phases[index] == phase:
                return index
        return -1

    def addService(self, service: Any, phase: int) -> None:
        """Register ``service`` for ``phase`` (nothing happens if it already is)."""
        if service is None or phase not in _PHASE_NAMES:
            ServiceException.throwIt(ServiceException.ILLEGAL_PARAM)
        if self._find(service, phase) >= 0:
            return
        count = self._count
        if count == len(self._services):
            ServiceException.throwIt(ServiceException.DISPATCH_TABLE_FULL)

        def add() -> None:
            self._services[count] = service
            self._phases[count] = phase
            self._count = count + 1

        _atomically(add)

    def removeService(self, service: Any, phase: int) -> None:
        """Unregister ``service`` from ``phase``; its slot is free for another service."""
        if service is None or phase not in _PHASE_NAMES:
            ServiceException.throwIt(ServiceException.ILLEGAL_PARAM)
        index = self._find(service, phase)
        if index < 0:
            return

        def remove() -> None:
            # Later registrations move down one slot, so the call order stays the add order.
            last = self._count - 1
            for i in range(index, last):
                self._services[i] = self._services[i + 1]
                self._phases[i] = self._phases[i + 1]
            self._services[last] = None
            self._phases[last] = self.PROCESS_NONE
            self._count = last

        _atomically(remove)

    # --- processing --------------------------------------------------------------------------

    def dispatch(self, command: APDU, phase: int) -> Any:
        """Run the phases from ``phase`` on; returns the exception a service threw, or None.
        A processed command's output is sent before returning (see the module docstring)."""
        if phase not in _PHASE_NAMES:
            ServiceException.throwIt(ServiceException.ILLEGAL_PARAM)
        if self._count == 1 and not log.isEnabledFor(logging.DEBUG):
            return type(self)._dispatch_one(self, command, phase)
        return type(self)._dispatch_all(self, command, phase)

    def _dispatch_one(self, command: APDU, phase: int) -> Any:
        # One service registered, the common shape (an RMI applet): the phases before and
        # after its own have nothing to call, so it is called, or not, as the loop of
        # _dispatch_all would, without the loop. Should the service change the registry, the
        # phases after its own run the general way on what the registry has become.
        entry = self._phases[0]
        if entry >= phase and (entry != _PROCESS_OUTPUT_DATA
                               or command.getCurrentState() == _STATE_OUTGOING):
            service = self._services[0]
            try:
                # A service with a shortcut for the whole command (RMIService's INVOKE) when
                # the running context may use it without a switch, as the hooked lookup of
                # its method would let it; else, or when the shortcut declines, the method.
                lean = (getattr(type(service), "_jc_lean_command", None)
                        if entry == _PROCESS_COMMAND else None)
                if lean is None or not may_access(_oga(service, "_jc_owner")) or not lean(
                        service, command):
                    getattr(service, _METHODS[entry])(command)
            except Throwable as exc:
                log.debug("a service threw %r", exc)
                return exc
            if entry != _PROCESS_OUTPUT_DATA and (
                    self._count != 1 or self._phases[0] != entry
                    or self._services[0] is not service):
                return type(self)._dispatch_all(self, command, entry + 1)
        _send_output(command)
        return None

    def _dispatch_all(self, command: APDU, phase: int) -> Any:
        debug = log.isEnabledFor(logging.DEBUG)
        # Each field read once (a firewall-checked read each). Only a service can change the
        # registry, so the count and the phase of each entry are read again once a service
        # has run, and the entries from the slot after it; until then the first reads serve.
        phases, services = self._phases, self._services
        count = self._count
        row = phases[:count]  # the phase of each entry, one array access
        try:
            for current in range(phase, _PROCESS_OUTPUT_DATA + 1):
                if (current == _PROCESS_OUTPUT_DATA
                        and command.getCurrentState() != _STATE_OUTGOING):
                    break
                method = _METHODS[current]
                end = count  # the count as the phase starts
                index = row.find(current, 0, end)
                while index >= 0:
                    service = services[index]
                    done = getattr(service, method)(command)
                    if debug:
                        log.debug("%s: %s.%s returned %s", _PHASE_NAMES[current],
                                  type(service).__name__, method, "true" if done else "false")
                    count = self._count
                    row = phases[:count]
                    if done:
                        break
                    index = row.find(current, index + 1, end)
        except Throwable as exc:
            log.debug("a service threw %r", exc)
            return exc
        _send_output(command)
        return None

    def process(self, command: APDU) -> None:
        """Run every phase: 9000 (or the status word the services set) when processed, 6D00
        when no service processed the command, 6F00 when a service threw."""
        exc = type(self).dispatch(self, command, 1)  # PROCESS_INPUT_DATA
        if exc is None:
            state = command.getCurrentState()
            if state >= _STATE_OUTGOING or state < 0:
                return
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        log.info("Dispatcher.process: a service threw %r; answering 6F00", exc)
        raise ISOException(ISO7816.SW_UNKNOWN) from exc
