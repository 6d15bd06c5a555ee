"""A minimal host side of SCP03 and SCP02 for driving the card in tests (the product's host
client is ``jcsim.gp``). It opens a session on one logical channel, wraps commands and checks
and unwraps responses, using the card-independent primitives checked against public vectors."""

from __future__ import annotations

from typing import Any

from jcsim.runtime.gp.primitives import (
    aes_cbc_decrypt,
    aes_cbc_encrypt,
    aes_cmac,
    aes_ecb,
    des3_cbc_encrypt,
    des_ecb_encrypt,
    full_des3_mac,
    pad80,
    retail_mac,
    scp03_kdf,
    unpad80,
)
from jcsim.runtime.gp.scp02 import session_key

DEFAULT_KEY = bytes(range(0x40, 0x50))


class HostError(AssertionError):
    pass


def _with_channel(cla: int, channel: int) -> int:
    if channel < 4:
        return cla & 0xFC | channel
    return cla & 0xB0 | 0x40 | (channel - 4)


def _secure(cla: int, channel: int) -> int:
    """The class byte with secure messaging indicated (b3, or b6 on channels 4-19)."""
    if channel < 4:
        return _with_channel(cla | 0x04, channel)
    return _with_channel(cla, channel) | 0x20


def _mac_cla(cla: int) -> int:
    # The C-MAC covers the class byte on channel zero with b3 set (Amendment D §6.2.4).
    return cla & (0x90 if cla & 0x40 else 0xF0) | 0x04


class Scp03Host:
    def __init__(self, sim: Any, channel: int = 0, enc: bytes = DEFAULT_KEY,
                 mac: bytes = DEFAULT_KEY, dek: bytes = DEFAULT_KEY, kvn: int = 0x30,
                 host_challenge: bytes = bytes(range(8))) -> None:
        self.sim, self.channel = sim, channel
        self.enc, self.mac, self.dek, self.kvn = enc, mac, dek, kvn
        self.host_challenge = host_challenge
        self.level = 0
        self.counter = 0
        self.chaining = bytes(16)

    def send(self, raw: bytes) -> Any:
        cla = _with_channel(raw[0], self.channel)
        return self.sim.transmit(bytes((cla,)) + raw[1:])

    def initialize_update(self) -> Any:
        return self.send(bytes((0x80, 0x50, self.kvn, 0, len(self.host_challenge)))
                         + self.host_challenge + b"\x00")

    def open(self, level: int = 0x01, tamper_cryptogram: bool = False) -> Any:
        response = self.initialize_update()
        if response.sw != 0x9000:
            return response
        data = response.data
        size = len(self.host_challenge)
        self.card_challenge = data[13:13 + size]
        context = self.host_challenge + self.card_challenge
        bits = len(self.enc) * 8
        self.s_enc = scp03_kdf(self.enc, 4, context, bits)
        self.s_mac = scp03_kdf(self.mac, 6, context, bits)
        self.s_rmac = scp03_kdf(self.mac, 7, context, bits)
        if scp03_kdf(self.s_mac, 0, context, size * 8) != data[13 + size:13 + 2 * size]:
            raise HostError("card cryptogram")
        host = scp03_kdf(self.s_mac, 1, context, size * 8)
        if tamper_cryptogram:
            host = bytes((host[0] ^ 1,)) + host[1:]
        header = bytes((_secure(0x80, self.channel), 0x82, level, 0, 2 * size))
        self.chaining = aes_cmac(self.s_mac, bytes(16) + bytes((_mac_cla(header[0]),))
                                 + header[1:] + host)
        response = self.sim.transmit(header + host + self.chaining[:size])
        self.level = level
        self.counter = 0
        self.size = size
        return response

    def wrap(self, raw: bytes) -> bytes:
        cla, ins, p1, p2 = raw[:4]
        data = raw[5:5 + raw[4]] if len(raw) > 5 else b""
        le = raw[5 + len(data):] if len(raw) > 5 else raw[4:5]
        self.counter += 1
        if not self.level & 1:
            return bytes((_with_channel(cla, self.channel),)) + raw[1:]
        if data and self.level & 2:
            icv = aes_ecb(self.s_enc, self.counter.to_bytes(16, "big"))
            data = aes_cbc_encrypt(self.s_enc, icv, pad80(data, 16))
        header = bytes((_secure(cla, self.channel), ins, p1, p2, len(data) + self.size))
        self.chaining = aes_cmac(self.s_mac, self.chaining + bytes((_mac_cla(header[0]),))
                                 + header[1:] + data)
        return header + data + self.chaining[:self.size] + le

    def transmit(self, raw: bytes) -> tuple[bytes, int]:
        response = self.sim.transmit(self.wrap(raw))
        return self.unwrap(response.data, response.sw), response.sw

    def unwrap(self, data: bytes, sw: int) -> bytes:
        if not self.level & 0x10 or sw != 0x9000 and sw >> 8 not in (0x62, 0x63):
            return data
        body, mac = data[:-self.size], data[-self.size:]
        expected = aes_cmac(self.s_rmac, self.chaining + body + sw.to_bytes(2, "big"))
        if expected[:self.size] != mac:
            raise HostError("R-MAC")
        if body and self.level & 0x20:
            icv = aes_ecb(self.s_enc, b"\x80" + self.counter.to_bytes(16, "big")[1:])
            body = unpad80(aes_cbc_decrypt(self.s_enc, icv, body))
        return body

    def put_key_block(self, key: bytes) -> bytes:
        return bytes((0x88, len(key) + 1, len(key))) + aes_cbc_encrypt(self.dek, bytes(16),
                                                                    key) + b"\x03" + \
            aes_ecb(key, b"\x01" * 16)[:3]


class Scp02Host:
    size = 8

    def __init__(self, sim: Any, channel: int = 0, enc: bytes = DEFAULT_KEY,
                 mac: bytes = DEFAULT_KEY, dek: bytes = DEFAULT_KEY, kvn: int = 0x20,
                 host_challenge: bytes = bytes(range(8))) -> None:
        self.sim, self.channel = sim, channel
        self.enc, self.mac, self.dek, self.kvn = enc, mac, dek, kvn
        self.host_challenge = host_challenge
        self.level = 0

    def open(self, level: int = 0x01, tamper_cryptogram: bool = False) -> Any:
        response = self.sim.transmit(bytes((_with_channel(0x80, self.channel), 0x50, self.kvn,
                                            0, 8)) + self.host_challenge + b"\x00")
        if response.sw != 0x9000:
            return response
        data = response.data
        sequence, card_challenge = data[12:14], data[14:20]
        self.s_enc = session_key(self.enc, 0x0182, sequence)
        self.s_cmac = session_key(self.mac, 0x0101, sequence)
        self.s_dek = session_key(self.dek, 0x0181, sequence)
        if full_des3_mac(self.s_enc, self.host_challenge + sequence + card_challenge) != \
                data[20:28]:
            raise HostError("card cryptogram")
        host = full_des3_mac(self.s_enc, sequence + card_challenge + self.host_challenge)
        if tamper_cryptogram:
            host = bytes((host[0] ^ 1,)) + host[1:]
        header = bytes((_secure(0x80, self.channel), 0x82, level, 0, 16))
        self.last_mac = retail_mac(self.s_cmac, header + host)
        self.level = level
        return self.sim.transmit(header + host + self.last_mac)

    def wrap(self, raw: bytes) -> bytes:
        cla, ins, p1, p2 = raw[:4]
        data = raw[5:5 + raw[4]] if len(raw) > 5 else b""
        le = raw[5 + len(data):] if len(raw) > 5 else raw[4:5]
        if not self.level & 1:
            return bytes((_with_channel(cla, self.channel),)) + raw[1:]
        cla = _secure(cla, self.channel)
        header = bytes((cla, ins, p1, p2, len(data) + 8))
        icv = des_ecb_encrypt(self.s_cmac[:8], self.last_mac)
        self.last_mac = retail_mac(self.s_cmac, header + data, icv)
        if data and self.level & 2:
            data = des3_cbc_encrypt(self.s_enc, pad80(data, 8))
        return bytes((cla, ins, p1, p2, len(data) + 8)) + data + self.last_mac + le

    def transmit(self, raw: bytes) -> tuple[bytes, int]:
        response = self.sim.transmit(self.wrap(raw))
        return response.data, response.sw
