"""Fixtures of the Java Card RMI tests: the vector loader and connected clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jcsim import Simulator
from jcsim.rmi.client import JCRMIConnect, SimulatorCardAccessor
from tests.rmi.applets import ECHOES_AID, EchoesApplet
from tests.vectors import loader as vector_loader



@pytest.fixture(scope="session")
def jcrmi_vectors() -> dict[str, Any]:
    """tests/vectors/jcrmi.json, through the one vector loader."""
    return vector_loader.load("jcrmi")


@pytest.fixture
def echoes_card(protocol: str) -> Simulator:
    """A card (T=0 and T=1) with the Echoes RMI applet installed."""
    sim = Simulator(protocol)
    sim.install(EchoesApplet, ECHOES_AID)
    return sim


@pytest.fixture
def connect() -> Callable[..., tuple[JCRMIConnect, Any]]:
    """``connect(sim, aid, ref_format=...)``: a selected JCRMIConnect and its initial proxy."""

    def make(sim: Simulator, aid: str = ECHOES_AID,
             ref_format: int = JCRMIConnect.REF_WITH_CLASS_NAME,
             **options: Any) -> tuple[JCRMIConnect, Any]:
        connection = JCRMIConnect(SimulatorCardAccessor(sim), **options)
        connection.select_applet(aid, ref_format)
        return connection, connection.get_initial_reference()

    return make
