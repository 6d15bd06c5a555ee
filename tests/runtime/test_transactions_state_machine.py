"""The journal held against a dict model (hypothesis ``RuleBasedStateMachine``).

An applet with three short fields, a byte array and a short array runs programs of operations
sent in one command: begin, commit, abort, a field write, an array element write, an atomic
``Util.arrayCopy`` and an ``arrayCopyNonAtomic``. The model plays the same program on a dict
(with an undo log for the open transaction, the commit-capacity costs and the write count), so
it knows the persistent memory after every write: the state after a normal command (including
the JCRE's abort of a transaction left open), after a tear at any write (before the power-up:
what the memory holds; after it: the rollback), and after a save and load. The card's memory is
compared with the model after every step.
"""

from __future__ import annotations

from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from jcsim import CardTornError, Simulator
from jcsim.framework import (
    Applet,
    ByteArray,
    ISOException,
    JCSystem,
    ShortArray,
    TransactionException,
    Util,
)
from jcsim.runtime.journal import ELEMENT_OVERHEAD, FIELD_COST

AID = "F0 00 00 00 13 01"
CAPACITY = 48  # small, so BUFFER_FULL happens
FIELDS = ("f0", "f1", "f2")
BYTES = 8
SHORTS = 3

BEGIN, COMMIT, ABORT, FIELD, BYTE, SHORT, COPY, COPY_NON_ATOMIC = range(1, 9)


def copy_source(seed: int, length: int) -> bytes:
    return bytes((seed + i) & 0xFF for i in range(length))


class Machine(Applet):
    """Runs the program in the command data, four bytes per operation, and answers one status
    byte per operation: 0, or the TransactionException reason it raised."""

    def __init__(self) -> None:
        self.f0 = 0
        self.f1 = 0
        self.f2 = 0
        self.data = ByteArray(BYTES)
        self.shorts = ShortArray(SHORTS)

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        buffer = apdu.getBuffer()
        count = apdu.setIncomingAndReceive()
        program = bytes(buffer[5:5 + count])
        statuses = bytearray()
        for index in range(0, len(program), 4):
            op, a, b, c = program[index:index + 4]
            try:
                self.run(op, a, b, c)
                statuses.append(0)
            except TransactionException as exc:
                statuses.append(exc.getReason())
        if len(statuses) > 255:
            ISOException.throwIt(0x6700)
        buffer[0:len(statuses)] = statuses
        apdu.setOutgoingAndSend(0, len(statuses))

    def run(self, op: int, a: int, b: int, c: int) -> None:
        if op == BEGIN:
            JCSystem.beginTransaction()
        elif op == COMMIT:
            JCSystem.commitTransaction()
        elif op == ABORT:
            JCSystem.abortTransaction()
        elif op == FIELD:
            setattr(self, FIELDS[a], (b << 8) | c if b < 0x80 else ((b << 8) | c) - 0x10000)
        elif op == BYTE:
            self.data[a] = c
        elif op == SHORT:
            self.shorts[a] = (b << 8) | c
        elif op in (COPY, COPY_NON_ATOMIC):
            source = copy_source(c, b)
            if op == COPY:
                Util.arrayCopy(source, 0, self.data, a, b)
            else:
                Util.arrayCopyNonAtomic(source, 0, self.data, a, b)


class Torn(Exception):
    """The model reached the armed tear point."""


class Model:
    """The persistent memory as a dict, and the journal's rules in a few lines."""

    def __init__(self) -> None:
        self.memory: dict[Any, int] = {name: 0 for name in FIELDS}
        self.memory.update({("data", i): 0 for i in range(BYTES)})
        self.memory.update({("shorts", i): 0 for i in range(SHORTS)})
        self.undo: dict[Any, int] | None = None  # the open transaction's first old values
        self.used = 0
        self.logged: set[Any] = set()
        self.atomic: dict[Any, int] | None = None  # an atomic copy in progress
        self.writes = 0
        self.tear_after: int | None = None

    # --- writes ------------------------------------------------------------------------------

    def _store(self, location: Any, value: int) -> None:
        self.memory[location] = value
        self.writes += 1
        if self.writes == self.tear_after:
            raise Torn

    def _journaled(self, location: Any, value: int, cost: int) -> int:
        if self.undo is not None and location not in self.logged:
            if self.used + cost > CAPACITY:
                return TransactionException.BUFFER_FULL
            self.used += cost
            self.logged.add(location)
            self.undo.setdefault(location, self.memory[location])
        self._store(location, value)
        return 0

    def _copy(self, start: int, source: bytes, atomic: bool) -> int:
        locations = [("data", start + i) for i in range(len(source))]
        if atomic:
            cost = ELEMENT_OVERHEAD + len(source)
            if self.undo is not None:
                if self.used + cost > CAPACITY:
                    return TransactionException.BUFFER_FULL
                self.used += cost
                for location in locations:
                    self.undo.setdefault(location, self.memory[location])
            else:
                if cost > CAPACITY:
                    return TransactionException.BUFFER_FULL
                self.atomic = {location: self.memory[location] for location in locations}
        for location, value in zip(locations, source):
            self._store(location, value)
        self.atomic = None
        return 0

    def step(self, op: int, a: int, b: int, c: int) -> int:
        if op == BEGIN:
            if self.undo is not None:
                return TransactionException.IN_PROGRESS
            self.undo, self.used, self.logged = {}, 0, set()
            return 0
        if op in (COMMIT, ABORT):
            if self.undo is None:
                return TransactionException.NOT_IN_PROGRESS
            if op == ABORT:
                self.memory.update(self.undo)
            self.undo = None
            return 0
        if op == FIELD:
            value = (b << 8) | c
            return self._journaled(FIELDS[a], value - 0x10000 if value > 0x7FFF else value,
                                   FIELD_COST)
        if op == BYTE:
            return self._journaled(("data", a), c, ELEMENT_OVERHEAD + 1)
        if op == SHORT:
            value = (b << 8) | c
            return self._journaled(("shorts", a), value - 0x10000 if value > 0x7FFF else value,
                                   ELEMENT_OVERHEAD + 2)
        return self._copy(a, copy_source(c, b), op == COPY)

    # --- commands and power ------------------------------------------------------------------

    def command(self, program: list[tuple[int, int, int, int]],
                tear_after: int | None = None) -> tuple[bool, int, bytes]:
        """Run a program as a command: (torn, status word, statuses)."""
        self.writes, self.tear_after = 0, tear_after
        statuses = bytearray()
        try:
            if tear_after == 0:
                raise Torn
            for op in program:
                statuses.append(self.step(*op))
        except Torn:
            return True, 0, b""
        finally:
            self.tear_after = None
        if self.undo is not None:  # the JCRE aborts what process() left open: 6F00
            self.memory.update(self.undo)
            self.undo = None
            return False, 0x6F00, b""
        return False, 0x9000, bytes(statuses)

    def power_up(self) -> None:
        if self.atomic is not None:
            self.memory.update(self.atomic)
            self.atomic = None
        if self.undo is not None:
            self.memory.update(self.undo)
            self.undo = None


operations = st.one_of(
    st.sampled_from([(BEGIN, 0, 0, 0), (COMMIT, 0, 0, 0), (ABORT, 0, 0, 0)]),
    st.tuples(st.just(FIELD), st.integers(0, len(FIELDS) - 1), st.integers(0, 255),
              st.integers(0, 255)),
    st.tuples(st.just(BYTE), st.integers(0, BYTES - 1), st.just(0), st.integers(0, 255)),
    st.tuples(st.just(SHORT), st.integers(0, SHORTS - 1), st.integers(0, 255),
              st.integers(0, 255)),
    st.integers(0, BYTES).flatmap(lambda start: st.tuples(
        st.sampled_from([COPY, COPY_NON_ATOMIC]), st.just(start),
        st.integers(0, BYTES - start), st.integers(0, 255))),
)
programs = st.lists(operations, max_size=10)
transactions = st.tuples(programs, st.sampled_from([COMMIT, ABORT, None])).map(
    lambda pair: [(BEGIN, 0, 0, 0), *pair[0]] + ([] if pair[1] is None else [(pair[1], 0, 0, 0)]))


def encode(program: list[tuple[int, int, int, int]]) -> bytes:
    data = b"".join(bytes(op) for op in program)
    if not data:
        return bytes.fromhex("80010000")
    return bytes.fromhex("80010000") + bytes((len(data),)) + data + b"\x00"


class TransactionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.sim = Simulator(commit_capacity=CAPACITY)
        self.sim.install(Machine, AID, default=True)
        self.sim.power_on()
        self.model = Model()

    def applet(self) -> Machine:
        return self.sim.card.registry.applets[-1].instance

    def send(self, program: list[tuple[int, int, int, int]]) -> None:
        torn, sw, statuses = self.model.command(program)
        assert not torn
        response = self.sim.transmit(encode(program))
        assert response.sw == sw
        if sw == 0x9000:
            assert response.data == statuses

    @precondition(lambda self: self.sim.powered)
    @rule(program=programs)
    def run_a_program(self, program: list[tuple[int, int, int, int]]) -> None:
        """Any mix: begin / write field / write element / arrayCopy / NonAtomic / commit /
        abort, in any order (IN_PROGRESS, NOT_IN_PROGRESS and BUFFER_FULL included)."""
        self.send(program)

    @precondition(lambda self: self.sim.powered)
    @rule(program=transactions)
    def run_a_transaction(self, program: list[tuple[int, int, int, int]]) -> None:
        """begin, writes, then commit, abort, or nothing (the JCRE aborts: 6F00)."""
        self.send(program)

    @precondition(lambda self: self.sim.powered)
    @rule(program=st.one_of(transactions, programs), after=st.integers(0, 24))
    def tear(self, program: list[tuple[int, int, int, int]], after: int) -> None:
        """arm_tear(after_writes=N), then the command."""
        torn, sw, statuses = self.model.command(program, tear_after=after)
        self.sim.arm_tear(after_writes=after)
        try:
            response = self.sim.transmit(encode(program))
        except CardTornError:
            assert torn
            assert not self.sim.powered
        else:
            assert not torn
            assert response.sw == sw

    @rule()
    def power_on(self) -> None:
        self.model.power_up()
        self.sim.power_on()

    @rule()
    def save_and_load(self) -> None:
        """A card image keeps the memory, and a pending rollback, exactly."""
        self.sim = Simulator.from_snapshot(self.sim.snapshot())

    @invariant()
    def memory_matches_the_model(self) -> None:
        applet = self.applet()
        memory = {name: getattr(applet, name) for name in FIELDS}
        memory.update({("data", i): applet.data[i] for i in range(BYTES)})
        memory.update({("shorts", i): applet.shorts[i] for i in range(SHORTS)})
        assert memory == self.model.memory

    @invariant()
    def no_transaction_is_open_between_commands_with_power(self) -> None:
        if self.sim.powered:
            assert self.sim.card.journal.depth == 0


TransactionMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=20,
                                                deadline=None)
test_transactions_against_a_dict_model = TransactionMachine.TestCase
