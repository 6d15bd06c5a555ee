"""Crypto engines as on-card objects (``jcsim.security._engine_state``): owned by the context
that made them and guarded by the firewall, a fixed memory footprint per family, init state
(key and mode) journaled while the intermediate result state never is, and card images that keep
all of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.crypto import AEADCipher, Cipher
from jcsim.errors import CardTornError
from jcsim.framework import ByteArray, JCSystem
from jcsim.runtime.memory import OBJECT_HEADER
from jcsim.security import (
    Checksum,
    KeyBuilder,
    MessageDigest,
    RandomData,
    Signature,
)
from jcsim.security._engine_state import FOOTPRINTS, footprint
from tests.runtime.firewall_packages import alpha, beta
from tests.runtime.firewall_packages.scripted import SW_FIREWALL, run

A = "F0 4A 43 53 41 01 01"
A2 = "F0 4A 43 53 41 02 01"
B = "F0 4A 43 53 42 01 01"

KEY_1 = bytes(range(16))
KEY_2 = bytes(range(16, 32))
BLOCK = bytes(16)


@pytest.fixture(autouse=True)
def clean_stash() -> Any:
    yield
    alpha.stash = beta.stash = None


def make_card(**memory: int) -> Simulator:
    sim = Simulator(**memory)
    sim.install(alpha.Alpha, A)
    sim.install(alpha.AlphaTwin, A2)
    sim.install(beta.Beta, B)
    return sim


def in_applet(sim: Simulator, aid: str, script: Any) -> Any:
    assert sim.select(aid).sw == 0x9000
    return run(sim, aid, script)


def aes_key(data: bytes) -> Any:
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, False)
    key.setKey(ByteArray(data), 0)
    return key


def encrypt(cipher: Any, block: bytes = BLOCK) -> bytes:
    out = ByteArray(16)
    cipher.doFinal(ByteArray(block), 0, 16, out, 0)
    return bytes(out)


def aes_ecb(key: bytes, block: bytes = BLOCK) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher as C, algorithms, modes

    enc = C(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


# --- ownership and the firewall ----------------------------------------------------------------

def beta_makes_a_cipher(applet: Any, apdu: Any) -> None:
    beta.stash = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, False)


def test_an_engine_belongs_to_the_context_that_made_it() -> None:
    sim = make_card()
    in_applet(sim, B, beta_makes_a_cipher)
    owner = beta.stash.__dict__["_jc_owner"]
    assert owner is not None and owner.aid.value == bytes.fromhex(B.replace(" ", ""))


@pytest.mark.parametrize("call", [
    lambda engine: engine.getAlgorithm(),
    lambda engine: engine.init(aes_key(KEY_1), Cipher.MODE_ENCRYPT),
])
def test_another_contexts_call_to_an_engine_raises_SecurityException(call: Any) -> None:
    sim = make_card()
    in_applet(sim, B, beta_makes_a_cipher)
    assert in_applet(sim, A, lambda applet, apdu: call(beta.stash)).sw == SW_FIREWALL
    # Its own context uses it.
    assert in_applet(sim, B, lambda applet, apdu: beta.stash.getAlgorithm()).data == \
        Cipher.ALG_AES_BLOCK_128_ECB_NOPAD.to_bytes(2, "big")


def test_applets_of_the_same_package_share_their_engines() -> None:
    sim = make_card()

    def make(applet: Any, apdu: Any) -> None:
        alpha.stash = MessageDigest.getInstance(MessageDigest.ALG_SHA_256, False)

    in_applet(sim, A, make)
    response = in_applet(sim, A2, lambda applet, apdu: alpha.stash.getLength())
    assert response.sw == 0x9000 and response.data == b"\x00\x20"


def test_an_engine_made_outside_card_code_is_open_to_every_context() -> None:
    sim = make_card()
    beta.stash = Signature.getInstance(Signature.ALG_AES_MAC_128_NOPAD, False)
    assert beta.stash.__dict__.get("_jc_owner") is None
    response = in_applet(sim, A, lambda applet, apdu: beta.stash.getAlgorithm())
    assert response.sw == 0x9000
    assert response.data == Signature.ALG_AES_MAC_128_NOPAD.to_bytes(2, "big")


def test_the_firewall_off_lets_every_context_call_every_engine() -> None:
    sim = Simulator(firewall=False)
    sim.install(alpha.Alpha, A)
    sim.install(beta.Beta, B)
    in_applet(sim, B, beta_makes_a_cipher)
    assert in_applet(sim, A, lambda applet, apdu: beta.stash.getAlgorithm()).sw == 0x9000


# --- memory ------------------------------------------------------------------------------------

ENGINES = {
    "Cipher": lambda: Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, False),
    "AEADCipher": lambda: Cipher.getInstance(AEADCipher.ALG_AES_GCM, False),
    "Signature": lambda: Signature.getInstance(Signature.ALG_HMAC_SHA_256, False),
    "MessageDigest": lambda: MessageDigest.getInstance(MessageDigest.ALG_SHA_256, False),
    "InitializedMessageDigest": lambda: MessageDigest.getInitializedMessageDigestInstance(
        MessageDigest.ALG_SHA_256, False),
    "Checksum": lambda: Checksum.getInstance(Checksum.ALG_ISO3309_CRC16, False),
    "RandomData": lambda: RandomData.getInstance(RandomData.ALG_TRNG),
}
FAMILY = {"InitializedMessageDigest": "MessageDigest"}


@pytest.mark.parametrize("kind", sorted(ENGINES))
def test_getInstance_takes_the_families_footprint_of_persistent_memory(kind: str) -> None:
    sim = make_card(persistent_memory=20000)
    seen: list[int] = []

    def script(applet: Any, apdu: Any) -> None:
        before = JCSystem.getAvailableMemory(JCSystem.MEMORY_TYPE_PERSISTENT)
        engine = ENGINES[kind]()
        seen.append(before - JCSystem.getAvailableMemory(JCSystem.MEMORY_TYPE_PERSISTENT))
        engine.getAlgorithm()  # using it costs nothing more
        seen.append(before - JCSystem.getAvailableMemory(JCSystem.MEMORY_TYPE_PERSISTENT))

    assert in_applet(sim, A, script).sw == 0x9000
    size = OBJECT_HEADER + footprint(*FOOTPRINTS[FAMILY.get(kind, kind)])
    assert seen == [size, size]
    assert size > OBJECT_HEADER


def test_init_and_update_do_not_grow_an_engine() -> None:
    sim = make_card()

    def make(applet: Any, apdu: Any) -> None:
        beta.stash = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, False)

    in_applet(sim, B, make)
    engine = beta.stash
    size = sim.card.memory.table[id(engine)][1]

    def use(applet: Any, apdu: Any) -> None:
        engine.init(aes_key(KEY_1), Cipher.MODE_ENCRYPT)
        engine.update(ByteArray(BLOCK), 0, 16, ByteArray(16), 0)

    assert in_applet(sim, B, use).sw == 0x9000
    assert sim.card.memory.table[id(engine)][1] == size


def test_a_OneShot_costs_its_opener_no_memory() -> None:
    sim = make_card(persistent_memory=20000)
    seen: list[int] = []

    def script(applet: Any, apdu: Any) -> None:
        out, data = ByteArray(32), ByteArray(b"abc")
        before = JCSystem.getAvailableMemory(JCSystem.MEMORY_TYPE_PERSISTENT)
        one_shot = MessageDigest.OneShot.open(MessageDigest.ALG_SHA_256)
        one_shot.doFinal(data, 0, 3, out, 0)
        one_shot.close()
        seen.append(before - JCSystem.getAvailableMemory(JCSystem.MEMORY_TYPE_PERSISTENT))

    assert in_applet(sim, A, script).sw == 0x9000
    assert seen == [0]


# --- transactions and tears --------------------------------------------------------------------

def cipher_with_key_1(applet: Any, apdu: Any) -> None:
    beta.stash = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, False)
    applet.key_1 = aes_key(KEY_1)
    applet.key_2 = aes_key(KEY_2)
    beta.stash.init(applet.key_1, Cipher.MODE_ENCRYPT)
    applet.cipher = beta.stash  # reachable from the applet, so card images keep it


def test_an_init_inside_an_aborted_transaction_is_undone() -> None:
    sim = make_card()
    in_applet(sim, B, cipher_with_key_1)

    def init_and_abort(applet: Any, apdu: Any) -> bytes:
        JCSystem.beginTransaction()
        beta.stash.init(applet.key_2, Cipher.MODE_DECRYPT)
        JCSystem.abortTransaction()
        return encrypt(beta.stash)

    response = in_applet(sim, B, init_and_abort)
    assert response.data == aes_ecb(KEY_1)  # the key and the mode of the last committed init
    assert beta.stash._mode == Cipher.MODE_ENCRYPT


def test_an_init_inside_an_aborted_transaction_on_a_fresh_engine_leaves_it_uninitialized() -> None:
    sim = make_card()

    def script(applet: Any, apdu: Any) -> int:
        beta.stash = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, False)
        applet.key_1 = aes_key(KEY_1)
        JCSystem.beginTransaction()
        beta.stash.init(applet.key_1, Cipher.MODE_ENCRYPT)
        JCSystem.abortTransaction()
        try:
            encrypt(beta.stash)
        except Exception as exc:  # CryptoException.INVALID_INIT
            return exc.getReason()
        return 0

    from jcsim.framework import CryptoException

    assert in_applet(sim, B, script).data == CryptoException.INVALID_INIT.to_bytes(2, "big")


def test_a_committed_init_stays() -> None:
    sim = make_card()
    in_applet(sim, B, cipher_with_key_1)

    def init_and_commit(applet: Any, apdu: Any) -> bytes:
        JCSystem.beginTransaction()
        beta.stash.init(applet.key_2, Cipher.MODE_ENCRYPT)
        JCSystem.commitTransaction()
        return encrypt(beta.stash)

    assert in_applet(sim, B, init_and_commit).data == aes_ecb(KEY_2)


def test_update_state_never_takes_part_in_a_transaction() -> None:
    # CBC chaining state and the partial block: an abort does not bring back the state before
    # the update; neither does it cost commit capacity.
    sim = make_card()

    def script(applet: Any, apdu: Any) -> bytes:
        beta.stash = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, False)
        applet.key_1 = aes_key(KEY_1)
        beta.stash.init(applet.key_1, Cipher.MODE_ENCRYPT)
        JCSystem.beginTransaction()
        unused = JCSystem.getUnusedCommitCapacity()
        out = ByteArray(16)
        beta.stash.update(ByteArray(BLOCK), 0, 16, out, 0)
        assert JCSystem.getUnusedCommitCapacity() == unused
        JCSystem.abortTransaction()
        # The chaining value is the first ciphertext block, not the IV.
        return encrypt(beta.stash)

    first = aes_ecb(KEY_1)
    assert in_applet(sim, B, script).data == aes_ecb(KEY_1, first)


def test_a_digest_in_progress_survives_an_abort() -> None:
    sim = make_card()

    def script(applet: Any, apdu: Any) -> bytes:
        digest = MessageDigest.getInstance(MessageDigest.ALG_SHA_256, False)
        JCSystem.beginTransaction()
        digest.update(ByteArray(b"ab"), 0, 2)
        JCSystem.abortTransaction()
        out = ByteArray(32)
        digest.doFinal(ByteArray(b"c"), 0, 1, out, 0)
        return bytes(out)

    import hashlib

    assert in_applet(sim, B, script).data == hashlib.sha256(b"abc").digest()


def test_a_tear_during_an_init_in_a_transaction_brings_back_the_previous_init() -> None:
    sim = make_card()
    in_applet(sim, B, cipher_with_key_1)

    def init_in_transaction(applet: Any, apdu: Any) -> None:
        JCSystem.beginTransaction()
        beta.stash.init(applet.key_2, Cipher.MODE_DECRYPT)
        JCSystem.commitTransaction()

    assert sim.select(B).sw == 0x9000
    sim.arm_tear(after_writes=2)  # after both the key and the mode are written
    with pytest.raises(CardTornError):
        run(sim, B, init_in_transaction)
    sim.power_on()
    assert in_applet(sim, B, lambda applet, apdu: encrypt(beta.stash)).data == aes_ecb(KEY_1)


def test_a_tear_after_an_init_keeps_key_and_mode_and_resets_the_working_state() -> None:
    sim = make_card()

    def script(applet: Any, apdu: Any) -> None:
        beta.stash = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, False)
        applet.key_1 = aes_key(KEY_1)
        beta.stash.init(applet.key_1, Cipher.MODE_ENCRYPT, ByteArray(bytes(range(16))), 0, 16)
        beta.stash.update(ByteArray(BLOCK), 0, 16, ByteArray(16), 0)

    in_applet(sim, B, script)
    sim.arm_tear(after_writes=1)
    with pytest.raises(CardTornError):
        run(sim, B, lambda applet, apdu: setattr(applet, "touched", 1))
    sim.power_on()
    # The key and mode of the last init; the IV back to its init(theKey, theMode) default (zeros).
    assert in_applet(sim, B, lambda applet, apdu: encrypt(beta.stash)).data == aes_ecb(KEY_1)


# --- card images -------------------------------------------------------------------------------

def test_an_image_keeps_an_engines_owner_size_and_init_state(tmp_path: Path) -> None:
    sim = make_card()
    in_applet(sim, B, cipher_with_key_1)
    sim.save(tmp_path / "card.jcimg")
    loaded = Simulator.load(tmp_path / "card.jcimg")
    # beta.stash is not a declared static: find the loaded applet's engine.
    engines = [obj for obj in loaded.card.memory.tracked() if isinstance(obj, Cipher)]
    assert len(engines) == 1
    engine = engines[0]
    size = OBJECT_HEADER + footprint(*FOOTPRINTS["Cipher"])
    assert loaded.card.memory.table[id(engine)][1] == size
    assert engine.__dict__["_jc_owner"].aid.value == bytes.fromhex(B.replace(" ", ""))
    beta.stash = engine
    assert in_applet(loaded, B, lambda applet, apdu: encrypt(beta.stash)).data == aes_ecb(KEY_1)
    assert in_applet(loaded, A, lambda applet, apdu: beta.stash.getAlgorithm()).sw == SW_FIREWALL

    # Its init state is journaled on the loaded card too.
    def init_and_abort(applet: Any, apdu: Any) -> bytes:
        JCSystem.beginTransaction()
        beta.stash.init(applet.key_2, Cipher.MODE_ENCRYPT)
        JCSystem.abortTransaction()
        return encrypt(beta.stash)

    assert in_applet(loaded, B, init_and_abort).data == aes_ecb(KEY_1)



def _engine_entries(body: dict) -> list[dict]:
    return [entry for entry in body["objects"].values() if "state" in entry and "owner" in entry]


def test_an_image_whose_engine_names_no_applet_as_owner_is_refused(tmp_path: Path) -> None:
    from jcsim.runtime.image import ImageError
    from tests.runtime.test_image import resign

    sim = make_card()
    in_applet(sim, B, cipher_with_key_1)
    path = tmp_path / "card.jcimg"
    sim.save(path)

    def bad_owner(body: dict) -> None:
        entries = _engine_entries(body)
        assert len(entries) == 1
        entries[0]["owner"] = 999

    resign(path, bad_owner)
    with pytest.raises(ImageError, match="owner"):
        Simulator.load(path)


def test_an_image_from_before_engines_had_owners_loads_them_open_to_all(tmp_path: Path) -> None:
    from tests.runtime.test_image import resign

    sim = make_card()
    in_applet(sim, B, cipher_with_key_1)
    path = tmp_path / "card.jcimg"
    sim.save(path)
    resign(path, lambda body: _engine_entries(body)[0].pop("owner"))
    loaded = Simulator.load(path)
    engine, = [obj for obj in loaded.card.memory.tracked() if isinstance(obj, Cipher)]
    assert engine.__dict__["_jc_owner"] is None
    beta.stash = engine
    assert in_applet(loaded, A, lambda applet, apdu: beta.stash.getAlgorithm()).sw == 0x9000
    # Its key is still Beta's: Beta encrypts with it, Alpha may not reach the key.
    assert in_applet(loaded, B, lambda applet, apdu: encrypt(beta.stash)).data == aes_ecb(KEY_1)
    assert in_applet(loaded, A, lambda applet, apdu: encrypt(beta.stash)).sw == SW_FIREWALL


def test_a_signature_init_inside_an_aborted_transaction_is_undone() -> None:
    import hmac

    sim = make_card()

    def script(applet: Any, apdu: Any) -> bytes:
        signature = Signature.getInstance(Signature.ALG_HMAC_SHA_256, False)
        applet.keys = [KeyBuilder.buildKey(KeyBuilder.TYPE_HMAC, 256, False) for _ in range(2)]
        applet.keys[0].setKey(ByteArray(KEY_1), 0, 16)
        applet.keys[1].setKey(ByteArray(KEY_2), 0, 16)
        signature.init(applet.keys[0], Signature.MODE_SIGN)
        JCSystem.beginTransaction()
        signature.init(applet.keys[1], Signature.MODE_VERIFY)
        JCSystem.abortTransaction()
        out = ByteArray(32)
        signature.sign(ByteArray(b"abc"), 0, 3, out, 0)
        return bytes(out)

    assert in_applet(sim, B, script).data == hmac.new(KEY_1, b"abc", "sha256").digest()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0, 1]), st.sampled_from(["commit", "abort", "none"])),
                min_size=1, max_size=6))
def test_the_key_an_engine_encrypts_with_is_that_of_the_last_init_not_aborted(
        steps: list[tuple[int, str]]) -> None:
    sim = make_card()
    in_applet(sim, B, cipher_with_key_1)
    expected = KEY_1
    for index, ending in steps:
        def step(applet: Any, apdu: Any) -> None:
            key = applet.key_1 if index == 0 else applet.key_2
            if ending != "none":
                JCSystem.beginTransaction()
            beta.stash.init(key, Cipher.MODE_ENCRYPT)
            if ending == "commit":
                JCSystem.commitTransaction()
            elif ending == "abort":
                JCSystem.abortTransaction()

        assert run(sim, B, step).sw == 0x9000
        if ending != "abort":
            expected = KEY_1 if index == 0 else KEY_2
        assert run(sim, B, lambda applet, apdu: encrypt(beta.stash)).data == aes_ecb(expected)


def test_an_engine_class_made_while_card_code_runs_is_guarded_and_writes_no_static() -> None:
    # Modules of the crypto API may be imported lazily, inside an applet's process().
    sim = make_card()
    made: list[Any] = []

    def script(applet: Any, apdu: Any) -> int:
        cls = type("Sha256Twin", (MessageDigest,), {"getLength": lambda self: 32})
        made.append(cls)
        beta.stash = MessageDigest.getInstance(MessageDigest.ALG_SHA_256, False)
        return 1

    assert in_applet(sim, B, script).sw == 0x9000
    assert made[0].getLength.__wrapped__(None) == 32  # the public method got the guard
    assert sim.card.statics.blocks() == [] or all(
        "MessageDigest" not in block._jc_class for block in sim.card.statics.blocks())


def test_an_engine_made_in_an_aborted_transaction_is_dead_and_its_memory_comes_back() -> None:
    sim = make_card(persistent_memory=20000)
    seen: list[Any] = []

    def script(applet: Any, apdu: Any) -> None:
        before = JCSystem.getAvailableMemory(JCSystem.MEMORY_TYPE_PERSISTENT)
        JCSystem.beginTransaction()
        engine = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, False)
        seen.append(before - JCSystem.getAvailableMemory(JCSystem.MEMORY_TYPE_PERSISTENT))
        JCSystem.abortTransaction()
        seen.append(before - JCSystem.getAvailableMemory(JCSystem.MEMORY_TYPE_PERSISTENT))
        try:
            engine.getAlgorithm()
        except Exception as exc:
            seen.append(type(exc).__name__)

    assert in_applet(sim, A, script).sw == 0x9000
    assert seen == [OBJECT_HEADER + footprint(*FOOTPRINTS["Cipher"]), 0, "NullPointerException"]
