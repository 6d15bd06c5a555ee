"""RAM over HTTPS: a test CA and a server certificate made here with ``cryptography``; the
client verifies the server against the CA file, and refuses servers it cannot verify."""

from __future__ import annotations

import datetime
import ipaddress
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from jcsim.remote import Outcome, ScriptServer, run_session
from tests.remote.helpers import script, seed_card


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: str, key, issuer: str, issuer_key, *, ca: bool,
                 san: list[x509.GeneralName] | None = None) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (x509.CertificateBuilder()
               .subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                          content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, encipher_only=False,
                          decipher_only=False), critical=True)
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    else:
        builder = builder.add_extension(x509.SubjectAlternativeName(san or []), critical=False)
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA."""
    root = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("jcsim test CA", ca_key, "jcsim test CA", ca_key, ca=True)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _certificate("127.0.0.1", server_key, "jcsim test CA", ca_key, ca=False,
                          san=[x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = _certificate("another CA", other_key, "another CA", other_key, ca=True)
    paths = {"ca": root / "ca.pem", "other_ca": root / "other.pem",
             "cert": root / "server.pem", "key": root / "server.key"}
    paths["ca"].write_bytes(_pem(ca))
    paths["other_ca"].write_bytes(_pem(other))
    paths["cert"].write_bytes(_pem(server) + _pem(ca))
    paths["key"].write_bytes(server_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return {name: str(path) for name, path in paths.items()}


def _tls_server(pki, perform):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki["cert"], pki["key"])
    return ScriptServer(perform, ssl_context=context)


@pytest.mark.parametrize("profile", ["openscdp", "gp-amd-b"])
def test_a_session_over_https_verified_against_the_ca_file(pki, profile):
    with _tls_server(pki, script(["00 20 00 81", "00 84 00 00 08"])) as server:
        assert server.url.startswith("https://127.0.0.1:")
        report = run_session(seed_card(), server.url + "/rt", profile=profile, cafile=pki["ca"])
    assert report.outcome is Outcome.COMPLETED
    assert [e.sw for e in report.exchanges] == [0x63C3, 0x9000]


def test_a_server_the_ca_file_does_not_vouch_for_is_refused_before_any_apdu(pki):
    with _tls_server(pki, script(["00 20 00 81"])) as server:
        report = run_session(seed_card(), server.url, cafile=pki["other_ca"], timeout=5)
    assert report.outcome is Outcome.TRANSPORT_ERROR
    assert "certificate verification failed" in report.detail
    assert report.exchanges == () and report.round_trips == 0


def test_the_system_trust_store_does_not_know_the_test_ca(pki):
    with _tls_server(pki, script(["00 20 00 81"])) as server:
        report = run_session(seed_card(), server.url, timeout=5)
    assert report.outcome is Outcome.TRANSPORT_ERROR and report.exchanges == ()


def test_a_plain_http_client_against_the_https_server_fails_cleanly(pki):
    with _tls_server(pki, script(["00 20 00 81"])) as server:
        url = server.url.replace("https://", "http://")
        report = run_session(seed_card(), url, timeout=5)
    assert report.outcome is Outcome.TRANSPORT_ERROR
