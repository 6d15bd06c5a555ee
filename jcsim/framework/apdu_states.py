"""The ``javacard.framework.APDU`` state machine, as data.

Theory of operation. The JCRE hands ``process()`` an APDU in ``STATE_INITIAL`` with the header
(and Lc or Le) in the buffer. The applet then optionally receives the command data
(``setIncomingAndReceive`` once, then ``receiveBytes`` while data remains: the INCOMING states),
then optionally answers: ``setOutgoing`` (or ``setOutgoingNoChaining``) announces the direction,
``setOutgoingLength`` the size, and ``sendBytes`` / ``sendBytesLong`` move data until the
announced length is reached (the OUTGOING states). ``setOutgoingAndSend`` does the last three in
one call. Each method may be called only from the states listed in ``ALLOWED_FROM``; from any
other state it raises ``APDUException(ILLEGAL_USE)`` and the state does not change.

The negative error states are the T=0/T=1 transport failures of a real card. jcsim's JCRE keeps
an applet's whole response and serves T=0 GET RESPONSE / re-issue after ``process()`` returns,
so an applet never observes them; they exist for applet code that tests for them.
"""

from __future__ import annotations

__all__ = [
    "ALLOWED_FROM",
    "STATE_ERROR_IO",
    "STATE_ERROR_NO_T0_GETRESPONSE",
    "STATE_ERROR_NO_T0_REISSUE",
    "STATE_ERROR_T1_IFD_ABORT",
    "STATE_FULL_INCOMING",
    "STATE_FULL_OUTGOING",
    "STATE_INITIAL",
    "STATE_OUTGOING",
    "STATE_OUTGOING_LENGTH_KNOWN",
    "STATE_PARTIAL_INCOMING",
    "STATE_PARTIAL_OUTGOING",
]

STATE_INITIAL = 0
STATE_PARTIAL_INCOMING = 1
STATE_FULL_INCOMING = 2
STATE_OUTGOING = 3
STATE_OUTGOING_LENGTH_KNOWN = 4
STATE_PARTIAL_OUTGOING = 5
STATE_FULL_OUTGOING = 6
STATE_ERROR_NO_T0_GETRESPONSE = -1
STATE_ERROR_T1_IFD_ABORT = -2
STATE_ERROR_IO = -3
STATE_ERROR_NO_T0_REISSUE = -4

_BEFORE_OUTGOING = frozenset({STATE_INITIAL, STATE_PARTIAL_INCOMING, STATE_FULL_INCOMING})
_RECEIVED = frozenset({STATE_PARTIAL_INCOMING, STATE_FULL_INCOMING})
_SENDING = frozenset({STATE_OUTGOING_LENGTH_KNOWN, STATE_PARTIAL_OUTGOING})

# method name -> the states it may be called from. The state each one leads to is computed
# by the method from the byte counts (PARTIAL vs FULL), always one of the states its row names
# in the javadoc: INCOMING for the receive calls, OUTGOING* for the send calls.
ALLOWED_FROM: dict[str, frozenset[int]] = {
    "setIncomingAndReceive": frozenset({STATE_INITIAL}),
    "receiveBytes": _RECEIVED,
    "getIncomingLength": _RECEIVED,
    "getOffsetCdata": _RECEIVED,
    "setOutgoing": _BEFORE_OUTGOING,
    "setOutgoingNoChaining": _BEFORE_OUTGOING,
    "setOutgoingAndSend": _BEFORE_OUTGOING,
    "setOutgoingLength": frozenset({STATE_OUTGOING}),
    "sendBytes": _SENDING,
    "sendBytesLong": _SENDING,
}
