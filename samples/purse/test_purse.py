"""The purse sample: its rules against a model, through the real client; persistence across
resets and card images; the demo runs."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from jcsim import Simulator
from jcsim.cli.demo import run_demo
from jcsim.framework import UserException
from jcsim.framework.casts import short
from jcsim.rmi.client import JCRMIConnect, SimulatorCardAccessor
from jcsim.samples.purse import PURSE_AID, Purse, PurseApplet
from jcsim.samples.purse.client import purse_client


@pytest.fixture(params=["T=0", "T=1"])
def protocol(request: pytest.FixtureRequest) -> str:
    return request.param


def connect(sim: Simulator, fmt: int = JCRMIConnect.REF_WITH_CLASS_NAME) -> Purse:
    connection = JCRMIConnect(SimulatorCardAccessor(sim))
    connection.select_applet(PURSE_AID, fmt)
    return connection.get_initial_reference()


@pytest.fixture
def purse(protocol: str) -> Purse:
    sim = Simulator(protocol)
    sim.install(PurseApplet, PURSE_AID)
    return connect(sim)


def refused(call, *args) -> bool:
    try:
        call(*args)
    except UserException as exc:
        assert exc.getReason() == Purse.REQUEST_FAILED
        return True
    return False


def test_a_new_purse_holds_0(purse):
    assert purse.getBalance() == 0


def test_debit_and_credit_return_the_new_balance(purse):
    assert purse.credit(400) == 400
    assert purse.debit(150) == 250
    assert purse.getBalance() == 250


def test_a_credit_may_be_max_amount_but_not_more(purse):
    assert purse.credit(Purse.MAX_AMOUNT) == 400
    assert refused(purse.credit, Purse.MAX_AMOUNT + 1)
    assert purse.getBalance() == 400


def test_a_debit_may_take_the_whole_balance_but_not_more(purse):
    purse.credit(10)
    assert refused(purse.debit, 11)
    assert purse.debit(10) == 0
    assert refused(purse.debit, 1)


def test_negative_amounts_are_refused(purse):
    purse.credit(5)
    assert refused(purse.credit, -1) and refused(purse.debit, -1)
    assert refused(purse.credit, -0x8000)
    assert purse.getBalance() == 5


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["credit", "debit", "getBalance"]),
                          st.integers(-0x8000, 0x7FFF)), max_size=30))
def test_the_purse_follows_its_rules_for_any_sequence_of_requests(requests):
    sim = Simulator()
    sim.install(PurseApplet, PURSE_AID)
    purse = connect(sim)
    balance = 0
    for name, amount in requests:
        if name == "getBalance":
            assert purse.getBalance() == balance
            continue
        if name == "credit":
            allowed = 0 <= amount <= Purse.MAX_AMOUNT
            after = short(balance + amount)
        else:
            allowed = 0 <= amount <= balance
            after = short(balance - amount)
        if allowed:
            assert getattr(purse, name)(amount) == after
            balance = after
        else:
            assert refused(getattr(purse, name), amount)
    assert purse.getBalance() == balance


def test_the_balance_survives_a_reset_and_a_card_image(protocol):
    sim = Simulator(protocol)
    sim.install(PurseApplet, PURSE_AID)
    connect(sim).credit(123)
    sim.reset()
    assert connect(sim, JCRMIConnect.REF_WITH_INTERFACE_NAMES).getBalance() == 123
    copy = Simulator.from_snapshot(sim.snapshot())
    purse = connect(copy)
    assert purse.debit(23) == 100
    assert connect(sim).getBalance() == 123  # the original card is untouched


def test_the_notes_client_runs_against_the_simulator(protocol):
    sim = Simulator(protocol)
    sim.install(PurseApplet, PURSE_AID)
    lines = []
    assert purse_client(SimulatorCardAccessor(sim), out=lines.append) == 5
    assert lines == ["Balance: 0", "Credit 20: balance 20", "Debit 15: balance 5", "Balance: 5"]


def test_jcsim_demo_purse_runs_to_the_end():
    out = io.StringIO()
    console = Console(file=out, width=100, force_terminal=False)
    assert run_demo("purse", console, pause=False) == 0
    text = out.getvalue()
    assert "80 38 02 02 06 00 00 D4 94 00 64 00" in text  # credit(100) on the wire
    assert "82 27 01 02" in text and "Purse.REQUEST_FAILED" in text
    assert "The purse holds 70" in text
