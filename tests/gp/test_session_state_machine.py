"""A state machine over open / install / tamper / replay / reset between the host client and the
card manager: the host's session state follows the card's, and a refused command changes
nothing on the card."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from jcsim import Simulator
from jcsim.gp import GPClient, GPCommandError

PKG = "tests.runtime.firewall_packages.installable"
INSTALLABLE = bytes.fromhex("F04A435349")
KEEPER_CLASS = bytes.fromhex("F04A4353494B")
CONFIGURATIONS = [(3, 0x01), (3, 0x03), (3, 0x11), (3, 0x13), (3, 0x33), (2, 0x01), (2, 0x03)]


def instance(number: int) -> bytes:
    return bytes.fromhex("F04A4353494B") + bytes((number,))


class HostAndCard(RuleBasedStateMachine):
    @initialize()
    def power_up(self) -> None:
        self.sim = Simulator()
        self.sim.load_package(PKG)
        self.gp = GPClient(self.sim)
        self.sent: list[bytes] = []
        self.gp.observers.append(lambda plain, wire, response, unwrapped: self.sent.append(wire))
        self.installed: set[bytes] = set()
        self.open = False

    def card_applets(self) -> set[bytes]:
        return {a.aid.value for a in self.sim.applets()} - {bytes.fromhex("A000000151000000")}

    @rule(configuration=st.sampled_from(CONFIGURATIONS))
    def open_channel(self, configuration: tuple[int, int]) -> None:
        scp, level = configuration
        self.gp.select_isd()
        self.gp.open_secure_channel(security_level=level, scp=scp)
        self.open = True

    @rule(number=st.integers(1, 6))
    def install(self, number: int) -> None:
        try:
            self.gp.install(INSTALLABLE, KEEPER_CLASS, instance(number))
        except GPCommandError as exc:
            if not self.open:
                assert exc.sw in (0x6982, 0x6999)  # no session, or no ISD selected
            else:
                assert exc.sw == 0x6985 and instance(number) in self.installed
            return
        assert self.open
        self.installed.add(instance(number))

    @precondition(lambda self: self.open)
    @rule(number=st.integers(1, 6), position=st.integers(5, 40), flip=st.integers(1, 255))
    def tamper(self, number: int, position: int, flip: int) -> None:
        wire = bytearray(self.gp.session.wrap(b"\x80\xE4\x00\x00\x09\x4F\x07" + instance(number)
                                              + b"\x00"))
        wire[position % (len(wire) - 1)] ^= flip
        response = self.sim.transmit(bytes(wire))
        # Refused, whatever byte changed: the C-MAC (6982), or the header first (a channel that
        # is not open, an instruction the card manager lacks, a length that does not match).
        assert response.sw >> 8 not in (0x90, 0x61, 0x62, 0x63), f"{response.sw:04X}"
        self.gp.close_secure_channel()
        self.open = False

    @precondition(lambda self: self.open and self.sent)
    @rule()
    def replay(self) -> None:
        last = self.sent[-1]
        response = self.sim.transmit(last)
        if last[0] & 0x04:
            assert response.sw == 0x6982, f"a replayed {last.hex()} answered {response.sw:04X}"
            self.gp.close_secure_channel()
            self.open = False

    @rule()
    def reset(self) -> None:
        self.sim.reset()
        self.gp.close_secure_channel()
        self.open = False

    @precondition(lambda self: self.open)
    @rule(number=st.integers(1, 6))
    def delete(self, number: int) -> None:
        try:
            self.gp.delete(instance(number))
        except GPCommandError as exc:
            assert exc.sw == 0x6A88 and instance(number) not in self.installed
            return
        self.installed.discard(instance(number))

    @invariant()
    def nothing_changes_but_what_was_accepted(self) -> None:
        if hasattr(self, "sim"):
            assert self.card_applets() == self.installed

    @invariant()
    def the_host_session_is_open_exactly_when_expected(self) -> None:
        if hasattr(self, "gp"):
            session = self.gp.session
            assert (session is not None and session.is_open) == self.open


HostAndCard.TestCase.settings = settings(max_examples=50, stateful_step_count=20, deadline=None)
TestHostAndCard = HostAndCard.TestCase
