"""Two cards in one process, each holding a static list, against a model: links, aborted links,
links torn at every write, unlinks with object deletion, and image round trips, in any order."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from jcsim import CardTornError, Simulator
from tests.runtime.static_fields.keeper import Keeper

AID = "F0 4A 43 53 53 01 01"
LIMIT = 20


def link(value: int) -> str:
    return f"80 01 {value:02X} 00"


class TwoCards(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.cards: list[Simulator] = []
        for _ in range(2):
            sim = Simulator()
            sim.install(Keeper, AID)
            assert sim.select(AID).sw == 0x9000
            self.cards.append(sim)
        self.model: list[list[int]] = [[], []]
        # Keeper.count counts the links ever made (an unlink leaves it); LIMIT caps it.
        self.count = [0, 0]

    which = st.integers(0, 1)

    @rule(card=which, value=st.integers(0, 255))
    def link(self, card: int, value: int) -> None:
        response = self.cards[card].transmit(link(value))
        if self.count[card] >= LIMIT:
            assert response.sw == 0x6A84
        else:
            assert response.sw == 0x9000
            self.model[card].insert(0, value)
            self.count[card] += 1

    @rule(card=which, value=st.integers(0, 255))
    def aborted_link(self, card: int, value: int) -> None:
        response = self.cards[card].transmit(f"80 03 {value:02X} 00")
        assert response.sw == (0x6A84 if self.count[card] >= LIMIT else 0x9000)

    @rule(card=which, value=st.integers(0, 255), after=st.integers(0, 3))
    def torn_link(self, card: int, value: int, after: int) -> None:
        sim = self.cards[card]
        if self.count[card] >= LIMIT:
            return
        sim.arm_tear(after_writes=after)
        try:
            sim.transmit(link(value))
        except CardTornError:
            pass
        else:
            raise AssertionError("a link makes four writes: the tear must cut it")
        sim.power_on()
        assert sim.select(AID).sw == 0x9000

    @rule(card=which)
    def unlink(self, card: int) -> None:
        if not self.model[card]:
            return
        assert self.cards[card].transmit("80 04 00 00").sw == 0x9000
        self.model[card].pop(0)

    @rule(card=which)
    def image_round_trip(self, card: int) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "card.jcimg"
            self.cards[card].save(path)
            self.cards[card] = Simulator.load(path)
        assert self.cards[card].select(AID).sw == 0x9000

    @invariant()
    def each_card_holds_its_own_list(self) -> None:
        for sim, expected, count in zip(self.cards, self.model, self.count):
            response = sim.transmit("80 02 00 00 00")
            assert response.sw == 0x9000
            # The count is a static too: aborted and torn links left it as it was.
            assert list(response.data[:-1]) == expected
            assert response.data[-1] == count == sim.static_field(Keeper, "count")


TwoCards.TestCase.settings = settings(max_examples=30, stateful_step_count=40, deadline=None)
test_two_cards_with_static_lists = TwoCards.TestCase
