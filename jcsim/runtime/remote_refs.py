"""Java Card RMI remote object identifiers, unique on the card (JCRE 3.0.5 §8.3.1, §8.5).

An ``RMIService`` remembers the objects whose references it returned in the current selection
session in CLEAR_ON_DESELECT arrays (one of objects, one of their ids), so a reference lives
exactly as long as some applet of its package stays active. The ids themselves must be unique
on the whole card: this allocator hands them out, card-wide, and knows an id is free again once
the slot that held it has been cleared (the session ended, the card was reset) or reused.
Nothing here is persistent: after a reset or a card image load every session is over, so a
fresh allocator is right.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["NULL_REF", "RemoteRefIds"]

NULL_REF = 0xFFFF  # the null reference; never an object's id


@attrs.define
class RemoteRefIds:
    """Card-wide allocation of remote object ids (0000..FFFE)."""

    next_id: int = 0
    # id -> (the session's object array, its id array, slot) that holds it
    holders: dict[int, tuple[Any, Any, int]] = attrs.field(factory=dict)

    def _live(self, ref_id: int) -> bool:
        holder = self.holders.get(ref_id)
        if holder is None:
            return False
        objects, ids, slot = holder
        # Read the arrays raw: the allocator is the JCRE, outside the applets' firewall.
        return (list.__getitem__(objects, slot) is not None
                and list.__getitem__(ids, slot) & 0xFFFF == ref_id)

    def allocate(self, objects: Any, ids: Any, slot: int) -> int:
        """A free id for the object about to be stored at ``objects[slot]`` (its id going to
        ``ids[slot]``); -1 if all 65535 ids are in use."""
        for _ in range(NULL_REF):
            candidate = self.next_id
            self.next_id = (candidate + 1) % NULL_REF
            if not self._live(candidate):
                self.holders[candidate] = (objects, ids, slot)
                return candidate
        return -1

    def in_use(self) -> list[int]:
        """The ids that some session still holds (for tests and diagnostics)."""
        return sorted(ref_id for ref_id in self.holders if self._live(ref_id))
