"""The whole card, command by command, against published card transcripts: a Simulator given
the published keys, key diversification data and sequence counter answers INITIALIZE UPDATE
byte for byte as the published card did, takes the published EXTERNAL AUTHENTICATE, and
unwraps the published commands. Sources: kaoh/globalplatform (SCP03 level 03, SCP02 i = 15 at
levels 01 and 03) and suma12/asterix (SCP03 derivations), as named in the vector files."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jcsim import Simulator
from jcsim.runtime.gp import GPKeys
from jcsim.runtime.gp.primitives import aes_cbc_decrypt, unpad80
from jcsim.runtime.gp.scp03 import Scp03Session, pseudo_random_challenge
from jcsim.security import entropy
from tests.vectors.loader import load

ISD = "A000000151000000"
SCP03 = load("gp_host_scp03_level03")
SCP02 = load("gp_host_scp02_cdec")
ASTERIX = load("gp_host_scp03_kdf")


class Replay:
    """An entropy source that gives the card the published random card challenge."""

    deterministic = True

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, n: int) -> bytes:
        assert n == len(self.data)
        return self.data


@pytest.fixture
def restore_entropy() -> Iterator[None]:
    previous = entropy.use(entropy.SystemEntropy())
    yield
    entropy.use(previous)


def card_with(keys: GPKeys, answer: bytes, sequence_width: int) -> Simulator:
    sim = Simulator(gp_keys=keys)
    isd = sim.applet_instance(ISD)
    isd.diversification_data = answer[:10]
    sequence = answer[12:14] if sequence_width == 2 else answer[29:32]
    isd.sequence_counters = {keys.kvn: int.from_bytes(sequence, "big") - 1}
    assert sim.select(ISD).sw == 0x9000
    return sim


@pytest.mark.parametrize("index", range(len(SCP03["sessions"])))
def test_the_card_replays_a_published_scp03_level_03_session(index: int) -> None:
    case = SCP03["sessions"][index]
    keys = {k: bytes.fromhex(v) for k, v in SCP03["keys"].items()}
    answer = bytes.fromhex(case["answer"])
    sim = card_with(GPKeys(0x30, keys["enc"], keys["mac"], keys["dek"]), answer, 3)
    host_challenge = bytes.fromhex(case["host_challenge"])
    response = sim.transmit(b"\x80\x50\x00\x00\x08" + host_challenge + b"\x00")
    assert (response.data, response.sw) == (answer, 0x9000)
    assert sim.transmit(bytes.fromhex(case["external_authenticate"])).sw == 0x9000
    # The published command reaches the card manager intact (an unknown AID to delete: 6A88;
    # an empty registry part: 6A88 too); a wrong MAC would be 6982.
    assert sim.transmit(bytes.fromhex(case["command"])).sw in (0x9000, 0x6A88)
    # Replayed, the same command no longer verifies: the MAC chain has moved on.
    assert sim.transmit(bytes.fromhex(case["command"])).sw == 0x6982


@pytest.mark.parametrize("index", range(len(SCP02["sessions"])))
def test_the_card_replays_a_published_scp02_session(index: int, restore_entropy: None) -> None:
    case = SCP02["sessions"][index]
    key = bytes.fromhex(SCP02["key"])
    answer = bytes.fromhex(case["answer"])
    kvn = answer[10]
    sim = card_with(GPKeys(kvn, key, key, key, scp=2, i=int(SCP02["i"], 16)), answer, 2)
    entropy.use(Replay(answer[14:20]))
    response = sim.transmit(bytes.fromhex(case["initialize_update"]))
    assert (response.data, response.sw) == (answer, 0x9000)
    assert sim.transmit(bytes.fromhex(case["external_authenticate"])).sw == 0x9000
    isd_record = sim.card.registry.find(bytes.fromhex(ISD))
    session = sim.card.interfaces["contact"].channels[0].secure_session
    assert session.owner is isd_record and session.level == 0x80 | int(
        case["security_level"], 16)
    for wrapped, plain in zip(case["commands"], case["plain_commands"]):
        # The card's own unwrapping of the published command gives the published plain one.
        before = session.last_mac
        assert session.unwrap(bytes.fromhex(wrapped)).hex().upper() == plain.upper()
        assert session.last_mac != before


def test_the_asterix_derivations_hold_on_the_card_side() -> None:
    keys = {k: bytes.fromhex(v) for k, v in ASTERIX["keys"].items() if k != "version"}
    sequence = bytes.fromhex(ASTERIX["sequence_counter"])
    aid = bytes.fromhex(ASTERIX["sd_aid"])
    challenge = pseudo_random_challenge(keys["enc"], sequence, aid)
    assert challenge.hex().upper() == ASTERIX["card_challenge"]
    session = Scp03Session(keys["enc"], keys["mac"], keys["dek"], 0x30)
    answer = session.initialize_update(bytes.fromhex(ASTERIX["host_challenge"]), challenge,
                                       sequence, bytes.fromhex(ASTERIX["answer"])[:10])
    assert answer.hex().upper() == ASTERIX["answer"]
    assert (session.s_enc.hex().upper(), session.s_mac.hex().upper(),
            session.s_rmac.hex().upper()) == (ASTERIX["s_enc"], ASTERIX["s_mac"],
                                              ASTERIX["s_rmac"])
    session.external_authenticate(bytes.fromhex(ASTERIX["external_authenticate_level01"]))
    assert session.chaining.hex().upper() == ASTERIX["chaining_after_external_authenticate"]
    # The level 03 encryption of the INSTALL data: the first command's counter (1).
    session.counter = 1
    plain = unpad80(aes_cbc_decrypt(session.s_enc, session.command_icv(),
                                    bytes.fromhex(ASTERIX["install_encrypted_data_level03"])))
    install = bytes.fromhex(ASTERIX["install_plain"])
    assert plain == install[5:5 + install[4]]
