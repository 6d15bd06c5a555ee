"""SCP03, host side (GP Card Specification v2.3 Amendment D): AES-128/192/256, in S8 mode
(8-byte challenges, cryptograms and MACs) and S16 mode (16 bytes each, Amendment D v1.2), the
mode following the length of the card's challenge.

- Session keys (§6.2.1): S-ENC = KDF(ENC, 04), S-MAC = KDF(MAC, 06), S-RMAC = KDF(MAC, 07), each
  as long as the static key, with context = host challenge || card challenge.
- Cryptograms (§6.2.2): card = KDF(S-MAC, 00, L), host = KDF(S-MAC, 01, L), L = 64 bits in S8
  and 128 in S16.
- C-MAC (§6.2.4): chaining value = AES-CMAC(S-MAC, chaining || CLA' INS P1 P2 Lc' data), where
  CLA' is the proprietary class on channel zero with the secure messaging bit (84) and Lc'
  counts the MAC; the first 8 bytes go to the card. The chaining value starts at zero for
  EXTERNAL AUTHENTICATE. (S16: all 16 bytes go to the card, here and in the R-MAC.)
- C-DECRYPTION (§6.2.6): an encryption counter, incremented for every command of the session;
  ICV = AES(S-ENC, counter as 16 bytes); data padded 80 00.. and AES-CBC encrypted before the
  C-MAC is computed. A command without data is not encrypted (the counter still counts it).
- R-MAC (§6.2.5): AES-CMAC(S-RMAC, chaining value of the command || data || SW), first 8 bytes
  after the data. Error status words (not 9000, 62xx, 63xx) come back bare.
- R-ENCRYPTION (§6.2.7): ICV = AES(S-ENC, 80 || counter bytes 2..16); response data padded and
  encrypted before the R-MAC.
- Keys for PUT KEY (GPCS §11.8.2.3, Amd D §7.2): AES-CBC with ICV zero under the static DEK,
  check value AES(key, 16 x 01)[:3].
"""

from __future__ import annotations

from jcsim.apdu import CommandAPDU
from jcsim.errors import MalformedAPDUError
from jcsim.gp._crypto import (
    aes_cbc_decrypt,
    aes_cbc_encrypt,
    aes_cmac,
    aes_ecb_encrypt,
    aes_kcv,
    pad80,
    scp03_kdf,
    unpad80,
)
from jcsim.gp.session import (
    C_DECRYPTION,
    C_MAC,
    R_ENCRYPTION,
    R_MAC,
    ResponseCheckError,
    SecureSession,
    is_success,
    secure_cla,
)

__all__ = [
    "CARD_CHALLENGE",
    "CARD_CRYPTOGRAM",
    "HOST_CRYPTOGRAM",
    "S_ENC",
    "S_MAC",
    "S_RMAC",
    "SCP03Session",
    "pseudo_random_card_challenge",
]

CARD_CRYPTOGRAM, HOST_CRYPTOGRAM, CARD_CHALLENGE = 0x00, 0x01, 0x02
S_ENC, S_MAC, S_RMAC = 0x04, 0x06, 0x07

# The i parameter's bits (Amd D §5.1).
I_PSEUDO_RANDOM_CHALLENGE = 0x10
I_R_MAC = 0x20
I_R_ENC = 0x40


def pseudo_random_card_challenge(static_enc: bytes, sequence_counter: bytes, aid: bytes,
                                 size: int = 8) -> bytes:
    """The card challenge a card with i b5 = 1 derives (Amd D §6.2.2.1); ``size`` 16 in S16."""
    return scp03_kdf(static_enc, CARD_CHALLENGE, sequence_counter + aid, size * 8)


class SCP03Session(SecureSession):
    """An SCP03 session (S8 or S16). Security levels 00, 01, 03, 11, 13, 33; R-MAC and R-ENC only
    when the card's i parameter says it supports them."""

    protocol = "SCP03"
    levels = (0x00, 0x01, 0x03, 0x11, 0x13, 0x33)

    def derive_session_keys(self) -> None:
        i = self.answer.i or 0
        if self.security_level & R_MAC and not i & I_R_MAC:
            raise ValueError(f"the card (i={i:02X}) does not support R-MAC")
        if self.security_level & R_ENCRYPTION and not i & I_R_ENC:
            raise ValueError(f"the card (i={i:02X}) does not support R-ENCRYPTION")
        self.mac_length = len(self.answer.card_challenge)
        if len(self.host_challenge) != self.mac_length:
            raise ValueError(f"a {len(self.host_challenge)}-byte host challenge cannot open an "
                             f"S{self.mac_length} session")
        context = self.host_challenge + self.answer.card_challenge
        bits = len(self.keys.enc) * 8
        self.s_enc = scp03_kdf(self.keys.enc, S_ENC, context, bits)
        self.s_mac = scp03_kdf(self.keys.mac, S_MAC, context, bits)
        self.s_rmac = scp03_kdf(self.keys.mac, S_RMAC, context, bits)
        self.chaining = bytes(16)
        self.counter = 0
        self._context = context

    def card_cryptogram(self) -> bytes:
        return scp03_kdf(self.s_mac, CARD_CRYPTOGRAM, self._context, self.mac_length * 8)

    def host_cryptogram(self) -> bytes:
        return scp03_kdf(self.s_mac, HOST_CRYPTOGRAM, self._context, self.mac_length * 8)

    def _mac_command(self, command: CommandAPDU, data: bytes) -> bytes:
        # The MAC covers the class on channel zero: the same bytes on every logical channel.
        mac_cla = (command.cla & 0x80) | 0x04
        covered = CommandAPDU(mac_cla, command.ins, command.p1, command.p2,
                              data + bytes(self.mac_length), None, command.extended)
        self.chaining = aes_cmac(self.s_mac, self.chaining + bytes(covered)[:-self.mac_length])
        return self.chaining[:self.mac_length]

    def _authenticate(self, command: bytes) -> bytes:
        parsed = CommandAPDU.from_bytes(command)
        mac = self._mac_command(parsed, parsed.data)
        return bytes(CommandAPDU(secure_cla(parsed.cla), parsed.ins, parsed.p1, parsed.p2,
                                 parsed.data + mac))

    def _wrap(self, command: bytes) -> bytes:
        if not self.security_level & C_MAC:
            return command
        try:
            parsed = CommandAPDU.from_bytes(command)
        except MalformedAPDUError as exc:
            raise ValueError(f"cannot wrap a malformed command: {exc}") from exc
        self.counter += 1
        data = parsed.data
        if self.security_level & C_DECRYPTION and data:
            icv = aes_ecb_encrypt(self.s_enc, self.counter.to_bytes(16, "big"))
            data = aes_cbc_encrypt(self.s_enc, pad80(data, 16), icv)
        if len(data) + self.mac_length > 65535:
            raise ValueError("the command data is too long to carry a C-MAC")
        mac = self._mac_command(parsed, data)
        ne = parsed.ne
        if ne is not None and ne < 256:
            # R-MAC and padding lengthen the answer: ask for up to 256 bytes as Le = 00 does.
            ne = 256
        return bytes(CommandAPDU(secure_cla(parsed.cla), parsed.ins, parsed.p1, parsed.p2,
                                 data + mac, ne, parsed.extended))

    def _unwrap(self, response: bytes) -> bytes:
        if not self.security_level & R_MAC:
            return response
        data, sw = response[:-2], response[-2:]
        if not is_success((sw[0] << 8) | sw[1]):
            if data:
                raise ResponseCheckError("an error status word came with data under R-MAC")
            return response
        if len(data) < self.mac_length:
            raise ResponseCheckError("the response has no R-MAC")
        body, mac = data[:-self.mac_length], data[-self.mac_length:]
        expected = aes_cmac(self.s_rmac, self.chaining + body + sw)[:self.mac_length]
        if not _equal(mac, expected):
            raise ResponseCheckError("the response's R-MAC is wrong")
        if self.security_level & R_ENCRYPTION and body:
            if len(body) % 16:
                raise ResponseCheckError("encrypted response data is not a multiple of 16 bytes")
            icv = aes_ecb_encrypt(self.s_enc, b"\x80" + self.counter.to_bytes(15, "big"))
            plain = unpad80(aes_cbc_decrypt(self.s_enc, body, icv))
            if plain is None:
                raise ResponseCheckError("the decrypted response data has no 80 00.. padding")
            body = plain
        return body + sw

    def encrypt_key(self, key: bytes) -> bytes:
        # A 24-byte key is padded with zeros to whole blocks; PUT KEY says its clear length.
        return aes_cbc_encrypt(self.keys.dek, key + bytes(-len(key) % 16))

    def key_check_value(self, key: bytes) -> bytes:
        return aes_kcv(key)


def _equal(a: bytes, b: bytes) -> bool:
    import hmac

    return hmac.compare_digest(a, b)
