"""What a simulated card answers to each vpcd event, with no socket in sight.

vpcd's control bytes are the contacts of a reader (ISO 7816-3 §6): 00 removes power (a power
loss: an interrupted transaction rolls back at the next power-up), 01 applies it (a cold reset)
and 02 resets (a warm reset); both resets close the interface's channels, deselect its applets
and select its default applet again, and with no other interface powered they clear transient
memory (``Card.interface_up``). 04 asks for the ATR, and is also vpcd's presence poll, so it is
answered at once and whatever the power state, without waiting for the card.

One ``CardPort`` serves every interface of one card: commands from the contact and the
contactless readers are serialised by its lock, and the card image (if any) is saved after each
event that changed persistent state. On the contactless interface the port also plays the
PC/SC contactless reader (PC/SC part 3, §3.2.2.1.3): ``FF CA 00 00`` (GET DATA, UID) is
answered by the reader with the card's UID and never reaches the card.

A command for an interface without power gets no answer: the link closes the connection, as it
does after a command during which the card tears, so vpcd sees the card vanish, and the link
connects again once pcscd has noticed (see ``vpcd.Backoff.removal``). vpcd only sends a command
to a card it believes powered, which it can wrongly believe when the card left and came back
between two of its presence polls. The card never answers with an empty frame: vpcd 0.8 then
waits forever in ``recv(fd, buf, 0, MSG_WAITALL)``, and so does its client.
"""

from __future__ import annotations

import logging
import os
import threading

import attrs

from jcsim.autosave import ImageAutosave
from jcsim.errors import CardPoweredOffError, CardTornError, JCSimError
from jcsim.runtime.interface import CONTACTLESS
from jcsim.simulator import Simulator
from jcsim.transport.vpcd_codec import (
    MAX_PAYLOAD,
    Command,
    Event,
    GetATR,
    Malformed,
    PowerOff,
    PowerOn,
    Reset,
    encode_frame,
)

__all__ = ["DEFAULT_UID", "Answer", "CardPort"]

log = logging.getLogger("jcsim.transport.vpcd")

# A single-size UID whose first byte 08 means "random ID" (ISO 14443-3 §6.4.4), so it claims no
# manufacturer.
DEFAULT_UID = bytes.fromhex("086A6373")


@attrs.frozen
class Answer:
    """What a link does after an event: send ``reply`` (a whole frame) if any, then close the
    connection when ``drop`` says why."""

    reply: bytes | None = None
    drop: str | None = None
    # What happened, for a live trace: "power-on", "power-off", "reset", "reader-command", ...
    note: str | None = None
    # For "reader-command": the command and the answer the reader gave in the card's place.
    command: bytes = b""
    response: bytes = b""


def _checked_uid(uid: bytes) -> bytes:
    value = bytes(uid)
    if len(value) not in (4, 7, 10):
        raise ValueError(f"an ISO 14443 UID has 4, 7 or 10 bytes, not {len(value)}")
    return value


def _reader_get_data(raw: bytes, uid: bytes) -> bytes | None:
    """The contactless reader's answer to its own pseudo-APDU, or None if ``raw`` is for the
    card."""
    if len(raw) < 4 or raw[0] != 0xFF or raw[1] != 0xCA:
        return None
    if len(raw) > 5:
        return b"\x67\x00"
    if raw[2] == 0x01 and raw[3] == 0x00:
        return b"\x6A\x81"  # ATS historical bytes: not offered by this reader
    if raw[2] != 0x00 or raw[3] != 0x00:
        return b"\x6B\x00"
    le = raw[4] if len(raw) == 5 else 0
    if le == 0 or le == len(uid):
        return uid + b"\x90\x00"
    if le < len(uid):
        return bytes((0x6C, len(uid)))
    return uid + b"\x62\x82"  # end of data reached before Le bytes


class CardPort:
    """One simulated card as seen by the vpcd links that serve its interfaces."""

    def __init__(self, sim: Simulator, *, image: str | os.PathLike[str] | None = None,
                 image_key: bytes | None = None,
                 uid: bytes = DEFAULT_UID) -> None:
        self.sim = sim
        self.card = sim.card
        self.uid = _checked_uid(uid)
        # Commands and power events from every reader go through this lock, one at a time.
        self.lock = threading.Lock()
        self.autosave = ImageAutosave(sim, image, key=image_key)
        # Without an image there is nothing to check after each command.
        self._saving = image is not None
        with self.lock:
            # The card is in its readers now, and only they give it power.
            if self.card.powered:
                self.card.power_off()
            self.save()

    def save(self) -> None:
        """Save the image if persistent state changed; a failure is logged, never raised."""
        try:
            self.autosave()
        except (OSError, JCSimError) as exc:
            log.error("could not save the card image %s: %s", self.autosave.path, exc)

    def answer(self, interface: str, event: Event) -> Answer:
        """The card's (or the reader's) answer to ``event`` arriving on ``interface``."""
        if isinstance(event, GetATR):
            # Read without the lock: the ATR never changes, and the poll must not wait for a
            # long command on the other interface.
            return Answer(encode_frame(self.card.interfaces[interface].atr))
        if isinstance(event, Command):
            reply = self.command(interface, event.apdu)
            return Answer(reply) if isinstance(reply, bytes) else reply
        if isinstance(event, PowerOff):
            with self.lock:
                self.card.interface_down(interface)
                self.save()
            return Answer(note="power-off")
        if isinstance(event, (PowerOn, Reset)):
            with self.lock:
                self.card.interface_up(interface)
                self.save()
            return Answer(note="power-on" if isinstance(event, PowerOn) else "reset")
        assert isinstance(event, Malformed)
        return Answer(drop=f"malformed frame ({event.reason}: {event.payload.hex().upper()})",
                      note="malformed")

    def command(self, interface: str, raw: bytes) -> bytes | Answer:
        """The reply frame to a command APDU; an ``Answer`` when the link must do more than
        send a frame (drop the connection, report a reader command). The links' hot path."""
        with self.lock:
            card = self.card
            if interface not in card.powered_interfaces:
                return Answer(drop=f"a command reached the {interface} interface without power "
                                   "(mute card)", note="mute")
            if interface == CONTACTLESS:
                reader = _reader_get_data(raw, self.uid)
                if reader is not None:
                    return Answer(encode_frame(reader), note="reader-command", command=raw,
                                  response=reader)
            try:
                response = card.exchange(raw, interface)
            except CardTornError:
                self.save()
                return Answer(drop="the card tore during the command", note="torn")
            except CardPoweredOffError:
                return Answer(drop=f"the {interface} interface has no power (mute card)",
                              note="mute")
            if self._saving:
                self.save()
        # A response APDU is at most 65,538 bytes (65,536 data bytes and SW1-SW2): over a frame.
        if len(response) > MAX_PAYLOAD:
            return encode_frame(response)  # raises ValueError, as before
        return len(response).to_bytes(2, "big") + response

    def connection_made(self, interface: str) -> None:
        """The card entered that reader: no power on that interface until the reader gives it
        (vpcd sends 01 when a client connects)."""
        self.connection_lost(interface)

    def connection_lost(self, interface: str) -> None:
        """The card left that reader (its connection closed): that interface loses power."""
        with self.lock:
            if interface in self.card.powered_interfaces:
                self.card.interface_down(interface)
                self.save()
