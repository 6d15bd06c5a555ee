"""The state a card's parts share: declared once, with its types.

``Card`` is assembled from parts that each keep one concept: ``card`` (power, tears),
``commands`` (the life of a command APDU), ``installer`` (installation, packages, deletion) and
``port`` (what applet code asks of the JCRE). They all read and change the same state: the
applet table, the memory pools, the journal, the active context, the command in progress.
``CardState`` is the one place that state is declared: each part derives from it, and
``Card.__init__`` gives every attribute its first value. The runtime's functions that work on a
card's state (object deletion) take a ``CardState``, so the parts can hand themselves to them.

The declarations are annotations only: no class attribute, no descriptor, nothing on the path of
a command. Aborting a transaction lives here too, since every part may have to do it when applet
code leaves one open (JCRE §7.6.2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jcsim.framework.arrays import ObjectArray

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from jcsim.framework.apdu import APDU
    from jcsim.runtime.interface import Interface
    from jcsim.runtime.journal import Journal
    from jcsim.runtime.memory import Memory
    from jcsim.runtime.registry import AppletRecord, Registry
    from jcsim.runtime.statics import StaticFields
    from jcsim.runtime.transients import TransientMemory

__all__ = ["CardState"]


class CardState:
    """What the parts of ``Card`` share (set by ``Card.__init__``)."""

    # --- what is on the card ---------------------------------------------------------------
    registry: Registry
    # Bumped whenever an applet or a package comes or goes (for autosave).
    registry_changes: int
    memory: Memory
    journal: Journal
    transients: TransientMemory
    # The static fields of the classes on this card (runtime/statics.py).
    statics: StaticFields
    # Callables returning objects a subsystem keeps alive (object deletion roots).
    root_providers: list[Callable[[], Iterable[Any]]]
    interfaces: dict[str, Interface]
    firewall: bool

    # --- what the JCRE is doing right now (read by the framework through ``port``) ----------
    # The active context: the applet whose code runs; None for the JCRE itself.
    context: AppletRecord | None
    # Contexts a Shareable call switched away from (JCSystem.getPreviousContextAID).
    context_stack: list[AppletRecord | None]
    # Names of the packages whose applets asked for object deletion during this command.
    deletion_requests: set[str]
    # The interface, logical channel and APDU of the command in progress.
    _iface: Interface | None
    assigned_channel_number: int
    _cla_channel: int
    _apdu: APDU | None
    # The applet being selected, and whether it was already selected on that channel.
    selecting: AppletRecord | None
    _reselecting: bool
    # The applet being installed, and the AID the installer chose for it.
    _installing: AppletRecord | None
    _install_aid: bytes | None

    def abort_transaction(self) -> None:
        """Abort the open transaction and null what referred to the objects it created."""
        self._forget(self.journal.abort())

    def _forget(self, dead: list[Any]) -> None:
        # JCRE §7.6.3: references to objects created in an aborted transaction become null.
        # Persistent references were rolled back with the journal; transient ones are cleared
        # here (local variables meet objects that now raise NullPointerException on use).
        if not dead:
            return
        dead_ids = {id(obj) for obj in dead}
        # Their memory comes back: nothing can reach them any more.
        for obj in dead:
            self.memory.release(obj)
        # Dead transient objects (a transient array or key made in the transaction) are gone:
        # a later reset must not clear them, which would be a null use.
        self.transients.forget(dead_ids)
        for obj in self.transients.all_objects():
            if isinstance(obj, ObjectArray):
                for index, element in enumerate(obj):
                    if id(element) in dead_ids:
                        list.__setitem__(obj, index, None)
