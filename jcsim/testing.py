"""Helpers for testing applets: tear hooks and the tear sweep.

``tear_hook(name)`` marks a point in applet code where a test may cut the power
(``sim.arm_tear(at_hook=name)``); it does nothing otherwise. ``tear_sweep`` replays a command
sequence once per possible tear point on a fresh copy of the card and checks an invariant after
each power-up: the way to show that an applet loses nothing, and creates nothing, whatever the
moment the card is torn from the reader. ``assert_tear_safe`` is the same sweep as one line of a
test, failing with the command and the write the power was cut after.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs

from jcsim.apdu import CommandAPDU, Response
from jcsim.errors import CardTornError, JCSimError
from jcsim.framework import _jcre
from jcsim.simulator import Simulator

__all__ = ["SweepReport", "TearPoint", "TearSweepError", "assert_tear_safe", "tear_hook",
           "tear_sweep"]

Command = bytes | str | CommandAPDU


def tear_hook(name: str) -> None:
    """A place in applet code where ``sim.arm_tear(at_hook=name)`` cuts the power."""
    jcre = _jcre._local.jcre  # _jcre.active_or_none(), written out: applets call this often
    if jcre is not None:
        jcre.reach_hook(name)


@attrs.frozen
class TearPoint:
    """Where a sweep cut the power: during ``commands[command]``, after ``writes`` writes.

    ``write`` names the location of the last of those writes (``Purse.balance``); it is
    information, not part of the point's identity.
    """

    command: int
    writes: int
    write: str = attrs.field(default="", eq=False, repr=False)


@attrs.frozen
class SweepReport:
    """What a sweep did: the writes each command makes untorn, and every point it tore at."""

    writes_per_command: tuple[int, ...]
    points: tuple[TearPoint, ...]


class TearSweepError(JCSimError, AssertionError):
    """The invariant failed after a tear; ``point`` says where the power was cut."""

    def __init__(self, point: TearPoint, cause: BaseException, message: str | None = None
                 ) -> None:
        super().__init__(message or f"invariant failed after a tear during command "
                         f"{point.command} after {point.writes} persistent writes: {cause}")
        self.point = point
        self.cause = cause
        self.writes_per_command: tuple[int, ...] = ()


def _copy_maker(card: Simulator | Callable[[], Simulator]) -> Callable[[], Simulator]:
    if isinstance(card, Simulator):
        image = card.snapshot()
        return lambda: Simulator.from_snapshot(image)
    return card


def tear_sweep(card: Simulator | Callable[[], Simulator], commands: Sequence[Command],
               invariant: Callable[[Simulator, TearPoint], Any]) -> SweepReport:
    """Tear the card at every persistent write of every command in turn.

    ``card`` is a prepared ``Simulator`` (copied through its image) or a function that makes
    a fresh one (called once). For each command ``i`` and each ``n`` from 0 to the number of
    persistent writes that command makes, a fresh copy runs ``commands[:i]`` normally, then
    ``commands[i]`` with a tear after ``n`` writes, powers up again and calls
    ``invariant(sim, point)``; an ``AssertionError`` from it becomes ``TearSweepError``.
    A copy made from an image starts just after a power-up, with only default applets
    selected, so ``commands`` should begin with the SELECT the sequence needs.

    The card that counts the writes is copied in memory before each command
    (``jcsim.runtime.snapshot``), so each tear starts from that copy instead of replaying
    ``commands[:i]``: the same states, in time linear in the number of tear points. A card
    holding something that cannot be copied is swept by replaying, as before.
    """
    from jcsim.runtime.snapshot import SnapshotError, copy_card

    fresh = _copy_maker(card)
    writes: list[int] = []
    probe = fresh()
    before: list[Any] = []  # the probe's card just before each command, or None
    for command in commands:
        try:
            before.append(copy_card(probe.card) if before[-1:] != [None] else None)
        except SnapshotError:
            before.append(None)
        _send(probe, command)
        writes.append(probe.card.journal.writes)
    points: list[TearPoint] = []
    for index, count in enumerate(writes):
        for n in range(count + 1):
            point = TearPoint(index, n)
            base = before[index]
            if base is not None:
                # The last tear of a command may use the saved copy itself.
                sim = Simulator._around(base if n == count else copy_card(base))
            else:
                sim = fresh()
                for earlier in commands[:index]:
                    _send(sim, earlier)
            sim.arm_tear(after_writes=n)
            try:
                _send(sim, commands[index])
            except CardTornError as torn:
                point = TearPoint(index, n, torn.location)
            else:
                raise JCSimError(f"command {index} made fewer than {n} writes on replay: the "
                                 "applet is not deterministic, so a sweep cannot cover it")
            sim.power_on()
            try:
                invariant(sim, point)
            except AssertionError as exc:
                failure = TearSweepError(point, exc)
                failure.writes_per_command = tuple(writes)
                raise failure from exc
            points.append(point)
    return SweepReport(tuple(writes), tuple(points))


def _send(sim: Simulator, command: Command) -> Response:
    return sim.transmit(command)


def assert_tear_safe(card: Simulator | Callable[[], Simulator], commands: Sequence[Command],
                     invariant: Callable[[Simulator], Any]) -> SweepReport:
    """Assert that ``invariant(sim)`` holds after a tear at every persistent write of every
    command (``tear_sweep``); the one line a test needs::

        assert_tear_safe(card, [SELECT, DEBIT_5], lambda sim: balance(sim) in (100, 95))

    The invariant fails by raising ``AssertionError`` or by returning ``False``. The failure
    (a ``TearSweepError``) names the command, in hex and decoded, and the write after which
    the power was cut, with the location it wrote.
    """
    name = getattr(invariant, "__name__", "<invariant>")
    label = "the invariant" if name == "<lambda>" else f"the invariant {name}()"

    def check(sim: Simulator, point: TearPoint) -> None:
        if invariant(sim) is False:
            raise AssertionError(f"{label} returned False")

    try:
        return tear_sweep(card, commands, check)
    except TearSweepError as failure:
        message = _explain(failure, commands, label)
        raise TearSweepError(failure.point, failure.cause, message) from failure.cause


def _explain(failure: TearSweepError, commands: Sequence[Command], label: str) -> str:
    from jcsim.iso7816_names import describe_command
    from jcsim.simulator import _to_bytes
    from jcsim.trace import format_bytes

    point = failure.point
    raw = _to_bytes(commands[point.command])
    total = failure.writes_per_command[point.command]
    if point.writes == 0:
        cut = f"before its first persistent write (it makes {total})"
    else:
        cut = f"just after persistent write {point.writes} of {total}"
        if point.write:
            cut += f", to {point.write}"
    cause = str(failure.cause).strip() or type(failure.cause).__name__
    return (f"{label} failed after a tear\n"
            f"  command {point.command + 1} of {len(commands)}: {format_bytes(raw)}   "
            f"{describe_command(raw)}\n"
            f"  power cut {cut}\n"
            f"  {cause}")
