"""Processes coming and going: ``jcsim serve`` killed in the middle of a transaction and
started again from its image, the card process restarting under a running pcscd, and pcscd
restarting under a running card."""

from __future__ import annotations

import threading
import time

import pytest

from jcsim import Simulator
from jcsim.samples.echo.echo import GREETING, Echo
from tests.integration.applets import (
    BLOCKED_FILE_ENV,
    INS_GET,
    INS_SET,
    INS_SET_AND_WAIT,
    JOURNALED_AID,
    RELEASE_FILE_ENV,
)
from tests.integration.conftest import CONTACT_READER, CardConnectionException, wait_for_card

pytestmark = pytest.mark.pcsc

ECHO = "F00000000101"
SELECT_ECHO = [0x00, 0xA4, 0x04, 0x00, 0x06, 0xF0, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00]
HELLO = [0x80, 0x02, 0x00, 0x00, 0x00]
JOURNALED = bytes.fromhex(JOURNALED_AID)
SELECT_JOURNALED = [0x00, 0xA4, 0x04, 0x00, len(JOURNALED), *JOURNALED, 0x00]


def transmit(connection, apdu: list[int]) -> tuple[bytes, int]:
    data, sw1, sw2 = connection.transmit(apdu)
    return bytes(data), (sw1 << 8) | sw2


def test_a_transaction_cut_by_killing_the_card_process_is_rolled_back_from_the_image(
        card_process, connect, tmp_path):
    image = tmp_path / "card.jcimg"
    blocked, release = tmp_path / "blocked", tmp_path / "release"
    args = ["--image", str(image), "--applet",
            f"tests.integration.applets:Journaled={JOURNALED.hex()}"]
    env = {BLOCKED_FILE_ENV: str(blocked), RELEASE_FILE_ENV: str(release)}
    card = card_process(args, env).start()
    connection = connect()
    assert transmit(connection, SELECT_JOURNALED) == (b"", 0x9000)
    assert transmit(connection, [0x80, INS_SET, 0, 0, 4, 1, 2, 3, 4]) == (b"", 0x9000)
    saved = image.read_bytes()

    outcome: list[object] = []

    def caught_in_the_transaction() -> None:
        try:
            outcome.append(connection.transmit([0x80, INS_SET_AND_WAIT, 30, 0, 4,
                                                0xAA, 0xBB, 0xCC, 0xDD]))
        except CardConnectionException as exc:
            outcome.append(exc)

    client = threading.Thread(target=caught_in_the_transaction)
    client.start()
    deadline = time.monotonic() + 10
    while not blocked.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert blocked.exists(), card.output()
    # The new value is written, inside the transaction; the power goes now.
    card.kill()
    client.join(10)
    assert not client.is_alive() and isinstance(outcome[0], CardConnectionException)
    wait_for_card(CONTACT_READER, present=False)
    assert image.read_bytes() == saved  # the image only ever holds committed states

    again = card_process(args, env).start()
    connection = connect()
    assert transmit(connection, SELECT_JOURNALED) == (b"", 0x9000)
    assert transmit(connection, [0x80, INS_GET, 0, 0, 0]) == (b"\x01\x02\x03\x04", 0x9000)
    connection.disconnect()
    assert again.stop() == 0
    assert "already on the card" in again.output()


def test_the_card_process_restarts_while_pcscd_stays_up(card_process, connect, pcscd):
    pcscd_pid = pcscd.pid
    args = ["--applet", f"jcsim.samples.echo:Echo={ECHO}", "--default", ECHO]
    first = card_process(args).start()
    connection = connect()
    assert transmit(connection, HELLO) == (GREETING, 0x9000)  # the default applet
    assert first.stop() == 0  # SIGTERM: a clean stop
    assert "Stopped" in first.output()
    wait_for_card(CONTACT_READER, present=False)
    with pytest.raises(CardConnectionException):
        connection.transmit(HELLO)  # that card is gone (SCARD_W_REMOVED_CARD)

    card_process(args).start()
    connection = connect()
    assert transmit(connection, HELLO) == (GREETING, 0x9000)
    connection.disconnect()
    assert pcscd.pid == pcscd_pid and pcscd.alive()


def test_pcscd_restarts_while_the_card_stays_up_and_the_card_reconnects_by_itself(
        serve_card, connect, pcscd):
    sim = Simulator()
    sim.install(Echo, ECHO, default=True)
    server = serve_card(sim)
    connection = connect()
    assert transmit(connection, HELLO) == (GREETING, 0x9000)
    link = server.link("contact")
    assert link.connections == 1
    pcscd.restart()  # a new daemon, same reader configuration and ports
    wait_for_card(CONTACT_READER)
    assert link.connections == 2
    connection = connect()
    assert transmit(connection, HELLO) == (GREETING, 0x9000)
    assert transmit(connection, SELECT_ECHO) == (b"", 0x9000)
    connection.disconnect()
