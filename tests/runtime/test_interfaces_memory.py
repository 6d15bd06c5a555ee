"""An interface allocates its APDU object (and its buffer) when it first carries a command, so
a card used through one interface never holds the other's buffer."""

from __future__ import annotations

from jcsim import Simulator
from samples.echo import Echo

AID = "F00000000101"
OTHER_AID = "F00000000102"


def test_the_contactless_buffer_exists_only_once_the_contactless_interface_is_used() -> None:
    sim = Simulator()
    sim.install(Echo, AID)
    interfaces = sim.card.interfaces
    assert interfaces["contact"]._apdu is None and interfaces["contactless"]._apdu is None
    assert sim.select(AID).sw == 0x9000
    assert interfaces["contact"]._apdu is not None
    assert interfaces["contactless"]._apdu is None
    sim.install(Echo, OTHER_AID)
    assert sim.select(OTHER_AID, interface="contactless").sw == 0x9000
    buffer = interfaces["contactless"]._apdu.getBuffer()
    assert buffer is not interfaces["contact"]._apdu.getBuffer()
    assert len(buffer) == sim.card.apdu_buffer_size
