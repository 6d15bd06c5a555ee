"""Secure channel sessions held against a small model (hypothesis ``RuleBasedStateMachine``).

Hypothesis opens SCP03 / SCP02 sessions at random levels on the ISD's channel (sometimes with a
wrong host cryptogram), sends wrapped, tampered and plain INSTALL / DELETE commands, and resets
the card. The model, written from GPCS §10 and Amendment D rather than from the card's code:

- a session is open after a good EXTERNAL AUTHENTICATE and closed by a reset, a wrong
  cryptogram, a refused (tampered) command, or a plain command when its level has C-MAC;
- INSTALL and DELETE succeed only within an open session (the card is SECURED);
- a refused command leaves the card's image byte for byte as it was.
"""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from jcsim import Simulator
from tests.runtime.gp_host import Scp02Host, Scp03Host
from tests.runtime.test_card_manager import KEEPER, PKG, command, install_data, lv

ISD = "A000000151000000"
INSTANCES = tuple(KEEPER[:-1] + bytes((n,)) for n in range(1, 4))
SCP03_LEVELS = (0x00, 0x01, 0x03, 0x11, 0x13, 0x33)
SCP02_LEVELS = (0x00, 0x01, 0x03)


def install_command(instance: bytes) -> bytes:
    return command(0x80, 0xE6, 0x0C, 0x00, install_data(instance=instance))


def delete_command(instance: bytes) -> bytes:
    return command(0x80, 0xE4, 0x00, 0x00, b"\x4F" + lv(instance))


class SecureChannelMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.sim = Simulator()
        self.sim.load_package(f"{PKG}.installable")
        self.sim.select(ISD)
        self.host: Scp03Host | Scp02Host | None = None
        self.session_level: int | None = None  # None: no open session
        self.installed: set[bytes] = set()
        self.challenge = 0

    def next_challenge(self) -> bytes:
        self.challenge += 1
        return self.challenge.to_bytes(8, "big")

    def management(self, instance: bytes) -> tuple[bytes, bool]:
        """INSTALL if the instance is absent, else DELETE; and whether it installs."""
        if instance in self.installed:
            return delete_command(instance), False
        return install_command(instance), True

    @rule(protocol=st.sampled_from((2, 3)), data=st.data(), wrong=st.booleans())
    def open_session(self, protocol: int, data: st.DataObject, wrong: bool) -> None:
        levels = SCP03_LEVELS if protocol == 3 else SCP02_LEVELS
        level = data.draw(st.sampled_from(levels))
        host_class = Scp03Host if protocol == 3 else Scp02Host
        self.host = host_class(self.sim, host_challenge=self.next_challenge())
        response = self.host.open(level, tamper_cryptogram=wrong)
        if wrong:
            assert response.sw == 0x6300
            self.session_level = None
        else:
            assert response.sw == 0x9000
            self.session_level = level

    @rule(instance=st.sampled_from(INSTANCES))
    @precondition(lambda self: self.host is not None)
    def wrapped_command(self, instance: bytes) -> None:
        raw, installs = self.management(instance)
        before = self.sim.snapshot()
        response = self.sim.transmit(self.host.wrap(raw))
        if self.session_level is None:
            assert response.sw == 0x6982
            assert self.sim.snapshot() == before
            return
        assert response.sw == 0x9000
        if installs:
            self.installed.add(instance)
        else:
            self.installed.discard(instance)

    @rule(instance=st.sampled_from(INSTANCES), position=st.integers(0, 200),
          bit=st.integers(0, 7))
    @precondition(lambda self: self.host is not None and self.session_level is not None
                  and self.session_level & 0x01)
    def tampered_command(self, instance: bytes, position: int, bit: int) -> None:
        raw, _ = self.management(instance)
        wrapped = bytearray(self.host.wrap(raw))
        # Flip a bit of the data field (and MAC): the header stays a valid GP command.
        index = 5 + position % (wrapped[4])
        wrapped[index] ^= 1 << bit
        before = self.sim.snapshot()
        assert self.sim.transmit(bytes(wrapped)).sw != 0x9000
        assert self.sim.snapshot() == before
        self.session_level = None

    @rule(instance=st.sampled_from(INSTANCES))
    def plain_command(self, instance: bytes) -> None:
        raw, installs = self.management(instance)
        before = self.sim.snapshot()
        response = self.sim.transmit(raw)
        if self.session_level is not None and not self.session_level & 0x01:
            # An authenticated session without C-MAC takes plain commands.
            assert response.sw == 0x9000
            if installs:
                self.installed.add(instance)
            else:
                self.installed.discard(instance)
            return
        assert response.sw == 0x6982
        assert self.sim.snapshot() == before
        if self.session_level is not None:
            self.session_level = None

    @rule()
    def reset(self) -> None:
        self.sim.reset()
        assert self.sim.select(ISD).sw == 0x9000
        self.session_level = None

    @invariant()
    def applets_match_the_model(self) -> None:
        on_card = {a.aid.value for a in self.sim.applets()} & set(INSTANCES)
        assert on_card == self.installed


SecureChannelMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=20,
                                                  deadline=None)
TestSecureChannelMachine = SecureChannelMachine.TestCase
