"""The card as the framework sees it: the methods behind ``JCSystem``, ``APDU``'s static
methods, ``Applet.register`` and object creation (``jcsim.framework._jcre`` reaches them).

Kept apart from ``card`` (power and the dispatch of commands) so each stays one concept: this
module is the JCRE's service interface to applet code — contexts, object adoption and memory,
transient memory, registration, object deletion requests and Shareable interface objects.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.aid import AID
from jcsim.framework.apdu import APDU
from jcsim.framework.exceptions import SystemException
from jcsim.framework.interfaces import ExtendedLength, MultiSelectable
from jcsim.framework.self_access import prepare as prepare_class
from jcsim.lang import SecurityException
from jcsim.runtime.card_state import CardState
from jcsim.runtime.registry import AppletRecord
from jcsim.runtime.transients import CLEAR_ON_DESELECT


__all__ = ["FrameworkPort"]


class FrameworkPort(CardState):
    """A part of ``Card``: what applet code may ask of the JCRE."""

    def adopt(self, obj: Any) -> None:
        """A new on-card object: owned by the active context, its fields persistent."""
        self.memory.allocate_object(obj)
        object.__setattr__(obj, "_jc_store", self.journal)
        object.__setattr__(obj, "_jc_owner", self.context)
        self.journal.note_created(obj)
        prepare_class(type(obj))

    def adopt_array(self, array: Any) -> None:
        """A new array made by card code: persistent until made transient."""
        self.memory.allocate_array(array)
        array._owner = self.context
        array._store = self.journal
        self.journal.note_created(array)

    def current_context(self) -> AppletRecord | None:
        return self.context

    def context_aid(self) -> AID | None:
        return None if self.context is None else self.context.aid

    def lookup_aid(self, aid_bytes: bytes) -> AID | None:
        record = self.registry.find(aid_bytes)
        return None if record is None else record.aid

    def assigned_channel(self) -> int:
        return self.assigned_channel_number

    def applet_active(self, aid: AID) -> bool:
        for iface in self.interfaces.values():
            for channel in iface.channels:
                if channel.selected is not None and channel.selected.aid == aid:
                    return True
        return False

    def cla_channel(self) -> int:
        return self._cla_channel

    def current_apdu(self) -> APDU:
        if self._apdu is None or self._installing is not None:
            raise SecurityException("no APDU is being processed in this context")
        return self._apdu

    def interface_apdu(self) -> APDU:
        """The APDU object of the interface the current (or last) command came in on: what
        ``APDU.getProtocol()`` and the block sizes describe, also outside ``process``."""
        if self._apdu is not None:
            return self._apdu
        iface = self._iface if self._iface is not None else next(iter(self.interfaces.values()))
        return iface.apdu

    def selecting_applet(self, applet: Any) -> bool:
        return self.selecting is not None and self.selecting.instance is applet

    def reselecting_applet(self, applet: Any) -> bool:
        return self._reselecting and self.selecting_applet(applet)

    def make_transient(self, obj: Any, event: int) -> None:
        context = self.context
        try:
            # API JCSystem.makeTransient*Array: CLEAR_ON_DESELECT only in the context of a
            # selected applet (or of the one being installed).
            if (event == CLEAR_ON_DESELECT and context is not None
                    and context is not self._installing
                    and not self._is_selected_context(context)):
                raise SystemException(SystemException.ILLEGAL_TRANSIENT)
            self.memory.make_transient(obj, event)
        except SystemException:
            # The array was made (and counted) before it could become transient; a refused
            # makeTransient*Array takes no memory at all.
            self.memory.release(obj)
            raise
        # Transient contents are never journaled (JCRE §7.7).
        if hasattr(obj, "_store"):
            obj._store = None
        else:
            object.__setattr__(obj, "_jc_store", None)
        self.transients.add(obj, event, None if context is None else context.package)

    def _is_selected_context(self, context: AppletRecord) -> bool:
        for iface in self.interfaces.values():
            for channel in iface.channels:
                if channel.selected is not None and channel.selected.package is context.package:
                    return True
        return False

    def register_applet(self, applet: Any, aid_bytes: bytes | None) -> None:
        record = self._installing
        if record is None or record.instance is not None:
            raise SystemException(SystemException.ILLEGAL_AID)
        aid = self._install_aid if aid_bytes is None else aid_bytes
        if aid is None or self.registry.find(aid) is not None:
            raise SystemException(SystemException.ILLEGAL_AID)
        record.aid = AID(aid)
        record.instance = applet
        record.multiselectable = isinstance(applet, MultiSelectable)
        record.extended_length = isinstance(applet, ExtendedLength)

    # --- memory and object deletion (JCSystem) ----------------------------------------------

    def available_memory(self, memory_type: int) -> int:
        """What is left in a memory pool (the full figure, not capped at 32767)."""
        return self.memory.available(memory_type)

    def request_object_deletion(self) -> None:
        """Reclaim the unreachable objects of the running context after this command."""
        context = self.context
        if context is not None:
            self.deletion_requests.add(context.package.name)

    def run_object_deletion(self) -> int:
        from jcsim.runtime.deletion import collect

        packages, self.deletion_requests = self.deletion_requests, set()
        return collect(self, packages)

    # --- Shareable interface objects (JCRE §6.2) --------------------------------------------

    def previous_context_aid(self) -> AID | None:
        """The AID of the context active before the last context switch (None: the JCRE)."""
        if not self.context_stack:
            return None
        previous = self.context_stack[-1]
        return None if previous is None else previous.aid

    def shareable_interface_object(self, server_aid: Any, parameter: int) -> Any:
        """``JCSystem.getAppletShareableInterfaceObject``: ask the server applet for its SIO."""
        from jcsim.framework.firewall import switch_context

        server = self.registry.find(server_aid.value) if server_aid is not None else None
        if server is None or server.instance is None:
            return None
        method = object.__getattribute__(server.instance, "getShareableInterfaceObject")
        client_aid = None if self.context is None else self.context.aid
        sio = switch_context(self, server, method)(client_aid, parameter)
        if sio is not None and self.firewall:
            self._check_sio(server, sio)
        return sio

    @staticmethod
    def _check_sio(server: AppletRecord, sio: Any) -> None:
        """An SIO is an on-card object of the server's context (JCRE §6.2.4): anything else
        would run with the caller's context and escape every check, so the client gets
        ``SecurityException`` instead."""
        from jcsim.framework.card_object import Object
        from jcsim.framework.interfaces import Shareable

        if isinstance(sio, Object) and isinstance(sio, Shareable):
            return
        what = type(sio).__qualname__
        why = ("does not derive from jcsim.framework.Object" if isinstance(sio, Shareable)
               else "is not a Shareable on-card object")
        import logging  # here, not at start-up: only this mistake logs

        logging.getLogger("jcsim.firewall").error(
            "%r handed out a %s as a Shareable interface object, but it %s: the client gets "
            "SecurityException. Make %s derive from Object and its Shareable interface, and "
            "create it in the server applet's context.", server, what, why, what)
        raise SecurityException(f"firewall: the SIO of {server!r} ({what}) {why}")

    def check_sio_call(self, owner: AppletRecord) -> None:
        """JCRE §6.2.4 with logical channels: a call into an SIO of a non-multiselectable
        applet whose package has an applet active on another channel is refused (a rule of
        the firewall: a card built with ``firewall=False`` does not apply it)."""
        if owner.package.multiselectable or not self.firewall:
            return
        here = None
        if self._iface is not None:
            here = self._iface.channels[self.assigned_channel_number]
        for iface in self.interfaces.values():
            for channel in iface.channels:
                if channel is not here and channel.selected is not None and \
                        channel.selected.package is owner.package:
                    raise SecurityException(
                        f"{owner!r} is not MultiSelectable and its package is active on "
                        f"{iface.name} channel {channel.number}")
