"""A small model of the card's half of SCP02 / SCP03 for the host codec's property tests: it
checks and opens the host's commands and protects its own responses, from the session keys the
host derived (the keys and cryptograms themselves are pinned by the known-answer tests)."""

from __future__ import annotations

from jcsim.apdu import CommandAPDU
from jcsim.gp._crypto import (
    aes_cbc_decrypt,
    aes_cbc_encrypt,
    aes_cmac,
    aes_ecb_encrypt,
    des3_cbc_decrypt,
    des_ecb_encrypt,
    pad80,
    retail_mac,
    unpad80,
)
from jcsim.gp.scp02 import SCP02Session
from jcsim.gp.scp03 import SCP03Session
from jcsim.gp.session import C_DECRYPTION, R_ENCRYPTION, R_MAC, SecureSession, is_success


class CardRefused(Exception):
    """The model card refuses a command (bad C-MAC or padding)."""


class CardModel:
    def __init__(self, host: SecureSession, external_authenticate: bytes) -> None:
        self.level = host.security_level
        self.s_enc, self.s_mac, self.s_rmac = host.s_enc, host.s_mac, host.s_rmac
        self.scp03 = isinstance(host, SCP03Session)
        self.icv_encryption = isinstance(host, SCP02Session) and bool(host.i & 0x10)
        self.mac_length = getattr(host, "mac_length", 8)
        self.chaining = bytes(16)
        self.counter = 0
        self.last_mac: bytes | None = None
        self.r_icv = bytes(8)
        self.r_command = b""
        self.check_mac(CommandAPDU.from_bytes(external_authenticate), None)

    def check_mac(self, wire: CommandAPDU, plain: bytes | None) -> None:
        size = self.mac_length
        data, mac = wire.data[:-size], wire.data[-size:]
        if self.scp03:
            covered = bytes(CommandAPDU(0x84, wire.ins, wire.p1, wire.p2, wire.data, None,
                                        wire.extended))[:-size]
            self.chaining = aes_cmac(self.s_mac, self.chaining + covered)
            expected = self.chaining[:size]
        else:
            body = data if plain is None else plain
            covered = bytes(CommandAPDU(wire.cla, wire.ins, wire.p1, wire.p2, body + mac, None,
                                        wire.extended))[:-8]
            icv = bytes(8) if self.last_mac is None else (
                des_ecb_encrypt(self.s_mac[:8], self.last_mac) if self.icv_encryption
                else self.last_mac)
            expected = retail_mac(self.s_mac, covered, icv)
            self.last_mac = expected
        if expected != mac:
            raise CardRefused("C-MAC")

    def open_command(self, raw: bytes) -> CommandAPDU:
        wire = CommandAPDU.from_bytes(raw)
        sm_bit = 0x20 if wire.cla & 0x40 else 0x04
        if not wire.cla & sm_bit:
            return wire
        data = wire.data[:-self.mac_length]
        plain = data
        if self.scp03:
            self.counter += 1
            self.check_mac(wire, None)
            if self.level & C_DECRYPTION and data:
                icv = aes_ecb_encrypt(self.s_enc, self.counter.to_bytes(16, "big"))
                plain = unpad80(aes_cbc_decrypt(self.s_enc, data, icv))
        else:
            if self.level & C_DECRYPTION and data:
                plain = unpad80(des3_cbc_decrypt(self.s_enc, data))
            if plain is None:
                raise CardRefused("padding")
            self.check_mac(wire, plain)
        if plain is None:
            raise CardRefused("padding")
        opened = CommandAPDU(wire.cla & ~sm_bit, wire.ins, wire.p1, wire.p2, plain, wire.ne)
        if self.level & R_MAC and not self.scp03:
            base = opened.cla & (0x80 if opened.cla & 0x40 else 0xF8)
            self.r_command = bytes((base, opened.ins, opened.p1, opened.p2)) + \
                len(plain).to_bytes(1 if len(plain) < 256 else 3, "big") + plain
        return opened

    def protect_response(self, data: bytes, sw: int) -> bytes:
        sw_bytes = sw.to_bytes(2, "big")
        if not self.level & R_MAC:
            return data + sw_bytes
        if self.scp03:
            if not is_success(sw):
                return sw_bytes
            if self.level & R_ENCRYPTION and data:
                icv = aes_ecb_encrypt(self.s_enc, b"\x80" + self.counter.to_bytes(15, "big"))
                data = aes_cbc_encrypt(self.s_enc, pad80(data, 16), icv)
            mac = aes_cmac(self.s_rmac, self.chaining + data + sw_bytes)[:self.mac_length]
            return data + mac + sw_bytes
        covered = self.r_command + len(data).to_bytes(1 if len(data) < 256 else 3, "big") + \
            data + sw_bytes
        self.r_icv = retail_mac(self.s_rmac, covered, self.r_icv)
        return data + self.r_icv + sw_bytes
