"""Shared fixtures: the one vector loader (tests/vectors/loader.py) and a clean entropy source."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from jcsim.security import entropy

_spec = importlib.util.spec_from_file_location(
    "jcsim_test_vector_loader", Path(__file__).resolve().parents[1] / "vectors" / "loader.py")
vector_loader = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vector_loader)


@pytest.fixture
def vectors():
    """The vector loader module: ``vectors.load(name)``, ``vectors.unhex(case, *fields)``."""
    return vector_loader


@pytest.fixture(autouse=True)
def system_entropy():
    """Every test starts and ends on the operating system's generator."""
    previous = entropy.unseed()
    yield
    entropy.use(previous)
