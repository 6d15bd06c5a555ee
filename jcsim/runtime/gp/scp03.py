"""The card side of SCP03 (GlobalPlatform Card Specification v2.3 Amendment D, v1.1+).

INITIALIZE UPDATE gives the host the key diversification data, the key information
(KVN, 03, i), the card challenge (pseudo-random from the sequence counter when i b5 is set) and
the card cryptogram; EXTERNAL AUTHENTICATE brings the host cryptogram and the security level
under a C-MAC. Session keys come from the static keys through the KDF (``scp03_kdf``) with
context host challenge || card challenge. Then each command is checked and unwrapped
(``unwrap``) and each response wrapped (``wrap``), as the level asks:

- C-MAC: the MAC chaining value (16 zero bytes for EXTERNAL AUTHENTICATE, then the full CMAC
  of the last command) || the header (CLA with the secure messaging bit and logical channel
  zero, Lc including the MAC)
  || the data; the first S bytes (8 in S8 mode, 16 in S16) are the C-MAC.
- C-DECRYPTION: the data is AES-CBC encrypted with ICV = AES(S-ENC, counter), the encryption
  counter counting every command since EXTERNAL AUTHENTICATE (with or without data).
- R-MAC: CMAC(S-RMAC, the command's chaining value || response data || SW), truncated.
- R-ENCRYPTION: response data AES-CBC encrypted with ICV = AES(S-ENC, 80 || counter[1..15]).
A response whose status word is an error (not 9000, 62xx or 63xx) is returned bare.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jcsim.runtime.gp.primitives import (
    aes_cbc_decrypt,
    aes_cbc_encrypt,
    aes_cmac,
    aes_ecb,
    pad80,
    scp03_kdf,
    unpad80,
)
from jcsim.runtime.gp.session import (
    AUTHENTICATED,
    C_DECRYPTION,
    C_MAC,
    NO_SECURITY_LEVEL,
    R_ENCRYPTION,
    R_MAC,
    SW_AUTHENTICATION_FAILED,
    SW_SECURITY_NOT_SATISFIED,
    Command,
    SessionState,
    refuse,
    sm_bit,
)

if TYPE_CHECKING:
    from jcsim.runtime.registry import AppletRecord

__all__ = [
    "DEFAULT_I",
    "I_PSEUDO_RANDOM",
    "I_R_ENC",
    "I_R_MAC",
    "I_S16",
    "LEVELS",
    "Scp03Session",
    "pseudo_random_challenge",
]

# i parameter bits (Amendment D §5.1): S16 mode, pseudo-random card challenge, R-MAC, R-ENC.
I_S16 = 0x01
I_PSEUDO_RANDOM = 0x10
I_R_MAC = 0x20
I_R_ENC = 0x40
DEFAULT_I = I_PSEUDO_RANDOM | I_R_MAC | I_R_ENC  # 70
# Derivation constants (Amendment D Table 4-1).
CARD_CRYPTOGRAM, HOST_CRYPTOGRAM, CARD_CHALLENGE = 0x00, 0x01, 0x02
S_ENC, S_MAC, S_RMAC = 0x04, 0x06, 0x07
# The security levels EXTERNAL AUTHENTICATE may ask for (Amendment D §7.1.2.1).
LEVELS = (0x00, 0x01, 0x03, 0x11, 0x13, 0x33)


def pseudo_random_challenge(enc: bytes, sequence: bytes, aid: bytes, size: int = 8) -> bytes:
    """Amendment D §6.2.2.1: KDF(static ENC, 02, sequence counter || invoking AID)."""
    return scp03_kdf(enc, CARD_CHALLENGE, sequence + aid, size * 8)


def is_error_sw(sw: int) -> bool:
    return sw != 0x9000 and sw >> 8 not in (0x62, 0x63)


def mac_cla(cla: int) -> int:
    """The class byte as the C-MAC covers it (Amendment D §6.2.4, GPCS E.4.4): logical channel
    number zero, b4 = 0 and b3 = 1 (GlobalPlatform secure messaging), so a session MACs alike on
    every channel. A further-interindustry class (channels 4-19) becomes the first coding."""
    keep = 0x90 if cla & 0x40 else 0xF0
    return cla & keep | 0x04


class Scp03Session:
    """One SCP03 session on one logical channel (card side)."""

    protocol = 3

    def __init__(self, enc: bytes, mac: bytes, dek: bytes, kvn: int, i: int = DEFAULT_I) -> None:
        self.static_enc, self.static_mac, self.static_dek = enc, mac, dek
        self.kvn = kvn
        self.i = i
        self.size = 16 if i & I_S16 else 8
        self.state = SessionState.NONE
        self.level = NO_SECURITY_LEVEL
        self.s_enc = self.s_mac = self.s_rmac = b""
        self.chaining = bytes(16)
        self.counter = 0
        self.host_challenge = self.card_challenge = b""
        # The application that opened the session, set by INITIALIZE UPDATE (gp.service).
        self.owner: AppletRecord | None = None

    # --- opening -------------------------------------------------------------------------------

    def initialize_update(self, host_challenge: bytes, card_challenge: bytes,
                          sequence: bytes, diversification: bytes) -> bytes:
        """Derive the session keys; returns the INITIALIZE UPDATE answer."""
        if len(host_challenge) != self.size:
            refuse(0x6A80)
        self.host_challenge, self.card_challenge = host_challenge, card_challenge
        context = host_challenge + card_challenge
        key_bits = len(self.static_enc) * 8
        self.s_enc = scp03_kdf(self.static_enc, S_ENC, context, key_bits)
        self.s_mac = scp03_kdf(self.static_mac, S_MAC, context, key_bits)
        self.s_rmac = scp03_kdf(self.static_mac, S_RMAC, context, key_bits)
        self.state = SessionState.INITIATED
        self.level = NO_SECURITY_LEVEL
        self.chaining = bytes(16)
        self.counter = 0
        answer = (diversification + bytes((self.kvn, 0x03, self.i)) + card_challenge
                  + self.cryptogram(CARD_CRYPTOGRAM))
        if self.i & I_PSEUDO_RANDOM:
            answer += sequence
        return answer

    def cryptogram(self, constant: int) -> bytes:
        return scp03_kdf(self.s_mac, constant, self.host_challenge + self.card_challenge,
                         self.size * 8)

    def external_authenticate(self, raw: bytes) -> None:
        """Check the host cryptogram and the C-MAC of EXTERNAL AUTHENTICATE; on success the
        session is AUTHENTICATED at the level P1 names. On failure it is closed."""
        if self.state != SessionState.INITIATED:
            self.close()
            refuse(SW_SECURITY_NOT_SATISFIED)
        command = Command.parse(raw)
        level = command.p1
        allowed = level in LEVELS and not (level & R_MAC and not self.i & I_R_MAC) and \
            not (level & R_ENCRYPTION and not self.i & I_R_ENC)
        if not allowed or command.p2 != 0:
            self.close()
            refuse(0x6A86)
        if len(command.data) != 2 * self.size or not command.cla & sm_bit(command.cla):
            self.close()
            refuse(0x6A80 if len(command.data) != 2 * self.size else SW_SECURITY_NOT_SATISFIED)
        host_cryptogram, mac = command.data[:self.size], command.data[self.size:]
        if host_cryptogram != self.cryptogram(HOST_CRYPTOGRAM):
            self.close()
            refuse(SW_AUTHENTICATION_FAILED)
        header = bytes((mac_cla(command.cla),)) + raw[1:5]
        full = aes_cmac(self.s_mac, bytes(16) + header + host_cryptogram)
        if full[:self.size] != mac:
            self.close()
            refuse(SW_SECURITY_NOT_SATISFIED)
        self.chaining = full
        self.level = level | AUTHENTICATED
        self.state = SessionState.AUTHENTICATED

    def close(self) -> None:
        self.state = SessionState.NONE
        self.level = NO_SECURITY_LEVEL
        self.s_enc = self.s_mac = self.s_rmac = b""
        self.chaining = bytes(16)

    # --- commands and responses --------------------------------------------------------------

    def unwrap(self, raw: bytes) -> bytes:
        """Check and strip one command's protection; returns the plain command (secure
        messaging bit cleared, Lc the plain data's length). A command without secure messaging
        passes unchanged only when the level asks for no C-MAC."""
        command = Command.parse(raw)
        if self.state != SessionState.AUTHENTICATED:
            refuse(SW_SECURITY_NOT_SATISFIED)
        self.counter += 1
        bit = sm_bit(command.cla)
        if not command.cla & bit:
            if self.level & (C_MAC | C_DECRYPTION):
                self.close()
                refuse(SW_SECURITY_NOT_SATISFIED)
            return raw
        if not self.level & C_MAC or len(command.data) < self.size:
            self.close()
            refuse(SW_SECURITY_NOT_SATISFIED)
        body, mac = command.data[:-self.size], command.data[-self.size:]
        header = bytes((mac_cla(command.cla),)) + raw[1:5]
        full = aes_cmac(self.s_mac, self.chaining + header + body)
        if full[:self.size] != mac:
            self.close()
            refuse(SW_SECURITY_NOT_SATISFIED)
        if body and self.level & C_DECRYPTION:
            if len(body) % 16:
                self.close()
                refuse(SW_SECURITY_NOT_SATISFIED)
            plain = unpad80(aes_cbc_decrypt(self.s_enc, self.command_icv(), body))
            if plain is None:
                self.close()
                refuse(SW_SECURITY_NOT_SATISFIED)
            body = plain
        self.chaining = full
        command.cla &= ~bit & 0xFF
        command.data = bytes(body)
        return command.encode()

    def command_icv(self) -> bytes:
        return aes_ecb(self.s_enc, self.counter.to_bytes(16, "big"))

    def response_icv(self) -> bytes:
        return aes_ecb(self.s_enc, b"\x80" + self.counter.to_bytes(16, "big")[1:])

    def response_overhead(self) -> int:
        """How many bytes ``wrap`` may add to a response at most."""
        if self.state != SessionState.AUTHENTICATED or not self.level & R_MAC:
            return 0
        return self.size + (16 if self.level & R_ENCRYPTION else 0)

    def wrap(self, data: bytes, sw: int) -> bytes:
        """Protect one response's data as the level asks; returns the data to send."""
        if self.state != SessionState.AUTHENTICATED or not self.level & R_MAC \
                or is_error_sw(sw):
            return data
        if data and self.level & R_ENCRYPTION:
            data = aes_cbc_encrypt(self.s_enc, self.response_icv(), pad80(data, 16))
        mac = aes_cmac(self.s_rmac, self.chaining + data + sw.to_bytes(2, "big"))
        return data + mac[:self.size]

    # --- data encryption for applets (SecureChannel.encryptData / decryptData) ---------------

    def decrypt_data(self, data: bytes) -> bytes:
        if len(data) % 16:
            refuse(0x6A80)
        return aes_cbc_decrypt(self.static_dek, bytes(16), data)

    def encrypt_data(self, data: bytes) -> bytes:
        if len(data) % 16:
            refuse(0x6A80)
        return aes_cbc_encrypt(self.static_dek, bytes(16), data)
