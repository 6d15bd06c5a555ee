"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from jcsim import Simulator
from jcsim.security import entropy
from tests.vectors import loader as vector_loader

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


@pytest.fixture
def vectors() -> ModuleType:
    """The one vector loader: ``vectors.load(name)``, ``vectors.unhex(case, *fields)``."""
    return vector_loader


@pytest.fixture(autouse=True)
def system_entropy() -> Iterator[None]:
    """Every test starts and ends on the operating system's generator (a test that seeds the
    card's randomness cannot leak its seed into the next)."""
    previous = entropy.unseed()
    yield
    entropy.use(previous)
