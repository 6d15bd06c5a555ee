"""``Vault``: a secret that only a host holding the card's secure channel keys can set or read.

The applet does no cryptography of its own. It forwards INITIALIZE UPDATE and EXTERNAL
AUTHENTICATE to ``GPSystem.getSecureChannel().processSecurity``, so the host opens an SCP03 or
SCP02 session with the issuer security domain's keys on the vault's logical channel; then it
``unwrap``s each protected command and ``wrap``s each answer. It checks the session's security
level itself:

- INS 10 PUT SECRET (data: the secret, up to 32 bytes): needs an authenticated session with
  C-MAC and C-DECRYPTION, so the secret never crosses in clear;
- INS 20 GET SECRET: needs an authenticated session with C-MAC; the answer is R-MAC'd and
  R-encrypted when the session level asks for it;
- INS 30 GET LEVEL: the current security level in one byte, in clear.

Any other protection is 6982. The vault is MultiSelectable: each logical channel has its own
session.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ByteArray,
    ISOException,
    MultiSelectable,
    Util,
)
from jcsim.globalplatform import GPSystem, SecureChannel

INS_INITIALIZE_UPDATE = 0x50
INS_EXTERNAL_AUTHENTICATE = 0x82
INS_PUT_SECRET = 0x10
INS_GET_SECRET = 0x20
INS_GET_LEVEL = 0x30
MAX_SECRET = 32


class Vault(Applet, MultiSelectable):
    """A secret behind the secure channel (see the module documentation)."""

    def __init__(self) -> None:
        self.secret = ByteArray(MAX_SECRET)
        self.secret_length = 0
        self.register()

    @staticmethod
    def install(bArray: Any, bOffset: int, bLength: int) -> None:
        Vault()

    def select(self, appInstAlreadyActive: bool | None = None) -> bool:
        return True

    def deselect(self, appInstStillActive: bool | None = None) -> None:
        GPSystem.getSecureChannel().resetSecurity()

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        channel = GPSystem.getSecureChannel()
        if ins in (INS_INITIALIZE_UPDATE, INS_EXTERNAL_AUTHENTICATE):
            length = channel.processSecurity(apdu)
            if length:
                apdu.setOutgoingAndSend(ISO7816.OFFSET_CDATA, length)
            return
        if ins == INS_GET_LEVEL:
            buf[0] = channel.getSecurityLevel() & 0xFF
            apdu.setOutgoingAndSend(0, 1)
            return
        if ins not in (INS_PUT_SECRET, INS_GET_SECRET):
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        cla = buf[ISO7816.OFFSET_CLA]
        # Secure messaging is b3 of the class byte on channels 0-3, b6 on channels 4-19.
        if not cla & (0x20 if cla & 0x40 else 0x04):
            ISOException.throwIt(ISO7816.SW_SECURITY_STATUS_NOT_SATISFIED)
        received = apdu.setIncomingAndReceive()
        length = channel.unwrap(buf, 0, ISO7816.OFFSET_CDATA + received)
        level = channel.getSecurityLevel() & 0xFF
        needed = SecureChannel.AUTHENTICATED & 0xFF | SecureChannel.C_MAC
        if ins == INS_PUT_SECRET:
            needed |= SecureChannel.C_DECRYPTION
        if level & needed != needed:
            ISOException.throwIt(ISO7816.SW_SECURITY_STATUS_NOT_SATISFIED)
        if ins == INS_PUT_SECRET:
            data_length = length - ISO7816.OFFSET_CDATA
            if not 0 < data_length <= MAX_SECRET:
                ISOException.throwIt(ISO7816.SW_WRONG_LENGTH)
            Util.arrayCopy(buf, ISO7816.OFFSET_CDATA, self.secret, 0, data_length)
            self.secret_length = data_length
            # An empty answer still carries an R-MAC when the session has one.
            answer = channel.wrap(buf, 0, 0)
            if answer:
                apdu.setOutgoingAndSend(0, answer)
            return
        if self.secret_length == 0:
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        Util.arrayCopyNonAtomic(self.secret, 0, buf, 0, self.secret_length)
        answer = channel.wrap(buf, 0, self.secret_length)
        apdu.setOutgoingAndSend(0, answer)
