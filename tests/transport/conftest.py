"""Fixtures of the transport tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.transport.fake_vpcd import FakeVpcd


@pytest.fixture
def vpcd() -> Iterator[FakeVpcd]:
    """A fake vpcd listening on 127.0.0.1, closed after the test."""
    fake = FakeVpcd()
    yield fake
    fake.close()
