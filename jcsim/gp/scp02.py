"""SCP02, host side (GP Card Specification v2.2 Appendix E), options i = 15 and 55 (35 and 75
announce R-MAC; 05, 25, 45, 65 are the same without ICV encryption): three static triple-DES
keys, explicit initiation, C-MAC on the modified APDU.

- Session keys (§E.4.1): 3DES-CBC(static key, ICV zero, constant || sequence counter || 12 x 00)
  with constants C-MAC 01 01 and R-MAC 01 02 (static MAC key), S-ENC 01 82 (static ENC), DEK
  01 81 (static DEK).
- Cryptograms (§E.4.2): full 3DES MAC with S-ENC, ICV zero; card = over host challenge ||
  sequence counter || card challenge, host = over sequence counter || card challenge || host
  challenge.
- C-MAC (§E.4.4): retail MAC with the C-MAC key over CLA' INS P1 P2 Lc' data, CLA' carrying the
  secure messaging bit and Lc' counting the MAC. The ICV is zero for EXTERNAL AUTHENTICATE and
  then the previous C-MAC, encrypted with single DES under the key's first half when i b5 = 1.
- C-DECRYPTION (§E.4.6): the data (MACed in clear) padded 80 00.. and 3DES-CBC encrypted with
  S-ENC, ICV zero; a command without data is not encrypted.
- R-MAC (§E.4.5): retail MAC with the R-MAC key, ICV the previous R-MAC (zero at first), over
  the command as the application sees it (CLA without channel and secure messaging bits, INS,
  P1, P2, Lc, data) || Li || response data || SW; appended to every response.
- Keys for PUT KEY (§E.4.7): 3DES-ECB under the DEK session key, check value 3DES(key, 8 x 00)
  [:3].
"""

from __future__ import annotations

from jcsim.apdu import CommandAPDU
from jcsim.errors import MalformedAPDUError
from jcsim.gp._crypto import (
    des3_cbc_encrypt,
    des3_ecb_encrypt,
    des3_kcv,
    des3_mac,
    des_ecb_encrypt,
    pad80,
    retail_mac,
)
from jcsim.gp.session import (
    C_DECRYPTION,
    C_MAC,
    R_MAC,
    InitializeUpdateAnswer,
    KeySet,
    ResponseCheckError,
    SecureSession,
    secure_cla,
)

__all__ = ["SCP02Session", "session_key"]

CONSTANT_C_MAC = b"\x01\x01"
CONSTANT_R_MAC = b"\x01\x02"
CONSTANT_DEK = b"\x01\x81"
CONSTANT_ENC = b"\x01\x82"
MAC_LENGTH = 8
I_ICV_ENCRYPTION = 0x10
SUPPORTED_I = (0x05, 0x15, 0x25, 0x35, 0x45, 0x55, 0x65, 0x75)


def session_key(static_key: bytes, constant: bytes, sequence_counter: bytes) -> bytes:
    """An SCP02 session key (§E.4.1)."""
    return des3_cbc_encrypt(static_key, constant + sequence_counter + bytes(12))


class SCP02Session(SecureSession):
    """An SCP02 session. Security levels 00, 01, 03, 11, 13. ``i`` (not in the card's answer)
    is 55 unless given."""

    protocol = "SCP02"
    levels = (0x00, 0x01, 0x03, 0x11, 0x13)

    def __init__(self, keys: KeySet, host_challenge: bytes, answer: InitializeUpdateAnswer,
                 security_level: int, channel: int = 0, *, i: int = 0x55) -> None:
        if i not in SUPPORTED_I:
            raise ValueError(f"SCP02 i={i:02X} is not supported (three keys, explicit "
                             "initiation, C-MAC on the modified APDU: 05, 15, 25, 35, 45, 55, 65, "
                             "75)")
        if len(keys.enc) != 16 and len(keys.enc) != 24:
            raise ValueError("SCP02 keys are 16-byte (or 24-byte) triple-DES keys")
        if len(host_challenge) != 8:
            raise ValueError("SCP02 takes an 8-byte host challenge")
        self.i = i
        super().__init__(keys, host_challenge, answer, security_level, channel)

    def derive_session_keys(self) -> None:
        counter = self.answer.sequence_counter
        self.s_enc = session_key(self.keys.enc, CONSTANT_ENC, counter)
        self.s_mac = session_key(self.keys.mac, CONSTANT_C_MAC, counter)
        self.s_rmac = session_key(self.keys.mac, CONSTANT_R_MAC, counter)
        self.s_dek = session_key(self.keys.dek, CONSTANT_DEK, counter)
        self.last_mac: bytes | None = None
        self.r_icv = bytes(8)
        self._r_command = b""

    def card_cryptogram(self) -> bytes:
        a = self.answer
        return des3_mac(self.s_enc, self.host_challenge + a.sequence_counter + a.card_challenge)

    def host_cryptogram(self) -> bytes:
        a = self.answer
        return des3_mac(self.s_enc, a.sequence_counter + a.card_challenge + self.host_challenge)

    def _next_icv(self) -> bytes:
        if self.last_mac is None:
            return bytes(8)
        if self.i & I_ICV_ENCRYPTION:
            return des_ecb_encrypt(self.s_mac[:8], self.last_mac)
        return self.last_mac

    def _c_mac(self, parsed: CommandAPDU) -> bytes:
        covered = bytes(CommandAPDU(secure_cla(parsed.cla), parsed.ins, parsed.p1, parsed.p2,
                                    parsed.data + bytes(MAC_LENGTH), None, parsed.extended))
        self.last_mac = retail_mac(self.s_mac, covered[:-MAC_LENGTH], self._next_icv())
        return self.last_mac

    def _authenticate(self, command: bytes) -> bytes:
        parsed = CommandAPDU.from_bytes(command)
        mac = self._c_mac(parsed)
        return bytes(CommandAPDU(secure_cla(parsed.cla), parsed.ins, parsed.p1, parsed.p2,
                                 parsed.data + mac))

    def _wrap(self, command: bytes) -> bytes:
        try:
            parsed = CommandAPDU.from_bytes(command)
        except MalformedAPDUError as exc:
            raise ValueError(f"cannot wrap a malformed command: {exc}") from exc
        if self.security_level & R_MAC:
            base = parsed.cla & (0x80 if parsed.cla & 0x40 else 0xF8)
            self._r_command = bytes((base, parsed.ins, parsed.p1, parsed.p2)) + \
                len(parsed.data).to_bytes(1 if len(parsed.data) < 256 else 3, "big") + parsed.data
        if not self.security_level & C_MAC:
            return command
        mac = self._c_mac(parsed)
        data = parsed.data
        if self.security_level & C_DECRYPTION and data:
            data = des3_cbc_encrypt(self.s_enc, pad80(data, 8))
        ne = parsed.ne
        if ne is not None and ne < 256:
            ne = 256
        return bytes(CommandAPDU(secure_cla(parsed.cla), parsed.ins, parsed.p1, parsed.p2,
                                 data + mac, ne, parsed.extended))

    def _unwrap(self, response: bytes) -> bytes:
        if not self.security_level & R_MAC:
            return response
        data, sw = response[:-2], response[-2:]
        if len(data) < MAC_LENGTH:
            raise ResponseCheckError("the response has no R-MAC")
        body, mac = data[:-MAC_LENGTH], data[-MAC_LENGTH:]
        covered = self._r_command + len(body).to_bytes(1 if len(body) < 256 else 3, "big") + \
            body + sw
        expected = retail_mac(self.s_rmac, covered, self.r_icv)
        if not _equal(mac, expected):
            raise ResponseCheckError("the response's R-MAC is wrong")
        self.r_icv = expected
        return body + sw

    def encrypt_key(self, key: bytes) -> bytes:
        if len(key) != 16:
            raise ValueError("SCP02 PUT KEY carries 16-byte triple-DES keys")
        return des3_ecb_encrypt(self.s_dek, key)

    def key_check_value(self, key: bytes) -> bytes:
        return des3_kcv(key)


def _equal(a: bytes, b: bytes) -> bool:
    import hmac

    return hmac.compare_digest(a, b)
