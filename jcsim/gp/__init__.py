"""GlobalPlatform from the host: SCP02 / SCP03 secure channel sessions (sans-IO), a card
management client over any transport, and the parsers of what a card answers.

- ``jcsim.gp.session``: key sets, security levels, the handshake's state machine;
- ``jcsim.gp.scp03`` / ``jcsim.gp.scp02``: the two protocols' cryptography;
- ``jcsim.gp.client``: ``GPClient`` (select, open a channel, list, install, delete, put key,
  set status, get data);
- ``jcsim.gp.transport``: a Simulator in this process or a card through pcscd;
- ``jcsim.gp.status``: GET STATUS, key information, CPLC.
"""

from __future__ import annotations

from jcsim.gp.client import ISD_AID, GPClient, GPCommandError, open_session
from jcsim.gp.scp02 import SCP02Session
from jcsim.gp.scp03 import SCP03Session
from jcsim.gp.session import (
    C_DECRYPTION,
    C_MAC,
    DEFAULT_KEY,
    NO_SECURITY_LEVEL,
    R_ENCRYPTION,
    R_MAC,
    AuthenticationError,
    InitializeUpdateAnswer,
    KeySet,
    ResponseCheckError,
    SecureChannelError,
    SecureSession,
    SessionState,
    SessionStateError,
    initialize_update_command,
    parse_initialize_update,
)
from jcsim.gp.status import CPLC, GPFormatError, KeyInfo, StatusEntry
from jcsim.gp.transport import PCSCTransport, SimulatorTransport, Transport, transport_for

__all__ = [
    "CPLC",
    "C_DECRYPTION",
    "C_MAC",
    "DEFAULT_KEY",
    "ISD_AID",
    "NO_SECURITY_LEVEL",
    "R_ENCRYPTION",
    "R_MAC",
    "AuthenticationError",
    "GPClient",
    "GPCommandError",
    "GPFormatError",
    "InitializeUpdateAnswer",
    "KeyInfo",
    "KeySet",
    "PCSCTransport",
    "ResponseCheckError",
    "SCP02Session",
    "SCP03Session",
    "SecureChannelError",
    "SecureSession",
    "SessionState",
    "SessionStateError",
    "SimulatorTransport",
    "StatusEntry",
    "Transport",
    "initialize_update_command",
    "open_session",
    "parse_initialize_update",
    "transport_for",
]
