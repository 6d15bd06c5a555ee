"""Transient keys lose their value at the card's clear events, driven through a test applet."""

from __future__ import annotations

from jcsim import Simulator
from jcsim.framework import Applet
from jcsim.security import KeyBuilder

KEY_AID = "F0 00 00 00 01 01"
OTHER_AID = "F0 00 00 00 01 02"
KEY_TYPES = (KeyBuilder.TYPE_AES_TRANSIENT_RESET, KeyBuilder.TYPE_AES_TRANSIENT_DESELECT,
             KeyBuilder.TYPE_AES, KeyBuilder.TYPE_DES_TRANSIENT_DESELECT,
             KeyBuilder.TYPE_HMAC_TRANSIENT_RESET, KeyBuilder.TYPE_EC_FP_PRIVATE_TRANSIENT_RESET)


class KeyHolder(Applet):
    """INS 10 sets every key; INS 20 answers one byte per key: 1 if it is initialized."""

    def __init__(self) -> None:
        self.keys = [KeyBuilder.buildKey(t, 128 if t != KeyBuilder.TYPE_EC_FP_PRIVATE_TRANSIENT_RESET
                                         else 256, False) for t in KEY_TYPES]

    def process(self, apdu):
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        if buf[1] == 0x10:
            for key in self.keys:
                if key.getType() == KeyBuilder.TYPE_HMAC_TRANSIENT_RESET:
                    key.setKey(bytes(range(16)), 0, 16)
                elif key.getType() == KeyBuilder.TYPE_EC_FP_PRIVATE_TRANSIENT_RESET:
                    from jcsim.security import ec_curves

                    ec_curves.set_domain_parameters(key, ec_curves.P256)
                    key.setS(b"\x01" * 32, 0, 32)
                else:
                    key.setKey(bytes(range(16)), 0)
        for i, key in enumerate(self.keys):
            buf[i] = 1 if key.isInitialized() else 0
        apdu.setOutgoingAndSend(0, len(self.keys))


class Other(Applet):
    def process(self, apdu):
        return


def _card():
    sim = Simulator()
    sim.install(KeyHolder, KEY_AID)
    sim.install(Other, OTHER_AID)
    assert sim.select(KEY_AID).sw == 0x9000
    assert sim.transmit("00 10 00 00 00").data == bytes([1] * len(KEY_TYPES))
    return sim


def test_card_reset_clears_every_transient_key_and_keeps_persistent_ones():
    sim = _card()
    sim.reset()
    sim.select(KEY_AID)
    assert sim.transmit("00 20 00 00 00").data == bytes([0, 0, 1, 0, 0, 0])


def test_deselect_clears_clear_on_deselect_keys_only():
    sim = _card()
    assert sim.select(OTHER_AID).sw == 0x9000
    sim.select(KEY_AID)
    assert sim.transmit("00 20 00 00 00").data == bytes([1, 0, 1, 0, 1, 1])


def test_keys_built_outside_a_card_remember_their_transient_kind():
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_DES_TRANSIENT_DESELECT, 64, False)
    assert key._transient == 2
    key.setKey(bytes(8), 0)
    key._jc_clear()
    assert not key.isInitialized()
