"""Remote card access over HTTP (RAM over HTTP): GlobalPlatform Amendment B and OpenSCDP.

- ``run_session(sim, url, profile=...)``: a simulated card as the client of a RAM over HTTP
  server; returns a ``SessionReport``.
- ``ScriptServer(perform)``: a scripting server handing each session to
  ``perform(session, path_info)``.
- ``codec``: the scripting templates as values, encoded and decoded without I/O.
"""

from jcsim.remote.client import CardReset, RemoteExchange, SessionReport, run_session
from jcsim.remote.client_protocol import Outcome
from jcsim.remote.codec import PROFILES, Notify, Profile, get_profile
from jcsim.remote.errors import (
    RemoteClosedError,
    RemoteError,
    RemoteProtocolError,
    RemoteTimeoutError,
    RemoteUsageError,
    ScriptStatusError,
    UnexpectedSWError,
)
from jcsim.remote.server import RemoteCard, ScriptServer, ServerSession

__all__ = [
    "PROFILES",
    "CardReset",
    "Notify",
    "Outcome",
    "Profile",
    "RemoteCard",
    "RemoteClosedError",
    "RemoteError",
    "RemoteExchange",
    "RemoteProtocolError",
    "RemoteTimeoutError",
    "RemoteUsageError",
    "ScriptServer",
    "ScriptStatusError",
    "ServerSession",
    "SessionReport",
    "UnexpectedSWError",
    "get_profile",
    "run_session",
]
