"""``jcsim demo channels``: logical channels, MANAGE CHANNEL and the MultiSelectable sample, then
the ISO 7816-4 sample (``jcsim.samples.channel_security.demo``), step by step."""

from __future__ import annotations

from jcsim.cli.demo import DemoError
from jcsim.samples.channel_security.demo import run as run_channel_security
from jcsim.samples.echo.echo import Echo
from jcsim.samples.multiselectable import sample_applet
from jcsim.samples.multiselectable.sample_applet import DATA_LENGTH, SampleApplet

A = "F0 00 00 00 10 01"
B = "F0 00 00 00 10 02"
ECHO = "F0 00 00 00 01 01"
PACKAGE = bytes([0x02]) * DATA_LENGTH
PRIVATE = bytes([0x01]) * DATA_LENGTH
CLEARED = bytes(DATA_LENGTH)
GET_PRIVATE = "80 CA 00 01 00"
GET_PACKAGE = "80 CA 00 02 00"


def run(walk) -> None:  # walk: jcsim.cli.demo.Walkthrough
    sim = walk.simulator()
    walk.step("Install", "Two instances of SampleApplet (jcsim.samples.multiselectable), "
              f"A = {A} and B = {B}: one package, so they share its static packageData and its "
              "CLEAR_ON_DESELECT memory. SampleApplet implements MultiSelectable, so A and B "
              "may be active on several of the card's 20 logical channels at once.")
    sim.install(SampleApplet, A)
    sim.install(SampleApplet, B)

    walk.step("First activation", "SELECT A on the basic channel. No applet of the package is "
              "active, so the JCRE calls the plain select(): A initialises the package data "
              "(02 …) and its own data (01 …). GET DATA (INS CA) shows both.")
    walk.expect(sim.select(A), 0x9000)
    walk.expect(sim.transmit(GET_PACKAGE), 0x9000, PACKAGE)
    walk.expect(sim.transmit(GET_PRIVATE), 0x9000, PRIVATE)

    walk.step("MANAGE CHANNEL OPEN", "00 70 00 00 01 asks the card for a channel; it answers "
              "the lowest free one, 01. Opened from the basic channel, the new channel gets the "
              "default applet, and there is none: channel 1 is open but empty (6999), while a "
              "channel that was never opened answers 6881. MANAGE CHANNEL never reaches an "
              "applet.")
    walk.expect(sim.transmit("00 70 00 00 01"), 0x9000, b"\x01")
    walk.expect(sim.transmit(GET_PRIVATE, channel=1), 0x6999)
    walk.expect(sim.transmit(GET_PRIVATE, channel=2), 0x6881)

    walk.step("select(False)", "SELECT B on channel 1 (CLA 01). A of the same package is "
              "active on channel 0, so the JCRE calls select(False): another applet of the "
              "package is active, this instance is not. B initialises only its own data.")
    walk.expect(sim.select(B, channel=1), 0x9000)
    walk.expect(sim.transmit(GET_PRIVATE, channel=1), 0x9000, PRIVATE)

    walk.step("select(True)", "SELECT A on channel 2, which is closed: an applet SELECT opens "
              "it. A is already active on channel 0, so the JCRE calls select(True), and A "
              "leaves its data alone: it is in use on channel 0.")
    walk.expect(sim.select(A, channel=2), 0x9000)
    walk.note(f"channel 0: {sim.selected(0)}, channel 1: {sim.selected(1)}, "
              f"channel 2: {sim.selected(2)}")

    walk.step("deselect(True)", "MANAGE CHANNEL CLOSE of channel 2 (00 70 80 02). A stays "
              "active on channel 0: deselect(True), nothing is cleared.")
    walk.expect(sim.transmit("00 70 80 02"), 0x9000)
    walk.expect(sim.transmit(GET_PRIVATE), 0x9000, PRIVATE)

    walk.step("deselect(False)", "Close channel 1. B is no longer active anywhere but A keeps "
              "the package active: deselect(False), B clears its own data only.")
    walk.expect(sim.transmit("00 70 80 01"), 0x9000)
    b_data = sim.card.registry.find(bytes.fromhex(B.replace(" ", ""))).instance.privateData
    walk.note(f"B's privateData is now {bytes(b_data).hex(' ').upper()}")
    walk.expect(sim.transmit(GET_PACKAGE), 0x9000, PACKAGE)

    walk.step("The card's refusals", "Closing a channel that is not open is only a warning "
              "(6200); channel 20 does not exist and the basic channel cannot be closed "
              "(6A81); a secure-messaging class byte is refused (6882).")
    walk.expect(sim.transmit("00 70 80 01"), 0x6200)
    walk.expect(sim.transmit("00 70 00 14"), 0x6A81)
    walk.expect(sim.transmit("00 70 80 00"), 0x6A81)
    walk.expect(sim.transmit("0C 70 00 00 01"), 0x6882)

    walk.step("Last deactivation", "SELECT an applet of another package (the echo sample) on "
              "channel 0. A was the last active applet of its package, so it gets the plain "
              "deselect() and clears the package data too; the JCRE then clears the "
              "package's CLEAR_ON_DESELECT memory.")
    sim.install(Echo, ECHO)
    walk.expect(sim.select(ECHO), 0x9000)
    walk.note(f"packageData is now {bytes(sample_applet.packageData).hex(' ').upper()}")
    if bytes(sample_applet.packageData) != CLEARED:
        raise DemoError("the last deselect() did not clear the package data")

    # Part two: the ISO 7816-4 sample, which copies a security state between channels.
    run_channel_security(walk)
