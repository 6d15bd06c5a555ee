"""``jcsim gp``: GlobalPlatformPro-like card management of a card image from the command line."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.cli import main

PKG = "tests.runtime.firewall_packages.installable"
INSTALL = ["--install", "--package", "F04A435349", "--applet", "F04A4353494B",
           "--create", "F04A4353494B01"]


def gp(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["gp", *args])
    out = capsys.readouterr().out
    return status, " ".join(out.split())


def test_list_shows_the_isd_secured_and_the_loaded_packages(tmp_path, capsys):
    image = str(tmp_path / "card.img")
    status, out = gp(capsys, "--image", image, "--list")
    assert status == 0
    assert "SCP03 with key version 30, security level 01 (C-MAC)" in out
    assert "ISD A000000151000000 SECURED" in out
    assert "PKG A0000001510000 LOADED" in out


@pytest.mark.parametrize(("scp", "level"), [("3", "33"), ("3", "C-MAC+C-DEC+R-MAC"),
                                            ("2", "03"), ("2", "00")])
def test_load_install_then_delete_through_a_card_image(tmp_path, capsys, scp, level):
    image = str(tmp_path / "card.img")
    status, out = gp(capsys, "--image", image, "--scp", scp, "--sl", level, "--load", PKG,
                     *INSTALL, "--params", "1122", "--list")
    assert status == 0, out
    assert "Installed F04A4353494B01" in out and "APP F04A4353494B01 SELECTABLE" in out
    sim = Simulator.load(image, allow_modules=[PKG])
    assert bytes.fromhex("F04A4353494B01") in [a.aid.value for a in sim.applets()]
    status, out = gp(capsys, "--image", image, "--allow-module", PKG, "--scp", scp, "--sl",
                     level, "--delete", "F04A4353494B01", "--list")
    assert status == 0 and "Deleted F04A4353494B01" in out and "APP" not in out


def test_a_refused_command_exits_1_with_its_status_word(tmp_path, capsys):
    status, out = gp(capsys, "--image", str(tmp_path / "c.img"), "--delete", "F0F0F0F0F0")
    assert status == 1 and "6A88" in out and "referenced data not found" in out


def test_wrong_keys_exit_1_and_say_the_cryptogram_is_wrong(tmp_path, capsys):
    status, out = gp(capsys, "--image", str(tmp_path / "c.img"), "--key",
                     "00112233445566778899AABBCCDDEEFF", "--list")
    assert status == 1 and "card cryptogram is wrong" in out


def test_lock_with_a_new_key_then_unlock_back_to_the_test_keys(tmp_path, capsys):
    image = str(tmp_path / "c.img")
    new = "00112233445566778899AABBCCDDEEFF"
    status, out = gp(capsys, "--image", image, "--scp", "3", "--lock", new)
    assert status == 0 and "Key set 30 replaced" in out
    status, out = gp(capsys, "--image", image, "--scp", "3", "--list")
    assert status == 1
    status, out = gp(capsys, "--image", image, "--scp", "3", "--key", new, "--unlock", "--info")
    assert status == 0 and "default test keys" in out
    status, out = gp(capsys, "--image", image, "--scp", "3", "--info")
    assert status == 0 and "Card life cycle: SECURED" in out and "CPLC" in out


def test_card_lock_and_unlock(tmp_path, capsys):
    image = str(tmp_path / "c.img")
    status, out = gp(capsys, "--image", image, "--lock-card", "--list")
    assert status == 0 and "ISD A000000151000000 CARD_LOCKED" in out
    status, out = gp(capsys, "--image", image, "--unlock-card", "--list")
    assert status == 0 and "ISD A000000151000000 SECURED" in out


def test_debug_shows_each_apdu_as_meant_and_as_sent(tmp_path, capsys):
    status, out = gp(capsys, "--image", str(tmp_path / "c.img"), "-d", "--sl", "03", "-a",
                     "80CA9F7F00")
    assert status == 0
    assert ">> 80 CA 9F 7F 00" in out and "sent 84 CA 9F 7F 08" in out
    assert "<< 9F 7F 2A" in out


def test_debug_under_r_encryption_shows_the_response_received_and_decrypted(tmp_path, capsys):
    status, out = gp(capsys, "--image", str(tmp_path / "c.img"), "-d", "--sl", "33", "-a",
                     "80CA9F7F00")
    assert status == 0
    assert "received" in out and "<< 9F 7F 2A" in out


@pytest.mark.parametrize("channel", ["3", "7"])
def test_a_logical_channel_is_opened_and_used(tmp_path, capsys, channel):
    status, out = gp(capsys, "--image", str(tmp_path / "c.img"), "--channel", channel, "--sl",
                     "33", "-d", "--list")
    assert status == 0 and f">> 00 70 00 0{channel}" in out
    assert "ISD A000000151000000 SECURED" in out


def test_s16_against_a_card_image_whose_key_set_speaks_s16(tmp_path, capsys):
    from jcsim.runtime.gp.keys import GPKeys

    image = tmp_path / "s16.img"
    key = "000102030405060708090A0B0C0D0E0F"
    Simulator(gp_keys=[GPKeys(0x31, key, key, key, i=0x71)]).save(image)
    status, out = gp(capsys, "--image", str(image), "--key", key, "--key-ver", "31", "--s16",
                     "--sl", "33", "--list")
    assert status == 0 and "SCP03 S16 with key version 31, security level 33" in out
    status, out = gp(capsys, "--image", str(image), "--key", key, "--key-ver", "31", "--list")
    assert status == 1 and "6700" in out  # the S16 card refuses an 8-byte host challenge


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["gp", "--image", str(tmp_path / "c.img"), "--install"]) == 2
    assert main(["gp", "--reader", "no such reader", "--load", PKG]) == 2


def test_put_key_without_a_version_is_a_usage_error(tmp_path, capsys):
    status, out = gp(capsys, "--image", str(tmp_path / "c.img"), "--put-key",
                     "00112233445566778899AABBCCDDEEFF")
    assert status == 2 and "--new-keyver" in out


def test_put_key_adds_a_key_set_the_info_then_lists(tmp_path, capsys):
    image = str(tmp_path / "c.img")
    status, out = gp(capsys, "--image", image, "--sl", "33", "--put-key",
                     "00112233445566778899AABBCCDDEEFF", "--new-keyver", "32")
    assert status == 0 and "Added key set 32" in out
    status, out = gp(capsys, "--image", image, "--key", "00112233445566778899AABBCCDDEEFF",
                     "--key-ver", "32", "--info")
    assert status == 0 and "key version 32" in out and "32 AES/128" in out
