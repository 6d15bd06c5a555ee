"""Java Card RMI through pcscd: the client behaviour suite over ``PCSCCardAccessor``."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.rmi.client import CardAccessError, JCRMIConnect, PCSCCardAccessor
from jcsim.samples.purse import PURSE_AID, Purse, PurseApplet
from tests.integration.conftest import CONTACT_READER
from tests.rmi.client_suite import ClientSuite

pytestmark = pytest.mark.pcsc


class TestOverPCSC(ClientSuite):
    @pytest.fixture
    def open_card(self, serve_card, connect):
        def open_(applet_class, aid, params=b""):
            sim = Simulator()
            sim.install(applet_class, aid, params)
            serve_card(sim)
            return PCSCCardAccessor(connection=connect())

        return open_


def test_the_pcsc_accessor_finds_its_reader_by_name_and_reads_the_atr(serve_card):
    sim = Simulator()
    sim.install(PurseApplet, PURSE_AID)
    serve_card(sim)
    with PCSCCardAccessor(CONTACT_READER) as accessor:
        assert accessor.atr == sim.atr
        connection = JCRMIConnect(accessor)
        connection.select_applet(PURSE_AID)
        purse = connection.get_initial_reference()
        assert isinstance(purse, Purse) and purse.credit(12) == 12


def test_the_pcsc_accessor_says_which_readers_exist_when_none_matches(pcscd):
    with pytest.raises(CardAccessError, match="Virtual PCD"):
        PCSCCardAccessor("no such reader")
