"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

from jcsim import Simulator

PROTOCOLS = ["T=0", "T=1"]


@pytest.fixture(params=PROTOCOLS)
def protocol(request: pytest.FixtureRequest) -> str:
    """Each test that asks for it runs once under T=0 and once under T=1."""
    return request.param


@pytest.fixture
def sim(protocol: str) -> Simulator:
    """A powered card speaking ``protocol``, with nothing installed."""
    return Simulator(protocol)


@pytest.fixture
def t1() -> Simulator:
    """A powered T=1 card with nothing installed."""
    return Simulator("T=1")
