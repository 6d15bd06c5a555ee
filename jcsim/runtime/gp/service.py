"""Opening a secure channel session on the current logical channel: INITIALIZE UPDATE and
EXTERNAL AUTHENTICATE for the issuer security domain and for applets that forward them through
``SecureChannel.processSecurity`` (GlobalPlatform Card Specification v2.3 §7.2, §11.11-11.12).

The session is kept on the logical channel the command came on, tagged with the application
that opened it. Selecting an application on that channel, closing the channel or resetting the
card ends it. Keys, sequence counters and the life cycle state are the card manager's
persistent fields; this module reads and updates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jcsim.runtime.gp.session import (
    SW_SECURITY_NOT_SATISFIED,
    SecureSession,
    SessionState,
    refuse,
)

if TYPE_CHECKING:
    from jcsim.runtime.card_manager import CardManager
    from jcsim.runtime.card_state import CardState
    from jcsim.runtime.interface import LogicalChannel
    from jcsim.runtime.registry import AppletRecord

__all__ = [
    "INS_EXTERNAL_AUTHENTICATE",
    "INS_INITIALIZE_UPDATE",
    "current_channel",
    "end_session",
    "external_authenticate",
    "initialize_update",
    "issuer_domain",
    "session_of",
]

INS_INITIALIZE_UPDATE, INS_EXTERNAL_AUTHENTICATE = 0x50, 0x82
SW_KEY_NOT_FOUND = 0x6A88


def issuer_domain(card: CardState) -> CardManager | None:
    """The card manager instance (None on a card built without one)."""
    from jcsim.runtime.card_manager import CARD_MANAGER_AID

    record = card.registry.find(CARD_MANAGER_AID)
    return None if record is None else record.instance


def current_channel(card: CardState) -> LogicalChannel | None:
    """The logical channel of the command in progress (or of the last one); None before the
    card's first command, where applet code runs outside any (an ``install()`` made by the
    host, a default applet's ``select()`` at power-up)."""
    iface = card._iface
    return None if iface is None else iface.channels[card._cla_channel]


def session_of(card: CardState, record: AppletRecord | None) -> SecureSession | None:
    """The session on the current channel if ``record`` opened it, else None."""
    channel = current_channel(card)
    session = None if channel is None else channel.secure_session
    return session if session is not None and session.owner is record else None


def end_session(card: CardState, record: AppletRecord | None) -> None:
    """Close ``record``'s session on the current channel, if it has one there."""
    channel = current_channel(card)
    session = None if channel is None else channel.secure_session
    if channel is not None and session is not None and session.owner is record:
        session.close()
        channel.secure_session = None


def initialize_update(card: CardState, record: AppletRecord | None, raw: bytes) -> bytes:
    """Start a session for ``record`` on the current channel; returns the answer data."""
    isd = issuer_domain(card)
    channel = current_channel(card)
    # Only an application (never the JCRE itself) opens a session, during a command.
    if isd is None or channel is None or record is None:
        refuse(0x6985)
    # A new INITIALIZE UPDATE ends whatever session the channel had.
    channel.secure_session = None
    # INITIALIZE UPDATE comes without secure messaging (b4-b3 of a first-interindustry class,
    # b6 of a further one).
    secured = raw[0] & (0x20 if raw[0] & 0x40 else 0x0C)
    if secured or len(raw) < 5:
        refuse(0x6E00 if secured else 0x6700)
    kvn, key_id = raw[2], raw[3]
    if key_id != 0:
        refuse(0x6A86)
    sets = isd.key_sets
    if kvn == 0:
        kvn = scp03_first(sets)
    if kvn not in sets:
        refuse(SW_KEY_NOT_FOUND)
    scp, i, enc, mac, dek = sets[kvn]
    # The secure channel protocols (and cryptography) load with the first session, not with
    # every card.
    from jcsim.runtime.gp import scp02, scp03

    host_challenge = raw[5:]
    size = 16 if scp == 3 and i & scp03.I_S16 else 8
    if raw[4] != size or len(host_challenge) != size:
        refuse(0x6700)
    from jcsim.security import entropy

    if scp == 3:
        session: SecureSession = scp03.Scp03Session(enc, mac, dek, kvn, i)
        if i & scp03.I_PSEUDO_RANDOM:
            sequence = isd.next_sequence(kvn, 0xFFFFFF).to_bytes(3, "big")
            challenge = scp03.pseudo_random_challenge(enc, sequence, record.aid_value, size)
        else:
            sequence, challenge = b"", entropy.current().read(size)
    else:
        session = scp02.Scp02Session(enc, mac, dek, kvn, i)
        sequence = isd.next_sequence(kvn, 0xFFFF).to_bytes(2, "big")
        if i & scp02.I_PSEUDO_RANDOM:
            challenge = scp02.pseudo_random_challenge(mac, sequence, record.aid_value)
        else:
            challenge = entropy.current().read(6)
    answer = session.initialize_update(host_challenge, challenge, sequence,
                                       isd.diversification_data)
    session.owner = record
    channel.secure_session = session
    return answer


def scp03_first(sets: Mapping[int, Any]) -> int:
    """KVN 00 in INITIALIZE UPDATE: the first SCP03 key set, else the first one."""
    for kvn in sorted(sets):
        if sets[kvn][0] == 3:
            return kvn
    return min(sets) if sets else 0


def external_authenticate(card: CardState, record: AppletRecord | None, raw: bytes) -> None:
    session = session_of(card, record)
    if session is None or session.state != SessionState.INITIATED:
        if session is not None:
            session.close()
        refuse(SW_SECURITY_NOT_SATISFIED)
    session.external_authenticate(raw)
