"""The client behaviour suite over the in-process accessor (T=0 and T=1)."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.rmi.client import SimulatorCardAccessor
from tests.rmi.client_suite import ClientSuite


class TestInProcess(ClientSuite):
    @pytest.fixture
    def open_card(self, protocol):
        def open_(applet_class, aid, params=b""):
            sim = Simulator(protocol)
            sim.install(applet_class, aid, params)
            return SimulatorCardAccessor(sim)

        return open_
