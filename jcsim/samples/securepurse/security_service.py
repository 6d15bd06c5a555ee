"""``MySecurityService``: authentication and per-command integrity for the secure purse.

The programming notes' SecureRMIPurse security service, with a real MAC (see ``protocol`` for
the bytes). It is registered for the input phase, so it sees every command before the RMI
service:

- the SELECT that selects the applet ends the previous session (PINs no longer validated, no
  session key);
- ``AUTHENTICATE`` checks a principal's PIN and, if right, derives a session key; the command is
  then processed here (the RMI service leaves it alone);
- any other proprietary command, once a session key exists, must end with a counter and a MAC:
  the service checks them, removes them from the command (the CSF's Lc shrinks) and records
  whether the command was integrity-protected, for ``isCommandSecure``.

A command that fails the check is not refused here: the remote object decides, through
``isCommandSecure`` / ``isAuthenticated``, what it allows.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from jcsim.framework import ISO7816, JCSystem, OwnerPIN, Util
from jcsim.framework.casts import ushort
from jcsim.framework.service import BasicService, SecurityService, ServiceException
from jcsim.samples.securepurse.protocol import (
    CHALLENGE_LENGTH,
    COUNTER_LENGTH,
    DERIVATION_TAG,
    INS_AUTHENTICATE,
    KEY_LENGTH,
    MAC_LENGTH,
    PIN_LENGTH,
)
from jcsim.security import AESKey, KeyBuilder, RandomData, Signature

__all__ = ["MySecurityService"]

log = logging.getLogger("jcsim.samples.securepurse.security")

PIN_TRY_LIMIT = 3
_SESSION = 0  # flags: a session key exists
_COMMAND_SECURE = 1  # flags: the current command's MAC and counter were right
_TRAILER = COUNTER_LENGTH + MAC_LENGTH
_ALL_PROPERTIES = (SecurityService.PROPERTY_INPUT_CONFIDENTIALITY
                   | SecurityService.PROPERTY_INPUT_INTEGRITY
                   | SecurityService.PROPERTY_OUTPUT_CONFIDENTIALITY
                   | SecurityService.PROPERTY_OUTPUT_INTEGRITY)


class MySecurityService(BasicService, SecurityService):
    """PINs for the cardholder and the application provider; AES-CMAC command integrity."""

    def __init__(self, personalisation: Any, offset: int) -> None:
        self.cardholderPIN = OwnerPIN(PIN_TRY_LIMIT, PIN_LENGTH)
        self.cardholderPIN.update(personalisation, offset, PIN_LENGTH)
        self.providerPIN = OwnerPIN(PIN_TRY_LIMIT, PIN_LENGTH)
        self.providerPIN.update(personalisation, offset + PIN_LENGTH, PIN_LENGTH)
        # Java's (AESKey) casts: buildKey is declared to return a Key.
        self.staticKey = cast(AESKey, KeyBuilder.buildKey(KeyBuilder.TYPE_AES,
                                                          KeyBuilder.LENGTH_AES_128, False))
        self.staticKey.setKey(personalisation, offset + 2 * PIN_LENGTH)
        self.sessionKey = cast(AESKey, KeyBuilder.buildKey(KeyBuilder.TYPE_AES_TRANSIENT_DESELECT,
                                                           KeyBuilder.LENGTH_AES_128, False))
        self.mac = Signature.getInstance(Signature.ALG_AES_CMAC_128, False)
        self.random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM)
        self.flags = JCSystem.makeTransientBooleanArray(2, JCSystem.CLEAR_ON_DESELECT)
        self.lastCounter = JCSystem.makeTransientShortArray(1, JCSystem.CLEAR_ON_DESELECT)
        self.scratch = JCSystem.makeTransientByteArray(2 + 2 * CHALLENGE_LENGTH + KEY_LENGTH,
                                                       JCSystem.CLEAR_ON_DESELECT)

    # --- the input phase ---------------------------------------------------------------------

    def processDataIn(self, apdu: Any) -> bool:
        if self.selectingApplet():
            self._end_session()
            return False
        self.flags[_COMMAND_SECURE] = False
        if not self.getCLA(apdu) & 0x80:
            return False
        if self.getINS(apdu) == INS_AUTHENTICATE:
            return self._authenticate(apdu)
        if self.flags[_SESSION]:
            self._check_integrity(apdu)
        return False

    def _end_session(self) -> None:
        self.cardholderPIN.reset()
        self.providerPIN.reset()
        self.flags[_SESSION] = False
        self.flags[_COMMAND_SECURE] = False
        self.lastCounter[0] = 0

    def _pin(self, principal: int) -> Any:
        if principal == SecurityService.PRINCIPAL_CARDHOLDER:
            return self.cardholderPIN
        if principal == SecurityService.PRINCIPAL_APP_PROVIDER:
            return self.providerPIN
        return None

    def _authenticate(self, apdu: Any) -> bool:
        principal = self.getP2(apdu)
        length = self.receiveInData(apdu)
        pin = self._pin(principal)
        if pin is None:
            return self.fail(apdu, ISO7816.SW_INCORRECT_P1P2)
        if length != PIN_LENGTH + CHALLENGE_LENGTH:
            return self.fail(apdu, ISO7816.SW_WRONG_LENGTH)
        if pin.getTriesRemaining() == 0:
            return self.fail(apdu, ISO7816.SW_FILE_INVALID)  # 6983: authentication blocked
        buffer = apdu.getBuffer()
        data = ISO7816.OFFSET_CDATA
        if not pin.check(buffer, data, PIN_LENGTH):
            log.debug("MySecurityService: wrong PIN for principal %d, %d tries left",
                      principal, pin.getTriesRemaining())
            return self.fail(apdu, 0x63C0 | pin.getTriesRemaining())
        # Ks = CMAC(K, 01 || principal || host challenge || card challenge)
        scratch = self.scratch
        scratch[0] = DERIVATION_TAG
        scratch[1] = principal
        Util.arrayCopyNonAtomic(buffer, data + PIN_LENGTH, scratch, 2, CHALLENGE_LENGTH)
        self.random.nextBytes(scratch, 2 + CHALLENGE_LENGTH, CHALLENGE_LENGTH)
        derivation = 2 + 2 * CHALLENGE_LENGTH
        self.mac.init(self.staticKey, Signature.MODE_SIGN)
        self.mac.sign(scratch, 0, derivation, scratch, derivation)
        self.sessionKey.setKey(scratch, derivation)
        self.mac.init(self.sessionKey, Signature.MODE_SIGN)
        self.flags[_SESSION] = True
        self.lastCounter[0] = 0
        Util.arrayCopyNonAtomic(scratch, 2 + CHALLENGE_LENGTH, buffer, data, CHALLENGE_LENGTH)
        Util.arrayFillNonAtomic(scratch, 0, len(scratch), 0)
        self.setOutputLength(apdu, CHALLENGE_LENGTH)
        log.debug("MySecurityService: principal %d authenticated; new session key", principal)
        return self.succeed(apdu)

    def _check_integrity(self, apdu: Any) -> None:
        length = self.receiveInData(apdu)
        if length < _TRAILER:
            return
        buffer = apdu.getBuffer()
        data = ISO7816.OFFSET_CDATA
        signed = length - MAC_LENGTH  # the data and the counter
        counter = ushort(Util.getShort(buffer, data + signed - COUNTER_LENGTH))
        # CMAC over CLA INS P1 P2 || data || counter, compared on its first 8 bytes.
        self.mac.update(buffer, 0, 4)
        self.mac.sign(buffer, data, signed, self.scratch, 0)
        good = Util.arrayCompare(self.scratch, 0, buffer, data + signed, MAC_LENGTH) == 0
        fresh = counter > ushort(self.lastCounter[0])
        if good and fresh:
            self.lastCounter[0] = counter
            self.flags[_COMMAND_SECURE] = True
        if log.isEnabledFor(logging.DEBUG):
            if good and fresh:
                verdict = "integrity-protected"
            elif not good:
                verdict = "the MAC does not match (tampered?): not integrity-protected"
            else:
                verdict = (f"not above the last one, {ushort(self.lastCounter[0]):04X} "
                           "(a replay): not integrity-protected")
            log.debug("MySecurityService: counter %04X and MAC checked: %s", counter, verdict)
        # The RMI service gets the command without the trailer, checked or not.
        buffer[ISO7816.OFFSET_LC] = length - _TRAILER

    # --- SecurityService ---------------------------------------------------------------------

    def isAuthenticated(self, principal: int) -> bool:
        if principal == SecurityService.PRINCIPAL_CARD_ISSUER:
            return False
        pin = self._pin(principal)
        if pin is None:
            ServiceException.throwIt(ServiceException.ILLEGAL_PARAM)
        return pin.isValidated()

    @staticmethod
    def _check_properties(properties: int) -> None:
        if properties & ~_ALL_PROPERTIES:
            ServiceException.throwIt(ServiceException.ILLEGAL_PARAM)

    def isChannelSecure(self, properties: int) -> bool:
        """Only input integrity is offered, once a session key exists."""
        self._check_properties(properties)
        return bool(self.flags[_SESSION]) and not (
            properties & ~SecurityService.PROPERTY_INPUT_INTEGRITY)

    def isCommandSecure(self, properties: int) -> bool:
        """Input integrity, for a command whose MAC and counter were right."""
        self._check_properties(properties)
        return bool(self.flags[_COMMAND_SECURE]) and not (
            properties & ~SecurityService.PROPERTY_INPUT_INTEGRITY)
