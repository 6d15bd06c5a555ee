"""``jcsim demo hotp``: RFC 4226 one-time passwords from an applet that keeps its credentials in
static fields; two cards in one process, a tear, an image."""

from __future__ import annotations

import json
import tempfile
from importlib import resources
from pathlib import Path

from jcsim import CardTornError, Simulator
from jcsim.cli.demo import DemoError
from jcsim.samples.hotp.applet import Credential, HotpApplet
from jcsim.samples.hotp.host import AID, LIST, SELECT, calculate, listing, otp, put

RFC = json.loads(resources.files(__package__).joinpath("rfc4226.json").read_text())
SECRET = bytes.fromhex(RFC["secret"])


def run(walk) -> None:  # walk: jcsim.cli.demo.Walkthrough
    sim = walk.simulator()
    walk.step("Install", f"Install HotpApplet (jcsim.samples.hotp.applet) under AID {AID}. Its "
              "credentials are a linked list in a static field, Credential.first, with a static "
              "count; the HMAC-SHA-1 engine and a scratch buffer are statics made at install.")
    sim.install(HotpApplet, AID)
    walk.expect(sim.transmit(SELECT), 0x9000)
    walk.step("PUT", "Store RFC 4226's test secret ('12345678901234567890', 6 digits). The "
              "applet links the credential into the static list and counts it in one "
              "transaction: Credential.first = credential; Credential.count += 1.")
    walk.expect(sim.transmit(put(b"rfc", SECRET)), 0x9000)
    walk.step("CALCULATE", "Three one-time passwords: RFC 4226 Appendix D gives 755224, 287082 "
              "and 359152 for the counters 0, 1 and 2.")
    for case in RFC["cases"][:3]:
        response = walk.expect(sim.transmit(calculate(b"rfc")), 0x9000)
        walk.note(f"counter {case['count']}: {otp(response)} (RFC: {case['hotp']})")
        if otp(response) != case["hotp"]:
            raise DemoError(f"expected {case['hotp']}, got {otp(response)}")
    walk.step("Another card", "A second Simulator in the same process has its own statics: "
              "its list starts empty, from the class body's Credential.first = None.")
    other = walk.simulator()
    other.install(HotpApplet, AID)
    other.transmit(SELECT)
    count, _ = listing(walk.expect(other.transmit(LIST), 0x9000))
    walk.note(f"second card: {count} credentials, sim.static_field(Credential, 'count') = "
              f"{other.static_field(Credential, 'count')}; first card: "
              f"{sim.static_field(Credential, 'count')}; Credential.count read on the host, "
              f"outside card code: {Credential.count}, the class-body value")
    walk.step("A tear", "arm_tear(after_writes=16) cuts the power inside the next PUT, after "
              "the credential is linked into the static list but before the static count is "
              "written. At the next power-up the journal rolls both statics back.")
    # PUT "torn" makes 17 persistent writes; the last is Credential.count.
    sim.arm_tear(after_writes=16)
    try:
        sim.transmit(put(b"torn", SECRET))
    except CardTornError as exc:
        walk.note(f"CardTornError: {exc}")
    sim.power_on()
    sim.transmit(SELECT)
    count, entries = listing(walk.expect(sim.transmit(LIST), 0x9000))
    walk.note(f"after the power-up: count {count}, credentials {entries}")
    if count != 1 or len(entries) != 1:
        raise DemoError("the tear was not rolled back")
    walk.step("Card image", "sim.save() keeps the statics with no declaration; the loaded card "
              "carries on at counter 3 (RFC: 969429).")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "hotp.jcimg"
        sim.save(path)
        loaded = Simulator.load(path)
    loaded.subscribe(walk.trace)
    loaded.transmit(SELECT)
    response = walk.expect(loaded.transmit(calculate(b"rfc")), 0x9000)
    walk.note(f"counter 3: {otp(response)}")
    if otp(response) != RFC["cases"][3]["hotp"]:
        raise DemoError(f"expected {RFC['cases'][3]['hotp']}, got {otp(response)}")
    walk.done("Static fields behave as on a card: one value per card, rolled back by a tear, "
              "saved in images.")

