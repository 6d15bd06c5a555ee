"""GlobalPlatform through pcscd: the host client over a pyscard connection to a card served by
vpcd, and ``jcsim gp --reader`` against ``jcsim serve``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jcsim import Simulator
from jcsim.gp import GPClient, KeySet, PCSCTransport
from tests.integration.conftest import CONTACT_READER, REPO

pytestmark = pytest.mark.pcsc

PKG = "tests.runtime.firewall_packages.installable"
INSTALLABLE = bytes.fromhex("F04A435349")
KEEPER_CLASS = bytes.fromhex("F04A4353494B")
KEEPER = bytes.fromhex("F04A4353494B01")


@pytest.mark.parametrize(("scp", "level"), [(3, 0x00), (3, 0x01), (3, 0x03), (3, 0x11),
                                            (3, 0x13), (3, 0x33), (2, 0x01), (2, 0x03)])
@pytest.mark.parametrize("protocol", ["T=1", "T=0"])
def test_every_level_manages_the_card_through_pcscd(serve_card, connect, scp, level, protocol):
    sim = Simulator(protocol)
    sim.load_package(PKG)
    serve_card(sim)
    gp = GPClient(PCSCTransport(connection=connect()))
    gp.select_isd()
    gp.open_secure_channel(security_level=level, scp=scp)
    gp.install(INSTALLABLE, KEEPER_CLASS, KEEPER)
    assert KEEPER in [e.aid for e in gp.list()]
    assert KEEPER in [a.aid.value for a in sim.applets()]
    gp.put_key(KeySet.single(bytes(range(16)), 0x31 if scp == 3 else 0x21))
    gp.delete(KEEPER)
    assert KEEPER not in [a.aid.value for a in sim.applets()]


def test_jcsim_gp_lists_a_card_served_by_jcsim_serve(card_process, tmp_path):
    card_process(["--image", str(tmp_path / "card.img")]).start()
    result = subprocess.run(
        [sys.executable, "-m", "jcsim", "gp", "--reader", CONTACT_READER, "--sl", "33", "--list",
         "--info"], cwd=REPO, capture_output=True, text=True, timeout=60,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
    out = " ".join(result.stdout.split())
    assert "SCP03 with key version 30, security level 33" in out
    assert "ISD A000000151000000 SECURED" in out and "CPLC" in out


def test_jcsim_gp_uses_the_key_set_jcsim_serve_was_given(card_process, tmp_path):
    key = "000102030405060708090A0B0C0D0E0F1011121314151617"
    card_process(["--gp-keys", f"31={key}"]).start()

    def gp(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "jcsim", "gp", "--reader", CONTACT_READER,
                               *args], cwd=REPO, capture_output=True, text=True, timeout=60,
                              env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})

    refused = gp("--scp", "3", "--list")
    assert refused.returncode == 1 and "6A88" in refused.stdout  # no key set 30 any more
    result = gp("--key", key, "--key-ver", "31", "--sl", "13", "--list")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SCP03 with key version 31, security level 13" in " ".join(result.stdout.split())
