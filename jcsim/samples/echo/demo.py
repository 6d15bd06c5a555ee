"""``jcsim demo hello``: install the echo applet and talk to it, step by step."""

from __future__ import annotations

from jcsim.samples.echo.echo import Echo

AID = "F0 00 00 00 01 01"


def run(walk) -> None:  # walk: jcsim.cli.demo.Walkthrough
    sim = walk.simulator()
    walk.step("Install", f"Install the Echo applet (jcsim.samples.echo.echo) under AID {AID}. "
              "The card is powered and nothing is selected yet.")
    sim.install(Echo, aid=AID)
    walk.step("Select", "SELECT by AID: the JCRE finds the applet, calls select(), then "
              "process() with selectingApplet() true. The applet answers 9000.")
    walk.expect(sim.select(AID), 0x9000)
    walk.step("Echo", "INS 01 sends three bytes; the applet receives them with "
              "setIncomingAndReceive() and sends them back.")
    walk.expect(sim.transmit("80 01 00 00 03 0A 0B 0C 00"), 0x9000, bytes.fromhex("0A0B0C"))
    walk.step("Greeting", "INS 02 answers a fixed greeting from the applet's code.")
    response = walk.expect(sim.transmit("80 02 00 00 00"), 0x9000)
    walk.note(f"The card says: {response.data.decode()!r}")
    walk.step("An unknown instruction", "INS 7F is not supported: the applet throws "
              "ISOException(SW_INS_NOT_SUPPORTED) and the JCRE answers 6D00.")
    walk.expect(sim.transmit("80 7F 00 00"), 0x6D00)
    walk.step("Extended length", "Echo implements ExtendedLength, so a 4000-byte extended "
              "command (Lc = 00 0F A0) reaches it. The data starts at offset 7 of the APDU "
              "buffer (getOffsetCdata), and the applet answers all 4000 bytes from there; on a "
              "card with a smaller buffer it would page them in with receiveBytes() and out "
              "with sendBytesLong().")
    data = bytes(range(256)) * 15 + bytes(range(160))
    command = bytes.fromhex("80010000 00 0FA0") + data + b"\x00\x00"
    walk.expect(sim.transmit(command), 0x9000, data)
    walk.step("T=0", "The same applet on a T=0 card. A case 2 command whose Le does not "
              "match the answer gets 6C xx and is re-issued with Le=xx; a case 4 answer waits "
              "behind 61 xx until GET RESPONSE fetches it.")
    t0 = walk.simulator(protocol="T=0")
    t0.install(Echo, aid=AID)
    t0.select(AID)
    walk.expect(t0.transmit("80 02 00 00 00"), 0x6C10)
    walk.note("Case 2 with Le=00 asked for 256 bytes; the card said 6C 10: re-issue with Le=16.")
    walk.expect(t0.transmit("80 02 00 00 10"), 0x9000)
    walk.expect(t0.transmit("80 01 00 00 03 0A 0B 0C 00"), 0x6103)
    walk.expect(t0.transmit("00 C0 00 00 03"), 0x9000, bytes.fromhex("0A0B0C"))
    walk.done("The echo applet works on both protocols.")
