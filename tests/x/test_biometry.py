"""javacardx.biometry with jcsim's documented matcher: enrollment sequence, scores, try
counter, blocking, and the reason codes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.framework import ByteArray, JCSystem
from jcsim.x.biometry import BioBuilder, BioException, BioTemplate, OwnerBioTemplate
from jcsim.x.biometry.template import score
from tests.helpers import install_probe

REFERENCE = bytes(range(1, 21))
NEEDS_MORE = BioTemplate.MATCH_NEEDS_MORE_DATA


def reason(call, *args) -> int:
    with pytest.raises(BioException) as info:
        call(*args)
    return info.value.getReason()


def enrolled(try_limit: int = 3) -> Any:
    template = BioBuilder.buildBioTemplate(BioBuilder.FINGERPRINT, try_limit)
    template.init(ByteArray(REFERENCE[:12]), 0, 12)
    template.update(ByteArray(REFERENCE[12:]), 0, 8)
    template.doFinal()
    return template


def test_the_builder_checks_the_try_limit_type_and_provider():
    template = BioBuilder.buildBioTemplate(BioBuilder.IRIS_SCAN, 2)
    assert isinstance(template, OwnerBioTemplate)
    assert template.getBioType() == BioBuilder.IRIS_SCAN and not template.isInitialized()
    assert reason(BioBuilder.buildBioTemplate, BioBuilder.IRIS_SCAN, 0) == \
        BioException.ILLEGAL_VALUE
    assert reason(BioBuilder.buildBioTemplate, 19, 3) == BioException.NO_SUCH_BIO_TEMPLATE
    assert reason(BioBuilder.buildBioTemplate, 3, 3, ByteArray(5), 0) == \
        BioException.NO_SUCH_BIO_TEMPLATE


def test_enrollment_follows_init_update_doFinal():
    template = BioBuilder.buildBioTemplate(BioBuilder.FINGERPRINT, 3)
    assert reason(template.update, ByteArray(1), 0, 1) == BioException.ILLEGAL_USE
    assert reason(template.doFinal) == BioException.ILLEGAL_USE
    assert reason(template.getTriesRemaining) == BioException.NO_TEMPLATES_ENROLLED
    assert reason(template.initMatch, ByteArray(1), 0, 1) == BioException.NO_TEMPLATES_ENROLLED
    template.init(ByteArray(0), 0, 0)
    assert reason(template.doFinal) == BioException.INVALID_DATA
    template = enrolled()
    assert template.isInitialized() and template.getTriesRemaining() == 3
    assert reason(template.update, ByteArray(1), 0, 1) == BioException.ILLEGAL_USE
    out = ByteArray(4)
    assert template.getVersion(out, 1) == 2 and bytes(out[1:3]) == b"\x01\x00"
    assert template.getPublicTemplateData(0, out, 0, 4) == 0


def test_a_matching_candidate_validates_and_restores_the_tries():
    template = enrolled()
    wrong = bytes(20)
    assert template.initMatch(ByteArray(wrong), 0, 20) < BioTemplate.MINIMUM_SUCCESSFUL_MATCH_SCORE
    assert (template.isValidated(), template.getTriesRemaining()) == (False, 2)
    # In two parts: the first needs more data.
    assert template.initMatch(ByteArray(REFERENCE[:10]), 0, 10) == NEEDS_MORE
    assert template.getTriesRemaining() == 1  # spent before the comparison
    assert template.match(ByteArray(REFERENCE[10:]), 0, 10) == 32767
    assert (template.isValidated(), template.getTriesRemaining()) == (True, 3)
    template.reset()
    assert not template.isValidated()
    assert reason(template.match, ByteArray(1), 0, 1) == BioException.ILLEGAL_USE


def test_a_blocked_reference_answers_zero_until_unblocked():
    template = enrolled(try_limit=2)
    for _ in range(2):
        template.initMatch(ByteArray(bytes(20)), 0, 20)
    assert template.getTriesRemaining() == 0
    assert template.initMatch(ByteArray(REFERENCE), 0, 20) == 0
    assert not template.isValidated()
    assert reason(template.resetUnblockAndSetTryLimit, 0) == BioException.ILLEGAL_VALUE
    template.resetUnblockAndSetTryLimit(5)
    assert template.getTriesRemaining() == 5
    assert template.initMatch(ByteArray(REFERENCE), 0, 20) == 32767


@given(st.binary(min_size=1, max_size=40), st.binary(min_size=1, max_size=40))
def test_the_score_is_the_documented_fraction_of_equal_bytes(reference, candidate):
    equal = sum(a == b for a, b in zip(reference, candidate))
    expected = 32767 * equal // max(len(reference), len(candidate))
    assert score(reference, candidate) == expected
    template = BioBuilder.buildBioTemplate(BioBuilder.PASSWORD, 100)
    template.init(ByteArray(reference), 0, len(reference))
    template.doFinal()
    result = template.initMatch(ByteArray(candidate), 0, len(candidate))
    if len(candidate) < len(reference):
        assert result == NEEDS_MORE
    else:
        assert result == expected
        assert template.isValidated() == (expected >= 16384)


def test_on_the_card_the_try_counter_ignores_an_aborted_transaction_and_reset_clears_the_flag():
    sim = Simulator("T=1")
    kept: list[Any] = []

    def script(apdu):
        template = enrolled()
        JCSystem.beginTransaction()
        template.initMatch(ByteArray(bytes(20)), 0, 20)
        JCSystem.abortTransaction()
        kept.append(template.getTriesRemaining())  # the spent try stays spent
        template.initMatch(ByteArray(REFERENCE), 0, 20)
        kept.append(template)

    install_probe(sim, script)
    assert sim.transmit("80 00 00 00").sw == 0x9000
    tries_after_abort, template = kept
    assert tries_after_abort == 2
    assert template.isValidated() and template.getTriesRemaining() == 3
    sim.reset()
    assert not template.isValidated()
