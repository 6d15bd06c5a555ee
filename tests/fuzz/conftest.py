"""The fuzz tests run bounded campaigns (a few seconds each); ``bench/soak.py`` runs them long."""

from __future__ import annotations

import pytest

from tests.fuzz import campaigns


@pytest.fixture(scope="session")
def base_image() -> dict:
    return campaigns.base_image()
