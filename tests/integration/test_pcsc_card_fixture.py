"""The plugin's ``pcsc_card``: the ``simulator`` fixture's card, as pyscard sees it through the
session's pcscd and vpcd."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.samples.echo.echo import GREETING, Echo

pytestmark = pytest.mark.pcsc

ECHO_AID = "F0 00 00 00 01 01"
SELECT_ECHO = [0x00, 0xA4, 0x04, 0x00, 0x06, 0xF0, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00]


@pytest.mark.jcsim(protocol="T=0", applets=[(Echo, ECHO_AID)])
def test_pcsc_card_is_a_pyscard_connection_to_the_marker_s_card(pcscd, pcsc_card,
                                                                 simulator: Simulator):
    from smartcard.CardConnection import CardConnection

    assert bytes(pcsc_card.getATR()) == simulator.atr
    assert pcsc_card.getProtocol() == CardConnection.T0_protocol
    assert list(pcsc_card.transmit(SELECT_ECHO)[1:]) == [0x90, 0x00]
    # Under T=0 a case 2 command with the wrong Le is answered 6Cxx with the right one.
    data, sw1, sw2 = pcsc_card.transmit([0x80, 0x02, 0x00, 0x00, 0x00])
    assert (bytes(data), sw1, sw2) == (b"", 0x6C, len(GREETING))
    data, sw1, sw2 = pcsc_card.transmit([0x80, 0x02, 0x00, 0x00, len(GREETING)])
    assert (bytes(data), sw1, sw2) == (GREETING, 0x90, 0x00)
    # The served card is the fixture's: what pyscard did shows on it.
    assert simulator.applet_instance(ECHO_AID) is not None
    assert simulator.selected() is not None and simulator.selected().value.hex() == "f00000000101"

