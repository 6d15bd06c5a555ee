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


SecureChannelMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=20,
                                                  deadline=None)
TestSecureChannelMachine = SecureChannelMachine.TestCase


VAULT = "F00000000A01"
VAULT_CHANNELS = (0, 1, 6)


class VaultChannelsMachine(RuleBasedStateMachine):
    """The vault applet on three logical channels, each with its own session: a refused
    command closes its own channel's session only, and the secret changes only through a
    session with C-DECRYPTION."""

    def __init__(self) -> None:
        super().__init__()
        from jcsim.samples.gp_vault import Vault

        self.sim = Simulator()
        self.sim.install(Vault, VAULT)
        for channel in VAULT_CHANNELS:
            if channel:
                while channel not in self.sim.open_channels():
                    self.sim.open_channel()
            assert self.sim.select(VAULT, channel).sw == 0x9000
        self.hosts: dict[int, Scp03Host | Scp02Host] = {}
        self.levels: dict[int, int | None] = dict.fromkeys(VAULT_CHANNELS)
        self.secret: bytes | None = None
        self.challenge = 0

    @rule(channel=st.sampled_from(VAULT_CHANNELS), protocol=st.sampled_from((2, 3)),
          data=st.data())
    def open_session(self, channel: int, protocol: int, data: st.DataObject) -> None:
        level = data.draw(st.sampled_from(SCP03_LEVELS if protocol == 3 else SCP02_LEVELS))
        self.challenge += 1
        host_class = Scp03Host if protocol == 3 else Scp02Host
        host = host_class(self.sim, channel, host_challenge=self.challenge.to_bytes(8, "big"))
        assert host.open(level).sw == 0x9000
        self.hosts[channel] = host
        self.levels[channel] = level

    @rule(channel=st.sampled_from(VAULT_CHANNELS), value=st.binary(min_size=1, max_size=32))
    @precondition(lambda self: self.hosts)
    def put_secret(self, channel: int, value: bytes) -> None:
        host = self.hosts.get(channel)
        if host is None:
            return
        raw = b"\x80\x10\x00\x00" + bytes((len(value),)) + value
        level = self.levels[channel]
        if level is not None and level & 0x13 == 0x13:
            data, sw = host.transmit(raw)
        else:
            wrapped = host.wrap(raw)
            sw = self.sim.transmit(wrapped).sw
        if level is not None and level & 0x03 == 0x03:
            assert sw == 0x9000
            self.secret = value
        else:
            # Without C-DECRYPTION the vault refuses the secret; the session stays as it was
            # (the refusal is the vault's, not a failed C-MAC).
            assert sw == 0x6982

    @rule(channel=st.sampled_from(VAULT_CHANNELS))
    def get_secret(self, channel: int) -> None:
        host = self.hosts.get(channel)
        level = self.levels[channel]
        raw = bytes((0x80 | (channel if channel < 4 else 0), 0x20, 0, 0, 0))
        if host is None or level is None or not level & 0x01:
            sw = self.sim.transmit(raw if host is None else host.wrap(b"\x80\x20\x00\x00\x00"),
                                   channel if host is None else None).sw
            assert sw == 0x6982
            return
        data, sw = host.transmit(b"\x80\x20\x00\x00\x00")
        if self.secret is None:
            assert sw == 0x6985
        else:
            assert (data, sw) == (self.secret, 0x9000)

    @rule(channel=st.sampled_from(VAULT_CHANNELS), bit=st.integers(0, 7))
    def tamper(self, channel: int, bit: int) -> None:
        host = self.hosts.get(channel)
        level = self.levels[channel]
        if host is None or level is None or not level & 0x01:
            return
        wrapped = bytearray(host.wrap(b"\x80\x10\x00\x00\x04ABCD"))
        wrapped[-2] ^= 1 << bit
        assert self.sim.transmit(bytes(wrapped)).sw == 0x6982
        self.levels[channel] = None

    @invariant()
    def each_channel_keeps_its_own_level(self) -> None:
        for channel in VAULT_CHANNELS:
            response = self.sim.transmit(b"\x80\x30\x00\x00\x00", channel)
            expected = 0 if self.levels[channel] is None else self.levels[channel] | 0x80
            assert response.data == bytes((expected,))


VaultChannelsMachine.TestCase.settings = settings(max_examples=80, stateful_step_count=20,
                                                  deadline=None)
TestVaultChannelsMachine = VaultChannelsMachine.TestCase
