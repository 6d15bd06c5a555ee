"""The server side of OpenSCDP's remote-terminal seed example, for ``jcsim ram-server``::

    jcsim ram-server jcsim.samples.ram_seed.seed_script:perform --port 8080

``perform(session, path_info)`` is called once per client session, in its own thread, like
``performCardUpdate(session, pathInfo)`` in the OpenSCDP Scripting Server. Each call below is
one HTTP round trip with the client holding the card.
"""

from __future__ import annotations

from jcsim.samples.ram_seed.seed_applet import AID, DEFAULT_PIN

CHALLENGE_LENGTH = 69

# What each session did, by session id: the ATR and the two challenges (for the demo and the
# tests; a real script would act on them).
results: dict[str, dict[str, object]] = {}


def perform(session, path_info: str) -> None:
    card = session.card
    atr = card.reset()
    session.notify(1, "Test")
    card.sendApdu(0x00, 0x20, 0x00, 0x81, DEFAULT_PIN, [0x9000])
    card.sendApdu(0x00, 0xA4, 0x04, 0x00, AID, [0x9000])
    first = card.sendApdu(0x00, 0x84, 0x00, 0x00, CHALLENGE_LENGTH, [0x9000])
    second = card.sendApdu(0x00, 0x84, 0x00, 0x00, CHALLENGE_LENGTH, [0x9000])
    results[session.id] = {"atr": atr, "path": path_info, "challenges": (first, second)}
