"""The pytest plugin jcsim registers (entry point ``pytest11``): a ``simulator`` fixture.

``simulator`` is a fresh, powered ``jcsim.Simulator`` (T=1) per test. Parametrize the protocol
indirectly to get T=0::

    @pytest.mark.parametrize("simulator", ["T=0", "T=1"], indirect=True)
    def test_on_both(simulator): ...
"""

from __future__ import annotations

import pytest


@pytest.fixture
def simulator(request: pytest.FixtureRequest):
    """A fresh simulated card with power, T=1 unless parametrized with "T=0"."""
    from jcsim.simulator import Simulator

    protocol = getattr(request, "param", "T=1")
    return Simulator(protocol)
