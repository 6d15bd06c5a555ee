"""The host client against jcsim's own card manager, in this process: every security level of
both protocols on several logical channels, and list / install / delete / put key / set status /
get data through the secure channel. The card's SCP02 and SCP03 are written separately from the
host's, so each exchange here cross-checks the two."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.gp import (
    AuthenticationError,
    GPClient,
    GPCommandError,
    KeySet,
    SCP02Session,
    SCP03Session,
    SessionState,
)

PKG = "tests.runtime.firewall_packages.installable"
INSTALLABLE = bytes.fromhex("F04A435349")
KEEPER_CLASS = bytes.fromhex("F04A4353494B")
KEEPER = bytes.fromhex("F04A4353494B01")
ISD = bytes.fromhex("A000000151000000")

SCP03_LEVELS = [0x00, 0x01, 0x03, 0x11, 0x13, 0x33]
SCP02_LEVELS = [0x00, 0x01, 0x03]  # the card's SCP02 (i = 15) has no R-MAC


@pytest.fixture
def card(protocol: str) -> Simulator:
    """A card speaking T=0 or T=1 (61xx and GET RESPONSE under secure messaging, or not)."""
    sim = Simulator(protocol)
    sim.load_package(PKG)
    return sim


def client(sim: Simulator, channel: int = 0) -> GPClient:
    if channel:
        assert sim.open_channel() >= 1
        channel = max(sim.open_channels())
    gp = GPClient(sim, channel=channel)
    gp.select_isd()
    return gp


def aids(entries) -> set[tuple[str, bytes]]:
    return {(e.kind, e.aid) for e in entries}


@pytest.mark.parametrize(("scp", "level", "channel"),
                         [(3, lv, 0) for lv in SCP03_LEVELS]
                         + [(3, lv, 1) for lv in SCP03_LEVELS]
                         + [(2, lv, ch) for lv in SCP02_LEVELS for ch in (0, 1)])
def test_every_level_lists_installs_and_deletes(card, scp, level, channel):
    gp = client(card, channel)
    session = gp.open_secure_channel(security_level=level, scp=scp)
    assert isinstance(session, SCP03Session if scp == 3 else SCP02Session)
    assert session.state is SessionState.OPEN and session.security_level == level
    gp.install(INSTALLABLE, KEEPER_CLASS, KEEPER, parameters=b"\x11\x22")
    listed = gp.list()
    assert ("ISD", ISD) in aids(listed) and ("APP", KEEPER) in aids(listed)
    assert next(e for e in listed if e.aid == KEEPER).state == "SELECTABLE"
    assert [a.aid.value for a in card.applets()].count(KEEPER) == 1
    gp.delete(KEEPER)
    assert KEEPER not in [a.aid.value for a in card.applets()]
    with pytest.raises(GPCommandError) as refused:
        gp.delete(KEEPER)
    assert refused.value.sw == 0x6A88
    assert session.is_open  # a refused command does not end the session


def test_a_further_logical_channel_speaks_scp02_with_c_decryption(card):
    for _ in range(4):
        card.open_channel()
    channel = max(card.open_channels())
    assert channel >= 4
    gp = GPClient(card, channel=channel)
    gp.select_isd()
    gp.open_secure_channel(security_level=0x03, scp=2)
    gp.install(INSTALLABLE, KEEPER_CLASS, KEEPER)
    assert ("APP", KEEPER) in aids(gp.list())


def test_a_further_logical_channel_speaks_scp03_with_r_encryption(card):
    for _ in range(4):
        card.open_channel()
    channel = max(card.open_channels())
    assert channel >= 4
    gp = GPClient(card, channel=channel)
    gp.select_isd()
    gp.open_secure_channel(security_level=0x33, scp=3)
    assert ("ISD", ISD) in aids(gp.list())


def test_the_protocol_is_read_from_the_card_when_not_asked(card):
    gp = client(card)
    session = gp.open_secure_channel()
    assert session.protocol in ("SCP02", "SCP03")
    assert gp.list()


def test_privileged_commands_need_the_secure_channel(card):
    gp = client(card)
    with pytest.raises(GPCommandError) as refused:
        gp.install(INSTALLABLE, KEEPER_CLASS, KEEPER)
    assert refused.value.sw == 0x6982
    assert KEEPER not in [a.aid.value for a in card.applets()]


def test_wrong_keys_fail_authentication_and_change_nothing(card):
    gp = client(card)
    with pytest.raises(AuthenticationError):
        gp.open_secure_channel(KeySet.single(bytes(16)), scp=3)
    assert gp.session is None
    with pytest.raises(GPCommandError):
        gp.install(INSTALLABLE, KEEPER_CLASS, KEEPER)
    assert KEEPER not in [a.aid.value for a in card.applets()]


def test_an_unknown_key_version_is_refused(card):
    gp = client(card)
    with pytest.raises(AuthenticationError) as refused:
        gp.open_secure_channel(scp=3, key_version=0x3F)
    assert refused.value.sw == 0x6A88


def test_install_without_make_selectable_then_make_selectable(card):
    gp = client(card)
    gp.open_secure_channel(security_level=0x03, scp=3)
    gp.install(INSTALLABLE, KEEPER_CLASS, KEEPER, make_selectable=False)
    assert next(e for e in gp.list() if e.aid == KEEPER).state == "INSTALLED"
    assert card.select(KEEPER).sw != 0x9000
    gp.select_isd()
    gp.open_secure_channel(security_level=0x03, scp=3)
    gp.make_selectable(KEEPER)
    assert next(e for e in gp.list() if e.aid == KEEPER).state == "SELECTABLE"


@pytest.mark.parametrize(("scp", "size", "level"), [(3, 16, 0x33), (3, 24, 0x13), (3, 32, 0x01),
                                                    (2, 16, 0x03)])
def test_put_key_adds_a_key_set_that_then_opens_a_channel(card, scp, size, level):
    gp = client(card)
    gp.open_secure_channel(security_level=level, scp=scp)
    version = 0x31 if scp == 3 else 0x21
    new = KeySet(bytes(range(1, size + 1)), bytes(range(2, size + 2)), bytes(range(3, size + 3)),
                 version)
    gp.put_key(new)
    listed = {(k.key_id, k.version) for k in gp.key_information()}
    assert {(1, version), (2, version), (3, version)} <= listed
    gp.select_isd()
    session = gp.open_secure_channel(new, security_level=level, scp=scp)
    assert session.answer.key_version == version
    assert gp.list()


def test_replacing_the_key_set_locks_out_the_old_keys(card):
    gp = client(card)
    gp.open_secure_channel(security_level=0x13, scp=3)
    new = KeySet.single("00112233445566778899AABBCCDDEEFF", 0x30)
    gp.put_key(new, replace_version=0x30)
    gp.select_isd()
    with pytest.raises(AuthenticationError):
        gp.open_secure_channel(scp=3)
    gp.select_isd()
    gp.open_secure_channel(new, scp=3)
    gp.put_key(KeySet.default(0x30), replace_version=0x30)
    gp.select_isd()
    assert gp.open_secure_channel(scp=3).is_open


def test_card_lock_and_unlock_and_application_locks(card):
    gp = client(card)
    gp.open_secure_channel(scp=3)
    gp.install(INSTALLABLE, KEEPER_CLASS, KEEPER)
    gp.lock_application(KEEPER)
    assert next(e for e in gp.list() if e.aid == KEEPER).state == "LOCKED"
    assert card.select(KEEPER).sw != 0x9000
    gp.unlock_application(KEEPER)
    assert next(e for e in gp.list() if e.aid == KEEPER).state == "SELECTABLE"
    gp.lock_card()
    assert gp.get_status(0x80)[0].state == "CARD_LOCKED"
    gp.unlock_card()
    assert gp.get_status(0x80)[0].state == "SECURED"


def test_get_data_reads_cplc_key_information_iin_and_cin(card):
    gp = client(card)
    gp.open_secure_channel(security_level=0x33, scp=3)
    cplc = gp.cplc()
    assert len(cplc["ICSerialNumber"]) == 4
    keys = gp.key_information()
    assert {(k.key_id, k.version) for k in keys} >= {(1, 0x30), (2, 0x30), (3, 0x30),
                                                   (1, 0x20), (2, 0x20), (3, 0x20)}
    assert all(component[0] in (0x80, 0x88) for k in keys for component in k.components)
    assert gp.iin() and gp.cin()


def test_get_status_follows_63_10_for_long_answers(card):
    gp = client(card)
    gp.open_secure_channel(security_level=0x11, scp=3)
    instances = [KEEPER[:-1] + bytes((n,)) for n in range(1, 31)]
    for aid in instances:
        gp.install(INSTALLABLE, KEEPER_CLASS, aid)
    for tlv in (True, False):
        listed = [e.aid for e in gp.get_status(0x40, tlv=tlv)]
        assert listed == instances


@pytest.mark.parametrize(("scp", "level"), [(3, 0x01), (3, 0x33), (2, 0x01), (2, 0x03)])
def test_a_tampered_command_is_refused_and_ends_the_session(card, scp, level):
    gp = client(card)
    gp.open_secure_channel(security_level=level, scp=scp)
    gp.install(INSTALLABLE, KEEPER_CLASS, KEEPER)
    wire = bytearray(gp.session.wrap(b"\x80\xE4\x00\x00\x09\x4F\x07" + KEEPER + b"\x00"))
    wire[7] ^= 0x01
    assert card.transmit(bytes(wire)).sw == 0x6982
    assert KEEPER in [a.aid.value for a in card.applets()]
    # The card closed its session: the host's next command is refused too, and ends ours.
    with pytest.raises(GPCommandError) as refused:
        gp.delete(KEEPER)
    assert refused.value.sw == 0x6982 and not gp.session.is_open
    assert KEEPER in [a.aid.value for a in card.applets()]


class EndlessCard:
    """A hostile card: everything selects, GET STATUS always has more."""

    def __init__(self) -> None:
        self.commands = 0

    def transmit(self, command: bytes) -> bytes:
        self.commands += 1
        if command[1] == 0xF2:
            return bytes.fromhex("E3 0C 4F 05 F0 00 00 00 01 9F 70 01 07 C5 00 63 10")
        return b"\x90\x00"


def test_a_card_that_always_has_more_status_does_not_hold_the_host():
    card = EndlessCard()
    gp = GPClient(card)
    with pytest.raises(GPCommandError, match="still had more"):
        gp.get_status(0x40)
    assert card.commands == 256


def test_an_answer_without_a_status_word_is_an_error():
    class Mute:
        def transmit(self, command: bytes) -> bytes:
            return b"\x90"

    with pytest.raises(GPCommandError, match="without a status word"):
        GPClient(Mute()).select_isd()


class ScriptedCard:
    """Answers SELECT with 9000 and INITIALIZE UPDATE with whatever it was given."""

    def __init__(self, answer: bytes) -> None:
        self.answer = answer
        self.commands: list[bytes] = []

    def transmit(self, command: bytes) -> bytes:
        self.commands.append(command)
        return self.answer if command[1] == 0x50 else b"\x90\x00"


@given(answer=st.binary(max_size=40))
@settings(max_examples=200)
def test_any_initialize_update_answer_either_authenticates_or_raises_authentication_error(answer):
    card = ScriptedCard(answer + b"\x90\x00")
    gp = GPClient(card)
    gp.select_isd()
    with pytest.raises(AuthenticationError):
        gp.open_secure_channel()
    assert gp.session is None
    # Nothing past INITIALIZE UPDATE went to the card: no EXTERNAL AUTHENTICATE for a card that
    # did not prove it holds the keys.
    assert [c[1] for c in card.commands] == [0xA4, 0x50]


@pytest.mark.parametrize("level", SCP03_LEVELS)
@pytest.mark.parametrize("size", [16, 32])
def test_scp03_s16_sessions_at_every_level(protocol, level, size):
    from jcsim.runtime.gp.keys import GPKeys

    key = bytes(range(size))
    sim = Simulator(protocol, gp_keys=[GPKeys(0x31, key, key, key, i=0x71)])
    sim.load_package(PKG)
    gp = GPClient(sim)
    gp.select_isd()
    session = gp.open_secure_channel(KeySet.single(key, 0x31), level, s16=True)
    assert session.mac_length == 16 and len(session.answer.card_challenge) == 16
    gp.install(INSTALLABLE, KEEPER_CLASS, KEEPER)
    assert ("APP", KEEPER) in aids(gp.list())
    gp.put_key(KeySet.single(bytes(range(1, size + 1)), 0x32))
    gp.delete(KEEPER)
    assert KEEPER not in [a.aid.value for a in sim.applets()]


def test_an_s8_host_challenge_to_an_s16_card_is_refused_before_authenticating(card):
    from jcsim.runtime.gp.keys import GPKeys

    sim = Simulator(gp_keys=[GPKeys(0x31, bytes(16), bytes(16), bytes(16), i=0x71)])
    gp = GPClient(sim)
    gp.select_isd()
    with pytest.raises(AuthenticationError):
        gp.open_secure_channel(KeySet.single(bytes(16), 0x31))
    assert gp.session is None


@pytest.mark.parametrize("i", [0x35, 0x75])
@pytest.mark.parametrize("level", [0x11, 0x13])
def test_scp02_r_mac_with_a_key_set_whose_i_announces_it(protocol, i, level):
    from jcsim.runtime.gp.keys import GPKeys

    key = bytes(range(16))
    sim = Simulator(protocol, gp_keys=[GPKeys(0x21, key, key, key, scp=2, i=i)])
    sim.load_package(PKG)
    gp = GPClient(sim)
    gp.select_isd()
    session = gp.open_secure_channel(KeySet.single(key, 0x21), level, scp=2, scp02_i=i)
    gp.install(INSTALLABLE, KEEPER_CLASS, KEEPER)
    assert ("APP", KEEPER) in aids(gp.list())
    # An error answer carries its R-MAC too, and the R-MAC chain goes on after it.
    with pytest.raises(GPCommandError) as refused:
        gp.delete("F0F0F0F0F0")
    assert refused.value.sw == 0x6A88 and session.is_open
    gp.delete(KEEPER)
    assert KEEPER not in [a.aid.value for a in sim.applets()]
