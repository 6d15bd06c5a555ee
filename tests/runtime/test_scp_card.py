"""The issuer security domain behind SCP03 / SCP02: every security level on several logical
channels, the refusals GlobalPlatform specifies, key sets, GET DATA, PUT KEY, SET STATUS and
the card life cycle."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.runtime.gp import GPKeys
from tests.runtime.gp_host import DEFAULT_KEY, HostError, Scp02Host, Scp03Host
from tests.runtime.test_card_manager import (
    INSTALLABLE,
    KEEPER,
    PKG,
    command,
    install_data,
    lv,
)

ISD = "A000000151000000"
GET_STATUS_APPS = command(0x80, 0xF2, 0x40, 0x02, b"\x4F\x00")
INSTALL = command(0x80, 0xE6, 0x0C, 0x00, install_data())


def card_on(channel: int) -> Simulator:
    sim = Simulator()
    sim.load_package(f"{PKG}.installable")
    if channel:
        assert sim.open_channel() == 1
        for _ in range(channel - 1):
            sim.open_channel()
    assert sim.select(ISD, channel).sw == 0x9000
    return sim


@pytest.mark.parametrize("channel", [0, 1, 5])
@pytest.mark.parametrize("level", [0x00, 0x01, 0x03, 0x11, 0x13, 0x33])
def test_every_scp03_level_installs_on_every_channel(level: int, channel: int) -> None:
    sim = card_on(channel)
    host = Scp03Host(sim, channel)
    assert host.open(level).sw == 0x9000
    data, sw = host.transmit(INSTALL)
    assert (data, sw) == (b"\x00", 0x9000)
    assert any(a.aid.value == KEEPER for a in sim.applets())
    listing, sw = host.transmit(GET_STATUS_APPS)
    assert sw == 0x9000 and KEEPER in listing


@pytest.mark.parametrize("level", [0x00, 0x01, 0x03])
@pytest.mark.parametrize("channel", [0, 2, 7])
def test_every_scp02_level_installs_on_every_channel(level: int, channel: int) -> None:
    sim = card_on(channel)
    host = Scp02Host(sim, channel)
    assert host.open(level).sw == 0x9000
    assert host.transmit(INSTALL) == (b"\x00", 0x9000)
    assert any(a.aid.value == KEEPER for a in sim.applets())


@pytest.mark.parametrize("size", [16, 24, 32])
def test_aes_192_and_256_key_sets_open_sessions(size: int) -> None:
    key = bytes(range(size))
    sim = Simulator(gp_keys=GPKeys(0x31, key, key, key))
    sim.load_package(f"{PKG}.installable")
    sim.select(ISD)
    assert Scp03Host(sim, 0, key, key, key, kvn=0x31).open(0x33).sw == 0x9000
    assert Scp03Host(sim, 0, kvn=0x30).initialize_update().sw == 0x6A88


def test_privileged_commands_without_a_session_are_6982_and_change_nothing() -> None:
    sim = card_on(0)
    before = sim.snapshot()
    assert sim.transmit(INSTALL).sw == 0x6982
    assert sim.transmit(command(0x80, 0xF0, 0x80, 0x7F)).sw == 0x6982
    assert sim.snapshot() == before
    assert sim.transmit(GET_STATUS_APPS).sw in (0x9000, 0x6A88)


def test_a_wrong_host_cryptogram_is_6300_and_leaves_no_session() -> None:
    sim = card_on(0)
    host = Scp03Host(sim)
    assert host.open(0x01, tamper_cryptogram=True).sw == 0x6300
    assert sim.transmit(host.wrap(INSTALL)).sw == 0x6982
    assert not any(a.aid.value == KEEPER for a in sim.applets())


def test_a_wrong_scp02_host_cryptogram_is_6300() -> None:
    sim = card_on(0)
    assert Scp02Host(sim).open(0x01, tamper_cryptogram=True).sw == 0x6300


def test_an_unknown_key_version_is_6A88() -> None:
    sim = card_on(0)
    assert Scp03Host(sim, kvn=0x44).initialize_update().sw == 0x6A88


def test_a_tampered_command_is_6982_closes_the_session_and_changes_nothing() -> None:
    sim = card_on(0)
    host = Scp03Host(sim)
    host.open(0x01)
    wrapped = bytearray(host.wrap(INSTALL))
    wrapped[8] ^= 0x01
    before = sim.snapshot()
    assert sim.transmit(bytes(wrapped)).sw == 0x6982
    assert sim.snapshot() == before
    # The session is closed: even a correctly wrapped command is refused now.
    assert sim.transmit(host.wrap(INSTALL)).sw == 0x6982
    assert not any(a.aid.value == KEEPER for a in sim.applets())


def test_a_plain_command_in_a_mac_session_is_refused_and_closes_it() -> None:
    sim = card_on(0)
    host = Scp03Host(sim)
    host.open(0x01)
    assert sim.transmit(INSTALL).sw == 0x6982
    assert sim.transmit(host.wrap(INSTALL)).sw == 0x6982


def test_a_reset_or_a_reselection_ends_the_session() -> None:
    sim = card_on(0)
    host = Scp03Host(sim)
    host.open(0x01)
    sim.select(ISD)
    assert sim.transmit(host.wrap(INSTALL)).sw == 0x6982
    host = Scp03Host(sim)
    host.open(0x01)
    sim.reset()
    sim.select(ISD)
    assert sim.transmit(host.wrap(INSTALL)).sw == 0x6982


def test_the_sequence_counter_counts_initialize_updates_and_survives_an_image() -> None:
    sim = card_on(0)
    first = Scp03Host(sim).initialize_update().data
    second = Scp03Host(sim).initialize_update().data
    assert first[29:32] == b"\x00\x00\x01" and second[29:32] == b"\x00\x00\x02"
    assert first[13:21] != second[13:21]
    copy = Simulator.from_snapshot(sim.snapshot())
    copy.select(ISD)
    assert Scp03Host(copy).initialize_update().data[29:32] == b"\x00\x00\x03"


def test_get_data_answers_key_information_cplc_iin_and_cin() -> None:
    sim = card_on(0)
    info = sim.transmit("80 CA 00 E0 00")
    assert info.sw == 0x9000 and info.data[0] == 0xE0
    assert bytes.fromhex("C0 04 01 30 88 10") in info.data
    assert bytes.fromhex("C0 04 03 20 80 10") in info.data
    cplc = sim.transmit("80 CA 9F 7F 00")
    assert cplc.data[:3] == b"\x9F\x7F\x2A" and len(cplc.data) == 45
    assert sim.transmit("00 CA 00 42 00").data[:1] == b"\x42"
    assert sim.transmit("80 CA 00 45 00").data[:1] == b"\x45"
    assert sim.transmit("80 CA 00 01 00").sw == 0x6A88


def test_put_key_replaces_the_key_set_and_answers_the_kcvs() -> None:
    sim = card_on(0)
    host = Scp03Host(sim)
    host.open(0x03)
    new = bytes(range(0x50, 0x60))
    data = b"\x31" + host.put_key_block(new) * 3
    answer, sw = host.transmit(command(0x80, 0xD8, 0x30, 0x81, data))
    assert sw == 0x9000 and answer[0] == 0x31 and len(answer) == 10
    sim.select(ISD)
    assert Scp03Host(sim, kvn=0x30).initialize_update().sw == 0x6A88
    assert Scp03Host(sim, 0, new, new, new, kvn=0x31).open(0x01).sw == 0x9000
    with pytest.raises(HostError):
        Scp03Host(sim, 0, DEFAULT_KEY, DEFAULT_KEY, DEFAULT_KEY, kvn=0x31).open(0x01)


def test_put_key_with_a_wrong_kcv_is_6A80_and_keeps_the_keys() -> None:
    sim = card_on(0)
    host = Scp03Host(sim)
    host.open(0x01)
    block = bytearray(host.put_key_block(bytes(16)))
    block[-1] ^= 0xFF
    _, sw = host.transmit(command(0x80, 0xD8, 0x30, 0x81, b"\x31" + bytes(block) * 3))
    assert sw == 0x6A80
    sim.select(ISD)
    assert Scp03Host(sim).open(0x01).sw == 0x9000


def test_the_card_life_cycle_moves_forward_and_locks() -> None:
    sim = card_on(0)
    host = Scp03Host(sim)
    host.open(0x01)
    isd_status, _ = host.transmit(command(0x80, 0xF2, 0x80, 0x00, b"\x4F\x00"))
    assert isd_status[9] == 0x0F  # SECURED
    assert host.transmit(command(0x80, 0xF0, 0x80, 0x07))[1] == 0x6985  # not backwards
    assert host.transmit(command(0x80, 0xF0, 0x80, 0x7F))[1] == 0x9000  # CARD_LOCKED
    assert host.transmit(command(0x80, 0xF0, 0x80, 0x0F))[1] == 0x9000  # unlocked
    assert host.transmit(command(0x80, 0xF0, 0x80, 0xFF))[1] == 0x9000  # TERMINATED
    sim.reset()
    assert sim.select(ISD).sw == 0x9000
    assert sim.transmit("80 50 30 00 08 0001020304050607 00").sw == 0x6985
    assert sim.transmit("80 CA 9F 7F 00").sw == 0x9000


def test_an_open_card_accepts_plain_management_commands() -> None:
    sim = Simulator(gp_open=True)
    sim.load_package(f"{PKG}.installable")
    sim.select(ISD)
    assert sim.transmit(INSTALL).sw == 0x9000
    assert sim.transmit(command(0x80, 0xE4, 0, 0, b"\x4F" + lv(KEEPER))).sw == 0x9000


def test_a_locked_application_cannot_be_selected_until_unlocked() -> None:
    sim = Simulator(gp_open=True)
    sim.load_package(f"{PKG}.installable")
    sim.select(ISD)
    sim.transmit(INSTALL)
    assert sim.transmit(command(0x80, 0xF0, 0x40, 0x80, KEEPER)).sw == 0x9000
    assert sim.select(KEEPER).sw != 0x9000
    sim.select(ISD)
    assert sim.transmit(command(0x80, 0xF0, 0x40, 0x07, KEEPER)).sw == 0x9000
    assert sim.select(KEEPER).sw == 0x9000


def test_the_package_aid_is_not_an_application_for_set_status() -> None:
    sim = Simulator(gp_open=True)
    sim.select(ISD)
    assert sim.transmit(command(0x80, 0xF0, 0x40, 0x80, INSTALLABLE)).sw == 0x6A88


def test_a_long_get_status_pages_with_63_10_under_r_encryption() -> None:
    sim = card_on(0)
    host = Scp03Host(sim)
    host.open(0x33)
    for index in range(30):
        instance = KEEPER[:-1] + bytes((0x10 + index,))
        assert host.transmit(command(0x80, 0xE6, 0x0C, 0x00,
                                     install_data(instance=instance)))[1] == 0x9000
    listing, sw = host.transmit(command(0x80, 0xF2, 0x40, 0x02, b"\x4F\x00"))
    assert sw == 0x6310
    parts = 1
    while sw == 0x6310:
        more, sw = host.transmit(command(0x80, 0xF2, 0x40, 0x03, b"\x4F\x00"))
        listing += more
        parts += 1
    assert sw == 0x9000 and parts > 2
    assert sum(KEEPER[:-1] + bytes((0x10 + i,)) in listing for i in range(30)) == 30


def test_an_scp03_session_macs_alike_on_every_channel() -> None:
    # The C-MAC covers the class byte with logical channel zero (Amendment D §6.2.4): the same
    # keys and challenges give the same EXTERNAL AUTHENTICATE MAC on channels 0, 2 and 9.
    macs = set()
    for channel in (0, 2, 9):
        sim = card_on(channel)
        host = Scp03Host(sim, channel)
        assert host.open(0x01).sw == 0x9000
        macs.add(host.chaining)
    assert len(macs) == 1


@pytest.mark.parametrize("level", [0x11, 0x13])
def test_an_scp02_key_set_announcing_r_mac_answers_with_r_macs(level: int) -> None:
    from jcsim.gp.client import GPClient

    sets = [GPKeys(0x30, DEFAULT_KEY, DEFAULT_KEY, DEFAULT_KEY),
            GPKeys(0x20, DEFAULT_KEY, DEFAULT_KEY, DEFAULT_KEY, scp=2, i=0x35)]
    sim = Simulator(gp_keys=sets)
    sim.load_package(f"{PKG}.installable")
    client = GPClient(sim)
    client.select(ISD)
    client.open_secure_channel(security_level=level, scp=2)
    # The host client checks every R-MAC, error answers' too.
    assert client.send(INSTALL) == (b"\x00", 0x9000)
    assert client.send(INSTALL)[1] == 0x6985
    data, sw = client.send(GET_STATUS_APPS)
    assert sw == 0x9000 and KEEPER in data


def test_r_mac_is_refused_for_an_scp02_key_set_without_it() -> None:
    sim = card_on(0)
    assert Scp02Host(sim).open(0x11).sw == 0x6A86


@pytest.mark.parametrize("level", [0x01, 0x33])
def test_s16_mode_uses_16_byte_challenges_cryptograms_and_macs(level: int) -> None:
    key = bytes(range(32))
    sim = Simulator(gp_keys=GPKeys(0x30, key, key, key, i=0x71))
    sim.load_package(f"{PKG}.installable")
    sim.select(ISD)
    host = Scp03Host(sim, 0, key, key, key, host_challenge=bytes(range(16)))
    # An 8-byte host challenge is the wrong length for an S16 key set.
    assert Scp03Host(sim, 0, key, key, key).initialize_update().sw == 0x6700
    answer = host.initialize_update()
    assert len(answer.data) == 10 + 3 + 16 + 16 + 3 and answer.data[12] == 0x71
    assert host.open(level).sw == 0x9000
    data, sw = host.transmit(INSTALL)
    assert (data, sw) == (b"\x00", 0x9000)
    wrapped = host.wrap(GET_STATUS_APPS)
    assert len(wrapped) == 5 + (16 if level & 2 else 2) + 16 + 1


def test_delete_key_removes_a_key_set_but_never_the_last() -> None:
    sim = card_on(0)
    host = Scp03Host(sim)
    host.open(0x01)
    assert host.transmit(command(0x80, 0xE4, 0, 0, bytes.fromhex("D20120")))[1] == 0x9000
    assert host.transmit(command(0x80, 0xE4, 0, 0, bytes.fromhex("D20120")))[1] == 0x6A88
    assert host.transmit(command(0x80, 0xE4, 0, 0, bytes.fromhex("D00101")))[1] == 0x6A80
    assert host.transmit(command(0x80, 0xE4, 0, 0, bytes.fromhex("D00101D20130")))[1] == 0x6985
    sim.select(ISD)
    assert Scp02Host(sim).open(0x01).sw == 0x6A88
    assert Scp03Host(sim).open(0x01).sw == 0x9000


def test_the_sequence_counter_is_not_rolled_back_by_an_aborted_transaction() -> None:
    sim = card_on(0)
    isd = sim.applet_instance(ISD)
    sim.card.journal.begin()
    assert isd.next_sequence(0x30, 0xFFFFFF) == 1
    sim.card.abort_transaction()
    assert isd.sequence_counters[0x30] == 1
    assert Scp03Host(sim).initialize_update().data[29:32] == b"\x00\x00\x02"


def test_an_scp02_key_set_with_i_55_derives_its_card_challenge_from_the_aid() -> None:
    from jcsim.gp.client import GPClient
    from jcsim.runtime.gp.scp02 import pseudo_random_challenge

    sim = Simulator(gp_keys=GPKeys(0x20, DEFAULT_KEY, DEFAULT_KEY, DEFAULT_KEY, scp=2, i=0x55))
    sim.select(ISD)
    answers = [Scp02Host(sim).open(0x01) for _ in range(2)]
    assert all(a.sw == 0x9000 for a in answers)
    sim.select(ISD)
    first = sim.transmit("80 50 20 00 08 0001020304050607 00").data
    second = sim.transmit("80 50 20 00 08 0001020304050607 00").data
    assert first[12:14] == b"\x00\x03" and second[12:14] == b"\x00\x04"
    assert first[14:20] == pseudo_random_challenge(DEFAULT_KEY, b"\x00\x03",
                                                   bytes.fromhex(ISD))
    assert first[14:20] != second[14:20]
    client = GPClient(sim)
    client.select_isd()
    client.open_secure_channel(security_level=0x03, scp=2, scp02_i=0x55)
    assert client.send(GET_STATUS_APPS)[1] in (0x9000, 0x6A88)


def test_put_key_takes_whole_key_sets_only() -> None:
    sim = card_on(0)
    host = Scp03Host(sim)
    host.open(0x01)
    block = host.put_key_block(bytes(16))
    assert host.transmit(command(0x80, 0xD8, 0x30, 0x01, b"\x31" + block))[1] == 0x6A80
    assert host.transmit(command(0x80, 0xD8, 0x30, 0x81, b"\x31" + block * 2))[1] == 0x6A80
    assert host.transmit(command(0x80, 0xD8, 0x30, 0x82, b"\x31" + block * 3))[1] == 0x6A86
    assert host.transmit(command(0x80, 0xD8, 0x44, 0x81, b"\x31" + block * 3))[1] == 0x6A88
    # Adding a set under a version already used is refused.
    assert host.transmit(command(0x80, 0xD8, 0x00, 0x81, b"\x20" + block * 3))[1] == 0x6985
    assert host.transmit(command(0x80, 0xD8, 0x00, 0x81, b"\x32" + block * 3))[1] == 0x9000
    info = sim.transmit(host.wrap(b"\x80\xCA\x00\xE0\x00")).data
    assert bytes.fromhex("C0 04 01 32 88 10") in info


@pytest.mark.parametrize("writes", [0, 1])
def test_a_tear_during_put_key_leaves_one_whole_key_set(writes: int) -> None:
    from jcsim.errors import CardTornError

    sim = card_on(0)
    host = Scp03Host(sim)
    host.open(0x01)
    new = bytes(range(0x60, 0x70))
    wrapped = host.wrap(command(0x80, 0xD8, 0x30, 0x81, b"\x30" + host.put_key_block(new) * 3))
    sim.arm_tear(writes)
    with pytest.raises(CardTornError):
        sim.transmit(wrapped)
    sim.power_on()
    sim.select(ISD)
    # Before its one persistent write the old keys stay; after it the new ones are whole.
    keys = DEFAULT_KEY if writes == 0 else new
    assert Scp03Host(sim, 0, keys, keys, keys).open(0x01).sw == 0x9000
