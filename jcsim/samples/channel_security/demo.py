"""``jcsim demo channel-security`` (also the second part of ``jcsim demo channels``): the ISO
7816-4 sample, where a channel opened from channel Q > 0 inherits Q's security state."""

from __future__ import annotations

from jcsim.samples.channel_security.channel_security_applet import SECRET, ChannelSecurityApplet

AID = "F0 00 00 00 20 01"
VERIFY_GOOD = "80 20 00 00 04 31323334"
VERIFY_BAD = "80 20 00 00 04 30303030"
GET_SECRET = "80 CA 00 00 00"
GET_STATE = "80 CA 00 01 01"


def run(walk) -> None:  # walk: jcsim.cli.demo.Walkthrough
    sim = walk.simulator()
    walk.step("A security state per channel",
              "ChannelSecurityApplet (jcsim.samples.channel_security) guards a secret with a "
              "PIN (1234). ISO 7816-4 gives each logical channel its own security state, so "
              "the applet keeps one 'verified' flag per channel, in "
              "CLEAR_ON_DESELECT memory. It is the default applet of the contact interface: "
              "the reset selects it on channel 0.")
    sim.install(ChannelSecurityApplet, AID, default="contact")
    sim.reset()
    walk.expect(sim.transmit(GET_SECRET), 0x6982)
    walk.expect(sim.transmit(VERIFY_BAD), 0x63C2)
    walk.expect(sim.transmit(VERIFY_GOOD), 0x9000)
    walk.expect(sim.transmit(GET_SECRET), 0x9000, SECRET)

    walk.step("Opened from the basic channel", "MANAGE CHANNEL OPEN on channel 0 selects the "
              "default applet on channel 1. Inside select(), APDU.getCLAChannel() is 0 (the "
              "command's channel) and JCSystem.getAssignedChannel() is 1 (the new one): the "
              "ISO 7816-4 sharing rule does not apply to the basic channel, so channel 1 "
              "starts unverified although channel 0 is verified.")
    walk.expect(sim.transmit("00 70 00 00 01"), 0x9000, b"\x01")
    walk.expect(sim.transmit(GET_STATE, channel=1), 0x9000, b"\x00")
    walk.expect(sim.transmit(GET_SECRET, channel=1), 0x6982)

    walk.step("Opened from channel 1", "VERIFY on channel 1, then MANAGE CHANNEL OPEN sent on "
              "channel 1 (CLA 01). Now getCLAChannel() is 1 and getAssignedChannel() is 2: the "
              "applet copies channel 1's state to channel 2, which may read the secret "
              "without a VERIFY of its own.")
    walk.expect(sim.transmit(VERIFY_GOOD, channel=1), 0x9000)
    walk.expect(sim.transmit("01 70 00 00 01"), 0x9000, b"\x02")
    walk.expect(sim.transmit(GET_SECRET, channel=2), 0x9000, SECRET)

    walk.step("SELECT starts afresh", "A SELECT on channel 2 (getCLAChannel() == "
              "getAssignedChannel()) is a new session on that channel: unverified again. The "
              "other channels keep their state.")
    walk.expect(sim.select(AID, channel=2), 0x9000)
    walk.expect(sim.transmit(GET_SECRET, channel=2), 0x6982)
    walk.expect(sim.transmit(GET_SECRET, channel=1), 0x9000, SECRET)

    walk.step("Reset", "A reset closes every channel and clears all CLEAR_ON_DESELECT memory "
              "(deselect() is not called): the default applet is selected again, unverified.")
    sim.reset()
    walk.expect(sim.transmit(GET_SECRET), 0x6982)
    walk.expect(sim.transmit(GET_SECRET, channel=1), 0x6881)
    walk.done("Each channel had its own security state, inherited only through MANAGE "
              "CHANNEL OPEN from a channel other than the basic one.")
