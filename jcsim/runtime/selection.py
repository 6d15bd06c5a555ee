"""Applet selection and deselection (JCRE 3.0.5 §4.6.2 SELECT FILE, §4.7 deselection,
§4.2 default applets) with the MultiSelectable rules of §4.3 and the CLEAR_ON_DESELECT rules
of §3.1.

An applet is *active* on a channel when it is that channel's selected applet; "active
elsewhere" looks at every channel of every interface. A class that is not MultiSelectable may be
active on one channel only, and only while no other applet of its package is active. A
MultiSelectable applet is told, through ``select(appInstAlreadyActive)`` /
``deselect(appInstStillActive)``, whether the same instance (True) or only another instance of
its package (False) is active elsewhere; with no applet of its package active elsewhere it gets
the plain ``select()`` / ``deselect()``. A package's CLEAR_ON_DESELECT memory is cleared when its
last active applet is deselected, and again when it becomes active with none active before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jcsim.runtime.dispatch import call_method, log_uncaught
from jcsim.runtime.interface import Interface, LogicalChannel
from jcsim.runtime.registry import AppletRecord

if TYPE_CHECKING:
    from jcsim.runtime.card_state import CardState

__all__ = [
    "SELECT_CONFLICT",
    "SELECT_FAILED",
    "SELECT_OK",
    "activate",
    "deactivate",
    "may_activate",
]

SELECT_OK = 0x9000
SELECT_CONFLICT = 0x6985  # not multiselectable and its package is active elsewhere
SELECT_FAILED = 0x6999  # select() returned false or threw


def _active_channels(card: CardState) -> list[tuple[LogicalChannel, AppletRecord]]:
    """Every channel with an applet selected, and that applet."""
    return [(ch, ch.selected) for iface in card.interfaces.values() for ch in iface.channels
            if ch.selected is not None]


def _elsewhere(card: CardState, record: AppletRecord, here: LogicalChannel) -> tuple[bool, bool]:
    """(same instance active elsewhere, any applet of its package active elsewhere)."""
    same = package = False
    for ch, selected in _active_channels(card):
        if ch is here:
            continue
        if selected is record:
            same = package = True
        elif selected.package is record.package:
            package = True
    return same, package


def may_activate(card: CardState, record: AppletRecord, channel: LogicalChannel) -> bool:
    """False when ``record`` cannot become active on ``channel`` (the 6985 case)."""
    if record.multiselectable:
        return True
    _same, package = _elsewhere(card, record, channel)
    return not package


def activate(card: CardState, record: AppletRecord, iface: Interface,
             channel: LogicalChannel) -> int:
    """Make ``record`` the selected applet of ``channel`` and call its ``select``.

    The channel's previous applet must already be deselected. Returns SELECT_OK, or
    SELECT_FAILED with the channel left with no selected applet.
    """
    same, package_active = _elsewhere(card, record, channel)
    if not package_active:
        card.transients.clear_package(record.package)
    channel.selected = record
    # A secure channel session ends when an application is selected on its channel (GPCS
    # §10.2.3), also when the same one is selected again.
    channel.secure_session = None
    saved = card.assigned_channel_number
    card.assigned_channel_number = channel.number
    try:
        if record.multiselectable and package_active:
            accepted = call_method(card, record, "select", same)
        else:
            accepted = call_method(card, record, "select")
    except Exception as exc:
        log_uncaught(exc, f"{record!r}.select", "the selection fails")
        accepted = False
    finally:
        card.assigned_channel_number = saved
    if card.journal.depth:
        # JCRE §7.6.2: a select() that leaves a transaction open fails.
        card.abort_transaction()
        accepted = False
    if accepted is not True:
        channel.selected = None
        if not package_active:
            card.transients.clear_package(record.package)
        return SELECT_FAILED
    return SELECT_OK


def deactivate(card: CardState, iface: Interface, channel: LogicalChannel) -> None:
    """Deselect the applet of ``channel`` (if any): call ``deselect`` (its exceptions are
    ignored: deselection always succeeds) and clear its package's CLEAR_ON_DESELECT memory when
    no applet of the package stays active."""
    record = channel.selected
    if record is None:
        return
    channel.selected = None
    same, package_active = _elsewhere(card, record, channel)
    saved = card.assigned_channel_number
    card.assigned_channel_number = channel.number
    try:
        if record.multiselectable and package_active:
            call_method(card, record, "deselect", same)
        else:
            call_method(card, record, "deselect")
    except Exception as exc:
        log_uncaught(exc, f"{record!r}.deselect", "ignored")
    finally:
        card.assigned_channel_number = saved
    if card.journal.depth:
        card.abort_transaction()
    if not package_active:
        card.transients.clear_package(record.package)
