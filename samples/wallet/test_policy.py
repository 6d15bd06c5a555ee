"""The PIN policy matrix: for each of the sixteen policies, each class of field and each PIN
state, whether a profile read is allowed; and the dangerous commands, which always need the PIN
directly before, whatever the policy."""

from __future__ import annotations

import itertools

import pytest

from jcsim import Simulator
from jcsim.samples.wallet import commands
from samples.wallet.conftest import PIN, make_card, send

# Per class of field: (PIN required, every time) -> the PIN states that may read.
#   "none":    no PIN submitted since the reset
#   "session": the PIN was submitted this session, but not by the command just before
#   "fresh":   the PIN was submitted by the command just before
ALLOWED = {
    (False, False): {"none", "session", "fresh"},
    (False, True): {"none", "session", "fresh"},  # "every time" means nothing without the PIN
    (True, False): {"session", "fresh"},
    (True, True): {"fresh"},
}
GENERAL, PRIVATE = 3, 2  # forename and password: one field of each class
STATES = ("none", "session", "fresh")


def card_with_policy(policy: int) -> Simulator:
    sim = make_card()
    assert send(sim, commands.submit_pin(PIN)).sw == 0x9000
    assert send(sim, commands.set_policy(policy)).sw == 0x9000
    sim.reset()  # a new session: no PIN yet
    return sim


def bring_to(sim: Simulator, state: str) -> None:
    if state in ("session", "fresh"):
        assert send(sim, commands.submit_pin(PIN)).sw == 0x9000
    if state == "session":
        assert sim.transmit(commands.get_policy()).sw == 0x9000


@pytest.mark.parametrize(("policy", "state"), list(itertools.product(range(16), STATES)))
def test_each_policy_allows_each_class_of_field_in_the_right_pin_states(policy, state):
    for field, (required, every_time) in ((PRIVATE, (bool(policy & 1), bool(policy & 2))),
                                          (GENERAL, (bool(policy & 4), bool(policy & 8)))):
        sim = card_with_policy(policy)
        bring_to(sim, state)
        expected = 0x9000 if state in ALLOWED[(required, every_time)] else 0x6982
        assert send(sim, commands.read_field(field)).sw == expected, \
            f"policy {policy:X}, field {field}, PIN {state}"


def test_every_time_means_one_read_per_pin():
    sim = card_with_policy(0x0F)
    bring_to(sim, "fresh")
    assert send(sim, commands.read_field(GENERAL)).sw == 0x9000
    assert send(sim, commands.read_field(GENERAL)).sw == 0x6982


def test_the_policy_survives_a_reset_and_the_session_does_not():
    sim = card_with_policy(0x05)
    assert sim.transmit(commands.get_policy()).data == b"\x05"
    assert send(sim, commands.read_field(GENERAL)).sw == 0x6982


DANGEROUS = [commands.write_field(1, b"x"), commands.change_pin(b"4321"),
             commands.set_policy(0x00), commands.debit(b"\x01" * 6, 1)]


@pytest.mark.parametrize(("policy", "command"), list(itertools.product((0x00, 0x0F), DANGEROUS)))
@pytest.mark.parametrize("state", ["none", "session"])
def test_dangerous_commands_need_the_pin_directly_before_whatever_the_policy(policy, command,
                                                                           state):
    sim = card_with_policy(policy)
    bring_to(sim, state)
    assert send(sim, command).sw == 0x6982
    assert sim.transmit(command).sw == 0x6982
