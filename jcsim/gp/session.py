"""What SCP02 and SCP03 sessions share: key sets, security levels, the INITIALIZE UPDATE answer,
the errors, and the session's state machine (GP Card Specification v2.3 §10.2 and §11.11-11.12).

Theory of operation. A session is sans-IO: it makes command bytes and reads response bytes, and
the caller (``jcsim.gp.client``) moves them over a transport. The handshake is:

    initialize_update_command(...)      -> bytes to send (80 50 KVN 00 08 host-challenge 00)
    open_session(keys, host_challenge, answer, level)
                                        -> an SCP02Session or SCP03Session, state AUTHENTICATING,
                                           after checking the card's cryptogram
    session.external_authenticate()     -> bytes to send (84 82 level 00 10 cryptogram C-MAC)
    session.receive_external_authenticate(response)
                                        -> OPEN on 9000; CLOSED (and an error) otherwise
    session.wrap(command) / session.unwrap(response)
                                        -> while OPEN; a response whose R-MAC or padding is
                                           wrong closes the session and raises

States and the inputs each accepts (any other input raises ``SessionStateError`` and leaves the
state as it was):

    AUTHENTICATING --external_authenticate--> AUTHENTICATING (once)
    AUTHENTICATING --receive_external_authenticate(9000)--> OPEN
    AUTHENTICATING --receive_external_authenticate(other)--> CLOSED
    OPEN --wrap / unwrap--> OPEN, or CLOSED when a response fails its checks
    any --close--> CLOSED
"""

from __future__ import annotations

import enum

import attrs

from jcsim.apdu import parse_hex
from jcsim.errors import JCSimError

__all__ = [
    "C_DECRYPTION",
    "C_MAC",
    "DEFAULT_KEY",
    "NO_SECURITY_LEVEL",
    "R_ENCRYPTION",
    "R_MAC",
    "AuthenticationError",
    "InitializeUpdateAnswer",
    "KeySet",
    "ResponseCheckError",
    "SecureChannelError",
    "SecureSession",
    "SessionState",
    "SessionStateError",
    "channel_of",
    "describe_level",
    "initialize_update_command",
    "is_success",
    "level_from_text",
    "parse_initialize_update",
    "proprietary_cla",
    "secure_cla",
]

# Security level bits of EXTERNAL AUTHENTICATE's P1 (GPCS Table 10-1 / Amd D Table 5-3).
NO_SECURITY_LEVEL = 0x00
C_MAC = 0x01
C_DECRYPTION = 0x02
R_MAC = 0x10
R_ENCRYPTION = 0x20

DEFAULT_KEY = bytes(range(0x40, 0x50))

INS_INITIALIZE_UPDATE = 0x50
INS_EXTERNAL_AUTHENTICATE = 0x82
SW_OK = 0x9000


class SecureChannelError(JCSimError):
    """Root of the secure channel's errors; the session is closed when one is raised from a
    card's answer."""


class AuthenticationError(SecureChannelError, ValueError):
    """The card's cryptogram is wrong, or it refused ours (``sw``), or its INITIALIZE UPDATE
    answer is malformed."""

    def __init__(self, message: str, sw: int | None = None) -> None:
        super().__init__(message)
        self.sw = sw


class ResponseCheckError(SecureChannelError, ValueError):
    """A response's R-MAC does not verify, or its encrypted data does not decrypt."""


class SessionStateError(SecureChannelError, RuntimeError):
    """The session cannot do that in its present state (closed, not yet open...)."""


class SessionState(enum.Enum):
    AUTHENTICATING = "authenticating"
    OPEN = "open"
    CLOSED = "closed"


def _key(value: bytes | str) -> bytes:
    return parse_hex(value) if isinstance(value, str) else bytes(value)


def _key_length(instance: object, attribute: attrs.Attribute, value: bytes) -> None:
    if len(value) not in (16, 24, 32):
        raise ValueError(f"{attribute.name} must be 16, 24 or 32 bytes, not {len(value)}")


def _version(instance: object, attribute: attrs.Attribute, value: int) -> None:
    if not 0 <= value <= 0x7F:
        raise ValueError(f"a key version number is 0x00 to 0x7F, not {value:#x}")


@attrs.frozen
class KeySet:
    """The three static keys of a secure channel key set and its key version number
    (0 in a request means "any key set")."""

    enc: bytes = attrs.field(converter=_key, validator=_key_length)
    mac: bytes = attrs.field(converter=_key, validator=_key_length)
    dek: bytes = attrs.field(converter=_key, validator=_key_length)
    version: int = attrs.field(default=0, validator=_version)

    def __attrs_post_init__(self) -> None:
        if not len(self.enc) == len(self.mac) == len(self.dek):
            raise ValueError("ENC, MAC and DEK must have the same length")

    @classmethod
    def single(cls, key: bytes | str, version: int = 0) -> KeySet:
        """One key used as ENC, MAC and DEK (GlobalPlatformPro's ``--key``)."""
        value = _key(key)
        return cls(value, value, value, version)

    @classmethod
    def default(cls, version: int = 0) -> KeySet:
        """The GlobalPlatform test keys 40 41 ... 4F."""
        return cls.single(DEFAULT_KEY, version)

    def __repr__(self) -> str:
        return (f"KeySet(enc=bytes.fromhex({self.enc.hex()!r}), "
                f"mac=bytes.fromhex({self.mac.hex()!r}), dek=bytes.fromhex({self.dek.hex()!r}), "
                f"version=0x{self.version:02X})")


@attrs.frozen
class InitializeUpdateAnswer:
    """The fields of INITIALIZE UPDATE's answer (GPCS v2.2 §E.5.1.6 for SCP02, Amd D §7.1.1.6
    for SCP03)."""

    diversification_data: bytes
    key_version: int
    scp: int  # 2 or 3
    i: int | None  # SCP03 says its i parameter; SCP02 does not
    sequence_counter: bytes  # 2 bytes (SCP02), 3 bytes or empty (SCP03)
    card_challenge: bytes
    card_cryptogram: bytes


def parse_initialize_update(data: bytes) -> InitializeUpdateAnswer:
    """Split an INITIALIZE UPDATE answer (without SW); the protocol is read from the key
    information. Raises ``AuthenticationError`` for any layout neither protocol has."""
    data = bytes(data)
    if len(data) < 13:
        raise AuthenticationError(f"an INITIALIZE UPDATE answer of {len(data)} bytes is too short")
    diversification, kvn, scp = data[:10], data[10], data[11]
    if scp == 0x02:
        if len(data) != 28:
            raise AuthenticationError(f"an SCP02 INITIALIZE UPDATE answer has 28 bytes, "
                                      f"not {len(data)}")
        return InitializeUpdateAnswer(diversification, kvn, 2, None, data[12:14], data[14:20],
                                      data[20:28])
    if scp == 0x03:
        i = data[12]
        if len(data) in (29, 32):  # S8
            size = 8
        elif len(data) in (45, 48):  # S16
            size = 16
        else:
            raise AuthenticationError(f"an SCP03 INITIALIZE UPDATE answer has 29 or 32 bytes "
                                      f"(S8), 45 or 48 (S16), not {len(data)}")
        end = 13 + 2 * size
        return InitializeUpdateAnswer(diversification, kvn, 3, i, data[end:end + 3],
                                      data[13:13 + size], data[13 + size:end])
    raise AuthenticationError(f"the card offers secure channel protocol {scp:02X}; this host "
                              "speaks SCP02 and SCP03")


def initialize_update_command(key_version: int, host_challenge: bytes, channel: int = 0) -> bytes:
    """``80 50 KVN 00 Lc host-challenge 00`` on ``channel``: 8 bytes of challenge, or 16 for
    SCP03 in S16 mode."""
    if len(host_challenge) not in (8, 16):
        raise ValueError(f"the host challenge has 8 (or, S16, 16) bytes, not "
                         f"{len(host_challenge)}")
    return bytes((proprietary_cla(channel), INS_INITIALIZE_UPDATE, key_version, 0,
                  len(host_challenge))) + bytes(host_challenge) + b"\x00"


def proprietary_cla(channel: int, secure: bool = False) -> int:
    """GlobalPlatform's proprietary CLA for a logical channel, with or without the secure
    messaging indication (ISO 7816-4 §5.4.1: b3 for channels 0-3, b6 for 4-19)."""
    if 0 <= channel <= 3:
        return 0x80 | channel | (0x04 if secure else 0)
    if 4 <= channel <= 19:
        return 0xC0 | (channel - 4) | (0x20 if secure else 0)
    raise ValueError(f"logical channels are 0 to 19, not {channel}")


def secure_cla(cla: int) -> int:
    """The CLA with the secure messaging indication set, keeping its channel."""
    return cla | (0x20 if cla & 0x40 else 0x04)


def channel_of(cla: int) -> int:
    return 4 + (cla & 0x0F) if cla & 0x40 else cla & 0x03


def is_success(sw: int) -> bool:
    """9000 and the warnings 62xx / 63xx: answers a secure channel protects."""
    return sw == SW_OK or (sw >> 8) in (0x62, 0x63)


_LEVEL_NAMES = {"C-MAC": C_MAC, "C-DEC": C_DECRYPTION, "C-ENC": C_DECRYPTION,
                "R-MAC": R_MAC, "R-ENC": R_ENCRYPTION}


def level_from_text(text: str) -> int:
    """A security level from hex (``33``) or names joined by ``+`` (``C-MAC+R-MAC``)."""
    text = text.strip()
    names = [part.strip().upper() for part in text.replace(",", "+").split("+")]
    if all(name in _LEVEL_NAMES for name in names):
        level = 0
        for name in names:
            level |= _LEVEL_NAMES[name]
        return level | (C_MAC if level else 0)
    try:
        return int(text, 16)
    except ValueError as exc:
        raise ValueError(f"not a security level: {text!r} (use hex like 33, or C-MAC+R-MAC)") \
            from exc


def describe_level(level: int) -> str:
    parts = [name for name, bit in (("C-MAC", C_MAC), ("C-DEC", C_DECRYPTION),
                                    ("R-MAC", R_MAC), ("R-ENC", R_ENCRYPTION)) if level & bit]
    return "+".join(parts) if parts else "none"


def check_level(level: int, allowed: tuple[int, ...], protocol: str) -> None:
    if level not in allowed:
        names = ", ".join(f"{a:02X}" for a in allowed)
        raise ValueError(f"{protocol} security levels are {names}, not {level:02X}")


class SecureSession:
    """One secure channel session, host side: the state machine of the module documentation.
    ``SCP02Session`` and ``SCP03Session`` supply the cryptography."""

    protocol = ""
    levels: tuple[int, ...] = ()

    def __init__(self, keys: KeySet, host_challenge: bytes, answer: InitializeUpdateAnswer,
                 security_level: int, channel: int = 0) -> None:
        check_level(security_level, self.levels, self.protocol)
        self.keys = keys
        self.host_challenge = bytes(host_challenge)
        self.answer = answer
        self.security_level = security_level
        self.channel = channel
        self.state = SessionState.AUTHENTICATING
        self._authenticate_sent = False
        self.derive_session_keys()
        if not _constant_time_equal(self.card_cryptogram(), answer.card_cryptogram):
            self.state = SessionState.CLOSED
            raise AuthenticationError("the card cryptogram is wrong: the card does not hold "
                                      "these keys (or the answer was altered)")

    # --- the protocol's part -------------------------------------------------------------------

    def derive_session_keys(self) -> None:
        raise NotImplementedError

    def card_cryptogram(self) -> bytes:
        raise NotImplementedError

    def host_cryptogram(self) -> bytes:
        raise NotImplementedError

    def _authenticate(self, command: bytes) -> bytes:
        raise NotImplementedError

    def _wrap(self, command: bytes) -> bytes:
        raise NotImplementedError

    def _unwrap(self, response: bytes) -> bytes:
        raise NotImplementedError

    def encrypt_key(self, key: bytes) -> bytes:
        """A key's component block for PUT KEY, encrypted with the DEK."""
        raise NotImplementedError

    def key_check_value(self, key: bytes) -> bytes:
        raise NotImplementedError

    # --- the state machine ---------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.state is SessionState.OPEN

    def _require(self, state: SessionState, action: str) -> None:
        if self.state is not state:
            raise SessionStateError(f"cannot {action}: the session is {self.state.value}")

    def external_authenticate(self) -> bytes:
        """EXTERNAL AUTHENTICATE with the host cryptogram and its C-MAC (always MACed)."""
        self._require(SessionState.AUTHENTICATING, "authenticate")
        if self._authenticate_sent:
            raise SessionStateError("EXTERNAL AUTHENTICATE was already made for this session")
        self._authenticate_sent = True
        cryptogram = self.host_cryptogram()
        header = bytes((proprietary_cla(self.channel), INS_EXTERNAL_AUTHENTICATE,
                        self.security_level, 0x00, len(cryptogram)))
        return self._authenticate(header + cryptogram)

    def receive_external_authenticate(self, response: bytes) -> None:
        """The card's answer to EXTERNAL AUTHENTICATE: 9000 opens the session."""
        self._require(SessionState.AUTHENTICATING, "complete authentication")
        if not self._authenticate_sent:
            raise SessionStateError("EXTERNAL AUTHENTICATE has not been made yet")
        sw = _sw(response)
        if sw != SW_OK:
            self.state = SessionState.CLOSED
            raise AuthenticationError(f"the card refused EXTERNAL AUTHENTICATE with {sw:04X}", sw)
        self.state = SessionState.OPEN

    def wrap(self, command: bytes) -> bytes:
        """The command as sent under the session's security level (CLA 80 -> 84, C-MAC,
        encrypted data). Commands with an interindustry CLA go unchanged."""
        self._require(SessionState.OPEN, "wrap a command")
        command = bytes(command)
        if len(command) < 4:
            raise ValueError(f"a command APDU has at least 4 bytes, not {len(command)}")
        if not command[0] & 0x80:
            return command
        if command[0] & (0x20 if command[0] & 0x40 else 0x04):
            raise ValueError("the command already carries secure messaging (CLA "
                             f"{command[0]:02X}): give it in plain CLA 80")
        return self._wrap(command)

    def unwrap(self, response: bytes) -> bytes:
        """The response with its R-MAC checked and removed and its data decrypted; a failed
        check closes the session and raises ``ResponseCheckError``."""
        self._require(SessionState.OPEN, "unwrap a response")
        response = bytes(response)
        try:
            if len(response) < 2:
                raise ResponseCheckError(f"a response has at least 2 bytes, not {len(response)}")
            return self._unwrap(response)
        except ResponseCheckError:
            self.state = SessionState.CLOSED
            raise

    def close(self) -> None:
        self.state = SessionState.CLOSED


def _sw(response: bytes) -> int:
    if len(response) < 2:
        raise AuthenticationError(f"a response has at least 2 bytes, not {len(response)}")
    return (response[-2] << 8) | response[-1]


def _constant_time_equal(a: bytes, b: bytes) -> bool:
    import hmac

    return hmac.compare_digest(a, b)
