"""The card side of SCP02 with i = 15 (GlobalPlatform Card Specification v2.2 Appendix E):
three static keys, explicit initiation, C-MAC over the modified header, ICV encryption; and
i = 55 (the same with a pseudo-random card challenge: ``pseudo_random_challenge``).

INITIALIZE UPDATE answers key diversification data (10) || KVN || 02 || sequence counter (2)
|| card challenge (6) || card cryptogram (8). Session keys are 3DES-CBC (ICV zero) of
constant || sequence counter || 12 zero bytes under the static keys: S-ENC (01 82, ENC key),
C-MAC (01 01, MAC key), R-MAC (01 02, MAC key), DEK (01 81, DEK key). Cryptograms are the full
3DES MAC (ISO 9797-1 algorithm 1, method 2 padding) under S-ENC: the card's over host
challenge || sequence counter || card challenge, the host's over sequence counter || card
challenge || host challenge.

C-MAC (E.4.4): the retail MAC under the C-MAC key over the header (CLA as sent, with its
secure messaging bit and logical channel; Lc counting the MAC) and the plain data. The ICV is
zero for EXTERNAL AUTHENTICATE and then the previous C-MAC, encrypted with single DES under the
first half of the C-MAC key (i b5). C-DECRYPTION (E.4.6): the plain data, padded with 80 00..,
is 3DES-CBC encrypted under S-ENC with a zero ICV; the C-MAC is over the plain data. The
security levels: 00, 01, 03, and 11, 13 (R-MAC) for a key set whose i parameter announces R-MAC
support (b6, e.g. i = 35).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jcsim.runtime.gp.primitives import (
    des3_cbc_decrypt,
    des3_cbc_encrypt,
    des3_ecb_decrypt,
    des3_ecb_encrypt,
    des_ecb_encrypt,
    full_des3_mac,
    retail_mac,
    unpad80,
)
from jcsim.runtime.gp.session import (
    AUTHENTICATED,
    C_DECRYPTION,
    C_MAC,
    NO_SECURITY_LEVEL,
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

__all__ = ["DEFAULT_I", "I_PSEUDO_RANDOM", "LEVELS", "Scp02Session", "pseudo_random_challenge",
           "session_key"]

DEFAULT_I = 0x15
I_R_MAC = 0x20  # i b6: R-MAC support
I_PSEUDO_RANDOM = 0x40  # i b7: the well-known pseudo-random card challenge
LEVELS = (0x00, 0x01, 0x03, 0x11, 0x13)
C_MAC_CONSTANT, R_MAC_CONSTANT, DEK_CONSTANT, ENC_CONSTANT = 0x0101, 0x0102, 0x0181, 0x0182


def session_key(static: bytes, constant: int, sequence: bytes) -> bytes:
    return des3_cbc_encrypt(static, constant.to_bytes(2, "big") + sequence + bytes(12))


def pseudo_random_challenge(mac: bytes, sequence: bytes, aid: bytes) -> bytes:
    """i b7 (i = 55): the card challenge is the first 6 bytes of the C-MAC (retail MAC, ICV
    zero, under the C-MAC session key of this sequence counter) over the invoking AID."""
    return retail_mac(session_key(mac, C_MAC_CONSTANT, sequence), aid)[:6]


class Scp02Session:
    """One SCP02 session on one logical channel (card side)."""

    protocol = 2
    size = 8

    def __init__(self, enc: bytes, mac: bytes, dek: bytes, kvn: int, i: int = DEFAULT_I) -> None:
        self.static_enc, self.static_mac, self.static_dek = enc, mac, dek
        self.kvn = kvn
        self.i = i
        self.state = SessionState.NONE
        self.level = NO_SECURITY_LEVEL
        self.s_enc = self.s_cmac = self.s_rmac = self.s_dek = b""
        self.last_mac = bytes(8)
        self.last_rmac = bytes(8)
        self.r_command = b""
        self.host_challenge = self.card_challenge = self.sequence = b""
        # The application that opened the session, set by INITIALIZE UPDATE (gp.service).
        self.owner: AppletRecord | None = None

    def initialize_update(self, host_challenge: bytes, card_challenge: bytes,
                          sequence: bytes, diversification: bytes) -> bytes:
        if len(host_challenge) != 8:
            refuse(0x6A80)
        self.host_challenge, self.card_challenge, self.sequence = (
            host_challenge, card_challenge, sequence)
        self.s_enc = session_key(self.static_enc, ENC_CONSTANT, sequence)
        self.s_cmac = session_key(self.static_mac, C_MAC_CONSTANT, sequence)
        self.s_rmac = session_key(self.static_mac, R_MAC_CONSTANT, sequence)
        self.s_dek = session_key(self.static_dek, DEK_CONSTANT, sequence)
        self.state = SessionState.INITIATED
        self.level = NO_SECURITY_LEVEL
        self.last_mac = bytes(8)
        cryptogram = full_des3_mac(self.s_enc, host_challenge + sequence + card_challenge)
        return (diversification + bytes((self.kvn, 0x02)) + sequence + card_challenge
                + cryptogram)

    def external_authenticate(self, raw: bytes) -> None:
        if self.state != SessionState.INITIATED:
            self.close()
            refuse(SW_SECURITY_NOT_SATISFIED)
        command = Command.parse(raw)
        if command.p1 not in LEVELS or command.p2 != 0 or \
                (command.p1 & R_MAC and not self.i & I_R_MAC):
            self.close()
            refuse(0x6A86)
        if len(command.data) != 16:
            self.close()
            refuse(0x6A80)
        host_cryptogram, mac = command.data[:8], command.data[8:]
        expected = full_des3_mac(self.s_enc,
                                 self.sequence + self.card_challenge + self.host_challenge)
        if host_cryptogram != expected:
            self.close()
            refuse(SW_AUTHENTICATION_FAILED)
        if not command.cla & sm_bit(command.cla) or \
                retail_mac(self.s_cmac, raw[:5] + host_cryptogram) != mac:
            self.close()
            refuse(SW_SECURITY_NOT_SATISFIED)
        self.last_mac = mac
        self.last_rmac = bytes(8)
        self.level = command.p1 | AUTHENTICATED
        self.state = SessionState.AUTHENTICATED

    def close(self) -> None:
        self.state = SessionState.NONE
        self.level = NO_SECURITY_LEVEL
        self.s_enc = self.s_cmac = self.s_rmac = self.s_dek = b""
        self.last_mac = bytes(8)

    def icv(self) -> bytes:
        return des_ecb_encrypt(self.s_cmac[:8], self.last_mac)

    def unwrap(self, raw: bytes) -> bytes:
        command = Command.parse(raw)
        if self.state != SessionState.AUTHENTICATED:
            refuse(SW_SECURITY_NOT_SATISFIED)
        bit = sm_bit(command.cla)
        if not command.cla & bit:
            if self.level & (C_MAC | C_DECRYPTION):
                self.close()
                refuse(SW_SECURITY_NOT_SATISFIED)
            self.note_r_command(command)
            return raw
        if not self.level & C_MAC or len(command.data) < 8:
            self.close()
            refuse(SW_SECURITY_NOT_SATISFIED)
        body, mac = command.data[:-8], command.data[-8:]
        if body and self.level & C_DECRYPTION:
            plain = None
            if len(body) % 8 == 0:
                plain = unpad80(des3_cbc_decrypt(self.s_enc, body))
            if plain is None:
                self.close()
                refuse(SW_SECURITY_NOT_SATISFIED)
            body = plain
        header = command.header() + bytes((len(body) + 8,))
        if retail_mac(self.s_cmac, header + body, self.icv()) != mac:
            self.close()
            refuse(SW_SECURITY_NOT_SATISFIED)
        self.last_mac = mac
        command.cla &= ~bit & 0xFF
        command.data = bytes(body)
        self.note_r_command(command)
        return command.encode()

    def note_r_command(self, command: Command) -> None:
        """What the R-MAC covers of the command (E.4.5): the command as the application sees it,
        class byte without channel and secure messaging bits, with Lc (00 for none)."""
        cla = command.cla & (0x80 if command.cla & 0x40 else 0xF8)
        self.r_command = command.header(cla) + bytes((len(command.data),)) + command.data

    def response_overhead(self) -> int:
        return 8 if self.state == SessionState.AUTHENTICATED and self.level & R_MAC else 0

    def wrap(self, data: bytes, sw: int) -> bytes:
        """R-MAC (E.4.5, a key set whose i has b6): the retail MAC under the R-MAC key, ICV the
        previous R-MAC, over the command || Li || response data || SW; on every response."""
        if self.state != SessionState.AUTHENTICATED or not self.level & R_MAC:
            return data
        covered = self.r_command + bytes((len(data),)) + data + sw.to_bytes(2, "big")
        self.last_rmac = retail_mac(self.s_rmac, covered, self.last_rmac)
        return data + self.last_rmac

    def decrypt_data(self, data: bytes) -> bytes:
        if len(data) % 8:
            refuse(0x6A80)
        return des3_ecb_decrypt(self.s_dek, data)

    def encrypt_data(self, data: bytes) -> bytes:
        if len(data) % 8:
            refuse(0x6A80)
        return des3_ecb_encrypt(self.s_dek, data)
