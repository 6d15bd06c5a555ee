"""An interface allocates its APDU object (and its buffer) when it first carries a command, so
a card used through one interface never holds the other's buffer."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.samples.echo import Echo

AID = "F00000000101"


@pytest.mark.parametrize("used, unused", [("contact", "contactless"),
                                          ("contactless", "contact")])
def test_only_the_interface_that_carried_a_command_holds_a_buffer(used: str,
                                                                  unused: str) -> None:
    sim = Simulator()
    sim.install(Echo, AID)
    interfaces = sim.card.interfaces
    assert interfaces["contact"]._apdu is None and interfaces["contactless"]._apdu is None
    assert sim.select(AID, interface=used).sw == 0x9000
    assert sim.transmit("8001000003ABCDEF00", interface=used).data == bytes.fromhex("ABCDEF")
    assert interfaces[unused]._apdu is None
    assert len(interfaces[used]._apdu.getBuffer()) == sim.card.apdu_buffer_size
