"""The JCRE's engine rules seen from a Java applet compiled by javac
(tests/java/applets/enginerules): a ``Cipher.init`` inside an aborted transaction is undone, a
committed one stays, a tear after an ``init`` keeps it, as for a Python applet
(tests/runtime/test_engine_objects.py). Ciphertexts are checked with ``cryptography``. Skips
where there is no javac."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from jcsim import CardTornError, Simulator
from jcsim.framework import CryptoException
from tests.java.conftest import compile_card_java

APPLET = Path(__file__).parent / "applets" / "enginerules"
AID = "F0 00 00 00 14 E1"
KEY_ONE = bytes(range(16))
KEY_TWO = bytes(0xA0 + i for i in range(16))
BLOCK = bytes.fromhex("00112233445566778899AABBCCDDEEFF")


def aes(key: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(BLOCK) + encryptor.finalize()


@pytest.fixture(scope="module")
def applet_class(tmp_path_factory: pytest.TempPathFactory) -> type:
    from jcsim.java import JavaClasspath

    out = compile_card_java(sorted(APPLET.rglob("*.java")), tmp_path_factory.mktemp("engines"))
    return JavaClasspath([out])["com.example.enginerules.EngineRules"]


@pytest.fixture
def card(applet_class: type) -> Simulator:
    sim = Simulator()
    sim.install(applet_class, AID)
    assert sim.select(AID).sw == 0x9000
    return sim


def init(card: Simulator, key: int, how: int) -> int:
    return card.transmit(bytes([0x80, 0x10 + key - 1, how, 0])).sw


def encrypt(card: Simulator):
    return card.transmit(bytes([0x80, 0x20, 0, 0, 16]) + BLOCK)


def test_an_init_in_an_aborted_transaction_leaves_the_engine_uninitialized(card) -> None:
    assert init(card, 1, how=1) == 0x9000
    assert encrypt(card).sw == 0x6F00 + CryptoException.INVALID_INIT


def test_an_aborted_init_gives_back_the_previous_key_and_a_committed_one_stays(card) -> None:
    assert init(card, 1, how=2) == 0x9000
    assert encrypt(card).data == aes(KEY_ONE)
    assert init(card, 2, how=1) == 0x9000
    assert encrypt(card).data == aes(KEY_ONE)
    assert init(card, 2, how=0) == 0x9000
    assert encrypt(card).data == aes(KEY_TWO)


def test_a_tear_after_an_init_keeps_the_key_and_mode(card) -> None:
    assert init(card, 2, how=2) == 0x9000
    card.arm_tear(after_writes=0)
    with pytest.raises(CardTornError):
        encrypt(card)
    card.power_on()
    assert card.select(AID).sw == 0x9000
    assert encrypt(card).data == aes(KEY_TWO)


def test_the_OneShot_classes_stay_class_members_when_first_imported_by_card_code() -> None:
    # jcsim.crypto may first be imported while a Java applet runs (the linker resolves
    # javacardx.crypto lazily): its nested classes must not become per-card static fields.
    import subprocess
    import sys

    probe = (
        "from jcsim import Simulator\n"
        "from jcsim.framework import Applet\n"
        "class Late(Applet):\n"
        "    def process(self, apdu):\n"
        "        if not self.selectingApplet():\n"
        "            import jcsim.crypto\n"
        "sim = Simulator(); sim.install(Late, 'F000000014E2'); sim.select('F000000014E2')\n"
        "assert 'jcsim.crypto' not in __import__('sys').modules\n"
        "assert sim.transmit('80000000').sw == 0x9000\n"
        "from jcsim.crypto import Cipher\n"
        "from jcsim.security import Signature\n"
        "assert isinstance(Cipher.__dict__['OneShot'], type)\n"
        "assert callable(Cipher.OneShot.open) and callable(Signature.OneShot.open)\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, cwd=Path(__file__).parents[2])
