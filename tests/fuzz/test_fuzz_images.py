"""Structure-aware mutations of a card image holding every sample: each mutated, truncated or
corrupted image loads into a working card or is refused with ``ImageError``, and a refused
image leaves the process as it was."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz import campaigns

FUZZ = settings(max_examples=150, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@FUZZ
@given(st.integers(0, 2 ** 64 - 1))
def test_a_mutated_image_loads_into_a_working_card_or_is_refused(base_image, seed):
    outcome = campaigns.image_case(base_image, random.Random(seed))
    assert outcome in ("loaded", "refused")


def test_the_unmutated_image_of_every_sample_loads_and_answers():
    sim = campaigns.sample_card()
    copy = type(sim).from_snapshot(sim.snapshot())
    for aid in campaigns.AIDS:
        assert copy.select(aid).sw == 0x9000
