"""The transactional purse: its commands, and tear sweeps that prove the good purse conserves
money at every tear point and catch the broken one."""

from __future__ import annotations

from pathlib import Path

import pytest

from jcsim import CardTornError, Response, Simulator
from jcsim.samples.purse_tx import BrokenPurse, Purse
from jcsim.samples.purse_tx.purse import INITIAL_BALANCE, LOG_SIZE
from jcsim.testing import TearPoint, TearSweepError, tear_sweep

AID = "F0 00 00 00 30 01"
SELECT = f"00 A4 04 00 06 {AID} 00"
BALANCE = "80 32 00 00 04"
LOG = "80 34 00 00 00"


def debit(amount: int) -> str:
    return f"80 30 00 00 02 {amount:04X}"


def card(applet: type = Purse) -> Simulator:
    sim = Simulator()
    sim.install(applet, AID)
    sim.select(AID)
    return sim


def balance_and_log(sim: Simulator) -> tuple[int, list[int]]:
    """Ask the card (after selecting the purse) for its balance and its log."""
    assert sim.select(AID).sw == 0x9000
    balance = sim.transmit(BALANCE)
    log = sim.transmit(LOG)
    assert balance.sw == log.sw == 0x9000
    count = int.from_bytes(balance.data[2:], "big")
    amounts = [int.from_bytes(log.data[i:i + 2], "big") for i in range(0, len(log.data), 2)]
    assert len(amounts) == count
    return int.from_bytes(balance.data[:2], "big"), amounts


def money_is_conserved(sim: Simulator, point: TearPoint) -> None:
    balance, amounts = balance_and_log(sim)
    assert balance + sum(amounts) == INITIAL_BALANCE, \
        f"balance {balance} + logged debits {amounts} != {INITIAL_BALANCE}"


@pytest.mark.parametrize("applet", [Purse, BrokenPurse])
def test_a_debit_lowers_the_balance_and_logs_the_amount(applet: type) -> None:
    sim = card(applet)
    assert sim.transmit(debit(100)).sw == 0x9000
    assert sim.transmit(debit(250)).sw == 0x9000
    assert balance_and_log(sim) == (650, [100, 250])


@pytest.mark.parametrize(("command", "sw"), [
    ("80 30 00 00 01 05", 0x6700),
    (debit(0), 0x6A80),
    (debit(0x8000), 0x6A80),  # a negative short
    (debit(INITIAL_BALANCE + 1), 0x6985),
    ("80 31 00 00", 0x6D00),
])
def test_a_wrong_debit_is_refused_and_changes_nothing(command: str, sw: int) -> None:
    sim = card()
    assert sim.transmit(command).sw == sw
    assert balance_and_log(sim) == (INITIAL_BALANCE, [])


def test_the_log_holds_LOG_SIZE_debits_then_answers_6A84() -> None:
    sim = card()
    for _ in range(LOG_SIZE):
        assert sim.transmit(debit(1)).sw == 0x9000
    assert sim.transmit(debit(1)) == Response(b"", 0x6A84)
    assert balance_and_log(sim) == (INITIAL_BALANCE - LOG_SIZE, [1] * LOG_SIZE)


def test_the_purse_conserves_money_at_every_tear_point() -> None:
    # Each copy of the card starts at a power-up, as a loaded image does: select first.
    report = tear_sweep(card(), [SELECT, debit(100), debit(250), debit(7)], money_is_conserved)
    assert report.writes_per_command == (0, 3, 3, 3)
    assert len(report.points) == 1 + 3 * 4


def test_a_sweep_can_start_from_a_function_that_makes_fresh_cards() -> None:
    def fresh() -> Simulator:
        sim = Simulator()
        sim.install(Purse, AID)
        return sim

    report = tear_sweep(fresh, [SELECT, debit(100)], money_is_conserved)
    assert report.writes_per_command == (0, 3)


def test_the_sweep_catches_the_purse_that_writes_outside_a_transaction() -> None:
    with pytest.raises(TearSweepError) as caught:
        tear_sweep(card(BrokenPurse), [SELECT, debit(100), debit(250)], money_is_conserved)
    # Torn just after the balance was written: 100 gone, nothing logged.
    assert caught.value.point == TearPoint(command=1, writes=1)
    assert "balance 900 + logged debits [] != 1000" in str(caught.value)


@pytest.mark.parametrize(("applet", "after_power_up"), [(Purse, (1000, [])),
                                                        (BrokenPurse, (900, []))])
def test_a_tear_at_the_named_hook_shows_the_difference(
        applet: type, after_power_up: tuple[int, list[int]]) -> None:
    sim = card(applet)
    sim.arm_tear(at_hook="debit:balance-written")
    with pytest.raises(CardTornError):
        sim.transmit(debit(100))
    sim.power_on()
    assert balance_and_log(sim) == after_power_up


def test_the_purse_survives_a_save_and_a_load(tmp_path: Path) -> None:
    sim = card()
    sim.transmit(debit(40))
    sim.save(tmp_path / "purse.jcimg")
    loaded = Simulator.load(tmp_path / "purse.jcimg")
    assert balance_and_log(loaded) == (960, [40])
    assert loaded.transmit(debit(60)).sw == 0x9000
    assert balance_and_log(loaded) == (900, [40, 60])


def test_the_transactions_demo_runs_to_the_end() -> None:
    from rich.console import Console

    from jcsim.cli.demo import run_demo

    console = Console(record=True, width=100)
    assert run_demo("transactions", console, pause=False) == 0
    text = console.export_text()
    assert "no response: the card lost power" in text
    assert "After the power-up: balance 900, log [100]" in text
