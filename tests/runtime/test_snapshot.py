"""``runtime.snapshot.copy_card``: an in-memory copy of a card that keeps its sessions."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import CardTornError, Simulator
from jcsim.crypto import Cipher
from jcsim.framework import ISO7816, Applet, JCSystem
from jcsim.runtime.snapshot import SnapshotError, copy_card
from jcsim.samples.echo import Echo
from jcsim.samples.purse_tx import BrokenPurse, Purse
from jcsim.security import KeyBuilder, MessageDigest
from jcsim.testing import TearPoint, tear_sweep

PURSE = "F0 00 00 00 30 01"
ECHO = "F0 00 00 00 01 01"
BALANCE = "80 32 00 00 04"


def purse_card() -> Simulator:
    sim = Simulator()
    sim.install(Purse, PURSE)
    sim.install(Echo, ECHO)
    assert sim.select(PURSE).sw == 0x9000
    return sim


def debit(amount: int) -> str:
    return f"80 30 00 00 02 {amount:04X}"


def copy_of(sim: Simulator) -> Simulator:
    return Simulator._around(copy_card(sim.card))


def test_a_copy_keeps_the_selected_applets_and_open_channels() -> None:
    sim = purse_card()
    channel = sim.open_channel()
    assert sim.select(ECHO, channel).sw == 0x9000
    copy = copy_of(sim)
    # No SELECT on the copy: both sessions carried over.
    assert copy.transmit(BALANCE).data == bytes.fromhex("03E80000")
    echoed = copy.transmit("80 01 00 00 02 AB CD 00", channel)
    assert echoed.data == bytes.fromhex("ABCD") and echoed.sw == 0x9000
    assert copy.open_channels() == [0, channel]


def test_a_copy_and_its_original_go_their_own_ways() -> None:
    sim = purse_card()
    copy = copy_of(sim)
    assert copy.transmit(debit(300)).sw == 0x9000
    assert sim.transmit(BALANCE).data == bytes.fromhex("03E80000")
    assert copy.transmit(BALANCE).data == bytes.fromhex("02BC0001")
    assert sim.transmit(debit(1)).sw == 0x9000
    assert copy.transmit(BALANCE).data == bytes.fromhex("02BC0001")


def test_a_copy_keeps_a_T0_response_waiting_for_GET_RESPONSE() -> None:
    sim = Simulator(protocol="T=0")
    sim.install(Echo, ECHO)
    sim.select(ECHO)
    assert sim.transmit("80 01 00 00 03 01 02 03").sw == 0x6103
    copy = copy_of(sim)
    assert copy.transmit("00 C0 00 00 03").data == bytes.fromhex("010203")


class Grower(Applet):
    """INS 10 gives the applet one more field: persistent memory grows."""

    def __init__(self) -> None:
        self.fields = 0

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        if apdu.getBuffer()[ISO7816.OFFSET_INS] == 0x10:
            self.fields = self.fields + 1
            setattr(self, f"field{self.fields}", self.fields)


def test_a_copy_accounts_for_memory_as_the_original_does() -> None:
    aid = "F0 00 00 00 99 04"
    sim = Simulator()
    sim.install(Grower, aid)
    sim.select(aid)
    sim.transmit("80 10 00 00")
    copy = copy_of(sim)
    assert copy.memory() == sim.memory()
    used_before = copy.memory().persistent.used
    for card in (sim, copy):
        assert card.transmit("80 10 00 00").sw == 0x9000
    # The new field is charged to the copied applet's entry, found by the copy's own id.
    assert copy.memory().persistent.used > used_before
    assert copy.memory() == sim.memory()
    table = copy.card.memory.table
    assert all(id(entry[0]) == key for key, entry in table.items())
    assert set(map(id, (e[0] for e in table.values()))).isdisjoint(
        id(e[0]) for e in sim.card.memory.table.values())


class TransientKeeper(Applet):
    """INS 10 stores P2 in a CLEAR_ON_DESELECT array; INS 20 answers it."""

    def __init__(self) -> None:
        self.scratch = JCSystem.makeTransientByteArray(1, JCSystem.CLEAR_ON_DESELECT)

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        buffer = apdu.getBuffer()
        if buffer[ISO7816.OFFSET_INS] == 0x10:
            self.scratch[0] = buffer[ISO7816.OFFSET_P2]
        else:
            buffer[0] = self.scratch[0]
            apdu.setOutgoingAndSend(0, 1)


def test_a_copy_keeps_the_contents_of_transient_arrays() -> None:
    sim = Simulator()
    sim.install(TransientKeeper, "F0 00 00 00 99 01")
    sim.select("F0 00 00 00 99 01")
    sim.transmit("80 10 00 5A")
    copy = copy_of(sim)
    assert copy.transmit("80 20 00 00 01").data == b"\x5A"
    # Still transient in the copy: a power cycle clears it there.
    copy.power_on()
    copy.select("F0 00 00 00 99 01")
    assert copy.transmit("80 20 00 00 01").data == b"\x00"
    assert sim.transmit("80 20 00 00 01").data == b"\x5A"


COMMANDS = st.sampled_from([debit(1), debit(7), debit(2000), debit(0), BALANCE,
                            "80 34 00 00 00", f"00 A4 04 00 06 {PURSE} 00",
                            f"00 A4 04 00 06 {ECHO} 00", "80 01 00 00 01 42 00"])


@settings(max_examples=40, deadline=None)
@given(before=st.lists(COMMANDS, max_size=12), after=st.lists(COMMANDS, max_size=12))
def test_a_copy_answers_every_later_command_as_the_original_does(
        before: list[str], after: list[str]) -> None:
    sim = purse_card()
    for command in before:
        sim.transmit(command)
    copy = copy_of(sim)
    for command in after:
        assert copy.transmit(command) == sim.transmit(command)


class Digester(Applet):
    """INS 10 feeds the header to a digest left open, then bumps two counters in a
    transaction; INS 20 answers the counters; INS 30 finishes the digest and answers it."""

    def __init__(self) -> None:
        self.digest = MessageDigest.getInstance(MessageDigest.ALG_SHA_256, False)
        self.count = 0
        self.shadow = 0

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        buffer = apdu.getBuffer()
        ins = buffer[ISO7816.OFFSET_INS]
        if ins == 0x10:
            self.digest.update(buffer, 0, 4)
            JCSystem.beginTransaction()
            self.count = self.count + 1
            self.shadow = self.shadow + 1
            JCSystem.commitTransaction()
        elif ins == 0x20:
            buffer[0], buffer[1] = self.count, self.shadow
            apdu.setOutgoingAndSend(0, 2)
        else:
            length = self.digest.doFinal(buffer, 0, 0, buffer, 0)
            apdu.setOutgoingAndSend(0, length)


class Encryptor(Digester):
    """As Digester, with an AES-CBC encryption left in the middle of its message."""

    def __init__(self) -> None:
        super().__init__()
        key = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, 128, False)
        key.setKey(bytes(range(16)), 0)
        self.cipher = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, False)
        self.cipher.init(key, Cipher.MODE_ENCRYPT)
        self.block = JCSystem.makeTransientByteArray(16, JCSystem.CLEAR_ON_DESELECT)
        self.digest = self  # update() below stands in for the digest's

    def update(self, buffer: Any, offset: int, length: int) -> None:
        self.cipher.update(self.block, 0, 16, self.block, 0)


def test_a_copy_carries_a_digest_in_the_middle_of_its_message() -> None:
    aid = "F0 00 00 00 99 02"
    sim = Simulator()
    sim.install(Digester, aid)
    sim.select(aid)
    sim.transmit("80 10 00 00")
    copy = copy_of(sim)
    assert copy.transmit("80 10 00 00").sw == 0x9000
    assert sim.transmit("80 10 00 00").sw == 0x9000
    assert copy.transmit("80 30 00 00 00") == sim.transmit("80 30 00 00 00")
    assert len(sim.transmit("80 30 00 00 00").data) == 32


def test_a_card_that_cannot_be_copied_is_refused_and_still_swept_by_replay() -> None:
    aid = "F0 00 00 00 99 03"
    sim = Simulator()
    sim.install(Encryptor, aid)
    select = f"00 A4 04 00 06 {aid} 00"
    sim.transmit(select)
    sim.transmit("80 10 00 00")
    with pytest.raises(SnapshotError, match="cannot be copied"):
        copy_card(sim.card)

    def counts_agree(card: Simulator, point: TearPoint) -> None:
        card.transmit(select)
        answer = card.transmit("80 20 00 00 02").data
        assert answer[0] == answer[1]

    report = tear_sweep(Simulator.from_snapshot(sim.snapshot()),
                        [select, "80 10 00 00", "80 10 00 00"], counts_agree)
    assert report.writes_per_command == (0, 2, 2)
    assert len(report.points) == 1 + 3 + 3


def replayed_sweep(image: bytes, commands: list[str], observe: Any) -> list[Any]:
    """The sweep as it was before copies: an image load and a replay for every tear point."""
    probe = Simulator.from_snapshot(image)
    counts = []
    for command in commands:
        probe.transmit(command)
        counts.append(probe.card.journal.writes)
    seen = []
    for index, count in enumerate(counts):
        for n in range(count + 1):
            sim = Simulator.from_snapshot(image)
            for earlier in commands[:index]:
                sim.transmit(earlier)
            sim.arm_tear(after_writes=n)
            try:
                sim.transmit(commands[index])
            except CardTornError:
                pass
            sim.power_on()
            seen.append(observe(sim, TearPoint(index, n)))
    return seen


@settings(max_examples=15, deadline=None)
@given(amounts=st.lists(st.integers(0, 600), min_size=1, max_size=5),
       broken=st.booleans(), reselect=st.booleans())
def test_a_sweep_from_copies_sees_what_a_sweep_by_replay_sees(
        amounts: list[int], broken: bool, reselect: bool) -> None:
    sim = Simulator()
    sim.install(BrokenPurse if broken else Purse, PURSE)
    image = sim.snapshot()
    commands = [f"00 A4 04 00 06 {PURSE} 00"]
    for amount in amounts:
        commands.append(debit(amount))
        if reselect:
            commands.append(f"00 A4 04 00 06 {PURSE} 00")

    def observe(card: Simulator, point: TearPoint) -> Any:
        selected = card.selected()
        card.select(PURSE)
        return (point, selected, card.transmit(BALANCE), card.transmit("80 34 00 00 00"),
                card.memory())

    from_copies: list[Any] = []
    report = tear_sweep(Simulator.from_snapshot(image), commands,
                        lambda card, point: from_copies.append(observe(card, point)))
    assert from_copies == replayed_sweep(image, commands, observe)
    assert list(report.points) == [entry[0] for entry in from_copies]
