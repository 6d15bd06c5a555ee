"""The state the parts of a card share (runtime/card_state.py), and the checks the type
checker's reading of the runtime brought in."""

from __future__ import annotations

import pytest

from jcsim.runtime.card import Card
from jcsim.runtime.card_manager import CardManager
from jcsim.runtime.card_state import CardState
from jcsim.runtime.gp.primitives import retail_mac


@pytest.mark.parametrize("card_manager", [True, False])
def test_a_new_card_sets_every_attribute_the_card_state_declares(card_manager: bool) -> None:
    card = Card(card_manager=card_manager)
    declared = CardState.__annotations__
    assert "registry" in declared and "_installing" in declared
    missing = [name for name in declared if name not in vars(card)]
    assert missing == []


def test_no_command_or_installation_is_in_progress_on_a_new_card() -> None:
    card = Card()
    card.power_on()
    assert (card._apdu, card._installing, card._install_aid, card.selecting) == \
        (None, None, None, None)
    assert card.deletion_requests == set() and card.context_stack == []


@pytest.mark.parametrize("icv", [bytes(7), bytes(9), b""])
def test_a_retail_mac_refuses_an_icv_that_is_not_one_des_block(icv: bytes) -> None:
    # A longer ICV used to be cut to 8 bytes and a shorter one to shorten the first block,
    # both without a word.
    with pytest.raises(ValueError, match="one DES block"):
        retail_mac(bytes(range(16)), b"data", icv)


def test_the_card_managers_defaults_for_old_images_cannot_be_changed_through_the_class() -> None:
    # Every card in the process reads these until its first write replaces them.
    for table in (CardManager.key_sets, CardManager.sequence_counters,
                  CardManager.application_states):
        with pytest.raises(TypeError):
            table[0x30] = 1  # type: ignore[index]
