"""A Java applet building two EC keys on one set of P-256 domain parameters with
``KeyBuilder.buildKeyWithSharedDomain`` (tests/java/applets/shareddomain), compiled by
`jcsim javac` with the real javac and run on jcsim. Its signatures are checked with
``cryptography``, and ``cryptography``'s signatures verify on the card. Skips where there is no
javac."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.security import ec_curves
from tests.java.conftest import compile_card_java

APPLET = Path(__file__).parent / "applets" / "shareddomain"
AID = "F0 00 00 00 14 5D"
N = ec_curves.P256.r


@pytest.fixture(scope="module")
def applet_class(tmp_path_factory: pytest.TempPathFactory) -> type:
    from jcsim.java import JavaClasspath

    out = compile_card_java(sorted(APPLET.rglob("*.java")), tmp_path_factory.mktemp("shared"))
    return JavaClasspath([out])["com.example.shareddomain.SharedDomain"]


@pytest.fixture
def card(applet_class: type) -> Simulator:
    sim = Simulator()
    sim.install(applet_class, AID)
    assert sim.select(AID).sw == 0x9000
    return sim


def command(ins: int, data: bytes = b"") -> bytes:
    return bytes([0x80, ins, 0, 0, len(data)]) + data if data else bytes([0x80, ins, 0, 0])


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(d=st.integers(1, N - 1), message=st.binary(max_size=100))
def test_the_card_signs_with_a_key_on_the_shared_domain(card, d, message):
    answer = card.transmit(command(0x10, d.to_bytes(32, "big") + message))
    assert answer.sw == 0x9000
    ec.derive_private_key(d, ec.SECP256R1()).public_key().verify(
        answer.data, message, ec.ECDSA(hashes.SHA256()))


def test_the_card_verifies_with_a_public_key_on_the_shared_domain(card):
    private = ec.derive_private_key(0x1234567, ec.SECP256R1())
    w = private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    good = private.sign(b"shared", ec.ECDSA(hashes.SHA256()))
    bad = private.sign(b"other", ec.ECDSA(hashes.SHA256()))
    for signature, expected in ((good, b"\x01"), (bad, b"\x00")):
        answer = card.transmit(command(0x11, w + signature))
        assert (answer.sw, answer.data) == (0x9000, expected)


def test_the_public_key_reads_the_curve_from_the_shared_parameters(card):
    answer = card.transmit(command(0x12))
    assert (answer.sw, answer.data) == (0x9000, ec_curves.P256.A)
