"""``SmartWallet``: a SmartID profile and an e-cash purse whose value moves over an untrusted
network, the card being the only record of the value.

The card holds a personal profile, a PIN, and a balance that an issuer server credits and
debits remotely (``jcsim.samples.wallet.issuer``). Every movement of value is all or nothing
(``JCSystem`` transactions, JCRE 3.0.5 §7) and proven with an AES-CMAC under the card's own key,
so neither a lost response nor a card torn from the reader loses or creates money: the server
asks the card to repeat its last debit or credit record and settles each one once.

Commands (CLA 80, or 84 wrapped in the secure channel; P1 = P2 = 00 but for the two secure
channel commands; SELECT by AID ``F0 57 41 4C 4C 45 54``):

| INS | name | data | response | status words besides 9000 |
|---|---|---|---|---|
| 01-09 | READ FIELD n | none | 30 bytes ASCII, space padded | 6982 (policy needs the PIN) |
| 11-19 | WRITE FIELD n | 1-30 bytes ASCII 20-7E | none | 6982 (no fresh PIN), 6700, 6A80 |
| 20 | DEBIT | challenge(6) value(2) | proof(8) | 6982, 6700, 6A83, 6A85, 6984 |
| 21 | LAST DEBIT | none | challenge(6) value(2) seq(2) proof(8) | 6A88 (no debit yet) |
| 22 | CREDIT PREPARE | value(2) | card challenge(8) | 6700, 6A83, 6A84 |
| 23 | CREDIT ATTEMPT | response(8) | receipt(8) | 6700, 6985 (nothing pending), 6300 |
| 24 | LAST CREDIT | none | card challenge(8) value(2) receipt(8) | 6A88 (no credit yet) |
| 30 | BALANCE | none | balance(2) | |
| 40 | SUBMIT PIN | PIN (4-8 bytes) | none | 6982 (in clear), 63Cx (x tries), 6983 (blocked), 6700 |
| 41 | CHANGE PIN | new PIN (4-8 digits) | none | 6982 (in clear, or no fresh PIN), 6700, 6A80 |
| 42 | SET POLICY | flags(1) | none | 6982 (no fresh PIN), 6700, 6A80 (bits 4-7) |
| 43 | GET POLICY | none | flags(1) | |
| 44 | UNBLOCK | code(8) [new PIN (4-8 digits)] | none | 6982 (in clear), 63Cx, 6983, 6700, 6A80 |
| 50 | INITIALIZE UPDATE | GP | GP | the issuer security domain's (SecureChannel.processSecurity) |
| 82 | EXTERNAL AUTHENTICATE | GP | none | 6300 (host cryptogram), 6982 |

Every command also answers 6E00 for another CLA, 6D00 for another INS, 6A86 for P1P2 other than
00 00, and 6700 for data where none is expected.

Fields 1-9: username, password, forename, surname, street address, town, county, postcode, card
number. Password and card number are *private*, the others *general*. Policy flags: 01 private
fields need the PIN, 02 ... submitted directly before each read (else once per session), 04 and
08 the same for the general fields; the default is 01.

"Directly before" means the command just before, to this applet, was a successful SUBMIT PIN,
and the command itself comes through the same secure channel (a plain command slipped in on the
wire after it gets 6982): DEBIT, WRITE FIELD, CHANGE PIN and SET POLICY always need that. "Once
per session" means a successful SUBMIT PIN since the card's last reset: both flags live in
CLEAR_ON_RESET memory. A wrong PIN clears both. Amounts are positive shorts (6A83 otherwise); a
debit above the balance answers 6A85, a credit that would take the balance above 32767 answers
6A84. A debit whose challenge equals the last debit's is refused with 6984, so a command
repeated by the network is not paid twice. A wrong CREDIT ATTEMPT spends the pending credit
(6300), so each card challenge allows one guess.

The secure channel is the issuer security domain's (``GPSystem.getSecureChannel()``): INS 50
and 82 open an SCP02 or SCP03 session on the wallet's logical channel. Any command may come
wrapped (secure messaging in the class byte): ``unwrap`` checks it (6982 and the session closed
when its C-MAC or padding is wrong) and the 9000 answer goes out through ``wrap`` (R-MAC,
R-ENCRYPTION when the session has them). SUBMIT PIN, CHANGE PIN and UNBLOCK ("in clear" above)
need a wrapped command in an authenticated session with C-MAC and C-DECRYPTION: the PIN and
the unblock code never cross readable, and a refusal comes before the PIN is checked, so it
costs no try. Other commands are taken in clear too: the value commands carry their own MACs.

Install parameters (the issuer's personalisation, ``protocol.personalisation``):
``key(16) || unblock code(8) || Lpin || PIN || Lnumber || card number``.
"""

from __future__ import annotations

from typing import Any, cast

from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ByteArray,
    ISOException,
    JCSystem,
    OwnerPIN,
    Util,
)
from jcsim.framework.casts import short
from jcsim.globalplatform import GPSystem, SecureChannel
from jcsim.samples.wallet.protocol import (
    CARD_CHALLENGE_LENGTH,
    CARD_NUMBER,
    CREDIT_RECORD_LENGTH,
    DEBIT_RECORD_LENGTH,
    DEFAULT_POLICY,
    FIELD_LENGTH,
    FIELDS,
    INS_BALANCE,
    INS_CHANGE_PIN,
    INS_CREDIT_ATTEMPT,
    INS_CREDIT_PREPARE,
    INS_DEBIT,
    INS_GET_POLICY,
    INS_LAST_CREDIT,
    INS_LAST_DEBIT,
    INS_READ_FIELD,
    INS_SET_POLICY,
    INS_SUBMIT_PIN,
    INS_UNBLOCK,
    INS_WRITE_FIELD,
    KEY_LENGTH,
    MAC_LENGTH,
    MAX_BALANCE,
    PIN_MAX_LENGTH,
    PIN_MIN_LENGTH,
    PIN_TRY_LIMIT,
    POLICY_FLAGS,
    POLICY_GENERAL_EVERY_TIME,
    POLICY_GENERAL_PIN,
    POLICY_PRIVATE_EVERY_TIME,
    POLICY_PRIVATE_PIN,
    PRIVATE_FIELDS,
    SERVER_CHALLENGE_LENGTH,
    SW_BALANCE_LIMIT,
    SW_BLOCKED,
    SW_CHALLENGE_REUSED,
    SW_INSUFFICIENT_FUNDS,
    SW_INVALID_AMOUNT,
    SW_NO_RECORD,
    SW_NOTHING_PENDING,
    SW_PIN_REQUIRED,
    SW_VERIFICATION_FAILED,
    SW_WRONG_PIN,
    TAG_CREDIT,
    TAG_DEBIT,
    TAG_RECEIPT,
    UNBLOCK_CODE_LENGTH,
    UNBLOCK_TRY_LIMIT,
)
from jcsim.security import AESKey, KeyBuilder, RandomData, Signature
from jcsim.testing import tear_hook

__all__ = ["SmartWallet"]

FIELD_COUNT = len(FIELDS)
INS_INITIALIZE_UPDATE = 0x50
INS_EXTERNAL_AUTHENTICATE = 0x82
SPACE = 0x20

# The session access flags (CLEAR_ON_RESET).
PIN_THIS_SESSION = 0
PIN_FRESH = 1

# Offsets in the debit record: challenge || value || sequence || proof.
DEBIT_VALUE = SERVER_CHALLENGE_LENGTH
DEBIT_SEQUENCE = DEBIT_VALUE + 2
DEBIT_PROOF = DEBIT_SEQUENCE + 2
# Offsets in the pending credit (challenge || value) and the credit record (... || receipt).
CREDIT_VALUE = CARD_CHALLENGE_LENGTH
CREDIT_RECEIPT = CREDIT_VALUE + 2
PENDING_LENGTH = CREDIT_RECEIPT

# The scratch buffer holds a tag, then a record without its MAC, then the full 16-byte CMAC of
# both: the CMAC's first 8 bytes land where the record's MAC belongs, so scratch[RECORD:] is
# the finished record (both records put their MAC at the same offset).
assert DEBIT_PROOF == CREDIT_RECEIPT
RECORD = 1
MAC_OUTPUT = RECORD + DEBIT_PROOF
SCRATCH_LENGTH = max(MAC_OUTPUT + 16, FIELD_LENGTH)  # a MAC, or a field being padded


class SmartWallet(Applet):
    """The SmartID profile and the SmartWallet purse."""

    @classmethod
    def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
        aid_length = bArray[bOffset]
        control = bOffset + 1 + aid_length
        data = control + 1 + bArray[control]
        applet = cls()
        applet.personalise(bArray, data + 1, bArray[data])
        applet.register(bArray, bOffset + 1, aid_length)

    def __init__(self) -> None:
        self.fields = ByteArray(FIELD_COUNT * FIELD_LENGTH)
        Util.arrayFillNonAtomic(self.fields, 0, len(self.fields), SPACE)
        self.pin = OwnerPIN(PIN_TRY_LIMIT, PIN_MAX_LENGTH)
        self.unblockCode = OwnerPIN(UNBLOCK_TRY_LIMIT, UNBLOCK_CODE_LENGTH)
        self.policy = DEFAULT_POLICY
        self.balance = 0
        self.debitSequence = 0
        self.lastDebit = ByteArray(DEBIT_RECORD_LENGTH)
        self.pendingCredit = ByteArray(PENDING_LENGTH)
        self.lastCredit = ByteArray(CREDIT_RECORD_LENGTH)
        self.key = cast(AESKey, KeyBuilder.buildKey(  # Java's (AESKey) cast
            KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, False))
        self.cmac = Signature.getInstance(Signature.ALG_AES_CMAC_128, False)
        self.random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM)
        self.access = JCSystem.makeTransientBooleanArray(2, JCSystem.CLEAR_ON_RESET)
        self.scratch = JCSystem.makeTransientByteArray(SCRATCH_LENGTH, JCSystem.CLEAR_ON_DESELECT)

    def personalise(self, params: Any, offset: int, length: int) -> None:
        """Take the key, the unblock code, the PIN and the card number from the install
        parameters; anything malformed makes the installation fail."""
        end = offset + length
        pin_at = offset + KEY_LENGTH + UNBLOCK_CODE_LENGTH
        if end < pin_at + 1:
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        pin_length = params[pin_at]
        number_at = pin_at + 1 + pin_length
        if (not PIN_MIN_LENGTH <= pin_length <= PIN_MAX_LENGTH or end < number_at + 1
                or not self.digits(params, pin_at + 1, pin_length)):
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        number_length = params[number_at]
        if (not 1 <= number_length <= FIELD_LENGTH or end != number_at + 1 + number_length
                or not self.printable(params, number_at + 1, number_length)):
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        self.key.setKey(params, offset)
        self.unblockCode.update(params, offset + KEY_LENGTH, UNBLOCK_CODE_LENGTH)
        self.pin.update(params, pin_at + 1, pin_length)
        Util.arrayCopyNonAtomic(params, number_at + 1, self.fields,
                                (CARD_NUMBER - 1) * FIELD_LENGTH, number_length)

    def deselect(self) -> None:
        # A command to another applet comes between: the PIN is no longer "directly before".
        self.access[PIN_FRESH] = False
        GPSystem.getSecureChannel().resetSecurity()

    # --- dispatch --------------------------------------------------------------------------

    def process(self, apdu: APDU) -> None:
        # Freshness lasts exactly one command: taken and cleared before anything can throw.
        fresh = self.access[PIN_FRESH]
        self.access[PIN_FRESH] = False
        if self.selectingApplet():
            return
        buffer = apdu.getBuffer()
        cla = buffer[ISO7816.OFFSET_CLA]
        # CLA 80-83, or 84-87 with secure messaging (ISO 7816-4: b3), channels 0-3.
        if cla & 0xF8 != 0x80:
            ISOException.throwIt(ISO7816.SW_CLA_NOT_SUPPORTED)
        ins = buffer[ISO7816.OFFSET_INS]
        channel = GPSystem.getSecureChannel()
        if ins in (INS_INITIALIZE_UPDATE, INS_EXTERNAL_AUTHENTICATE):
            # The issuer security domain runs the handshake; the session lives on this channel.
            length = channel.processSecurity(apdu)
            if length:
                apdu.setOutgoingAndSend(ISO7816.OFFSET_CDATA, length)
            return
        known = (INS_READ_FIELD < ins <= INS_READ_FIELD + FIELD_COUNT
                 or INS_WRITE_FIELD < ins <= INS_WRITE_FIELD + FIELD_COUNT
                 or ins in (INS_DEBIT, INS_LAST_DEBIT, INS_CREDIT_PREPARE, INS_CREDIT_ATTEMPT,
                            INS_LAST_CREDIT, INS_BALANCE, INS_SUBMIT_PIN, INS_CHANGE_PIN,
                            INS_SET_POLICY, INS_GET_POLICY, INS_UNBLOCK))
        if not known:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        if buffer[ISO7816.OFFSET_P1] != 0 or buffer[ISO7816.OFFSET_P2] != 0:
            ISOException.throwIt(ISO7816.SW_INCORRECT_P1P2)
        secured = cla & 0x04 != 0
        received = apdu.setIncomingAndReceive()
        if secured:
            # A wrong C-MAC or padding, or no session, throws 6982 and closes the session.
            # The plain command is back in the buffer with its Lc; a command without data
            # unwraps to its header (and Le) alone.
            unwrapped = channel.unwrap(buffer, 0, ISO7816.OFFSET_CDATA + received)
            received = buffer[ISO7816.OFFSET_LC] & 0xFF if unwrapped > ISO7816.OFFSET_CDATA \
                else 0
        if not secured:
            # A PIN submitted in the secure channel vouches only for the next command of that
            # channel: else a plain command slipped in on the wire would ride on it.
            fresh = False
        if ins in (INS_SUBMIT_PIN, INS_CHANGE_PIN, INS_UNBLOCK):
            # A PIN or an unblock code crosses only encrypted, in an authenticated session.
            needed = SecureChannel.AUTHENTICATED & 0xFF | SecureChannel.C_MAC \
                | SecureChannel.C_DECRYPTION
            if not secured or channel.getSecurityLevel() & needed != needed:
                ISOException.throwIt(SW_PIN_REQUIRED)
        answer = self.dispatch(apdu, ins, received, fresh)
        if secured:
            # R-MAC (and R-ENCRYPTION) when the session has them, even on an empty answer.
            answer = channel.wrap(buffer, 0, answer)
        if answer:
            apdu.setOutgoingAndSend(0, answer)

    def dispatch(self, apdu: APDU, ins: int, received: int, fresh: bool) -> int:
        """Run one command whose ``received`` data bytes are at OFFSET_CDATA; returns the
        length of the answer it left at the start of the buffer."""
        buffer = apdu.getBuffer()
        if ins <= INS_READ_FIELD + FIELD_COUNT:
            return self.readField(apdu, ins - INS_READ_FIELD, received, fresh)
        if ins <= INS_WRITE_FIELD + FIELD_COUNT:
            return self.writeField(apdu, ins - INS_WRITE_FIELD, received, fresh)
        if ins == INS_DEBIT:
            return self.debit(apdu, received, fresh)
        if ins == INS_LAST_DEBIT:
            return self.sendRecord(apdu, received, self.lastDebit, DEBIT_VALUE)
        if ins == INS_CREDIT_PREPARE:
            return self.creditPrepare(apdu, received)
        if ins == INS_CREDIT_ATTEMPT:
            return self.creditAttempt(apdu, received)
        if ins == INS_LAST_CREDIT:
            return self.sendRecord(apdu, received, self.lastCredit, CREDIT_VALUE)
        if ins == INS_BALANCE:
            self.noData(received)
            Util.setShort(buffer, 0, self.balance)
            return 2
        if ins == INS_SUBMIT_PIN:
            return self.submitPin(apdu, received)
        if ins == INS_CHANGE_PIN:
            return self.changePin(apdu, received, fresh)
        if ins == INS_SET_POLICY:
            return self.setPolicy(apdu, received, fresh)
        if ins == INS_GET_POLICY:
            self.noData(received)
            buffer[0] = self.policy
            return 1
        return self.unblock(apdu, received)

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def noData(received: int) -> None:
        if received != 0:
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH)

    @staticmethod
    def receive(received: int, minimum: int, maximum: int) -> int:
        if received < minimum or received > maximum:
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH)
        return received

    @staticmethod
    def requireFresh(fresh: bool) -> None:
        if not fresh:
            ISOException.throwIt(SW_PIN_REQUIRED)

    @staticmethod
    def digits(array: Any, offset: int, length: int) -> bool:
        return all(0x30 <= array[index] <= 0x39 for index in range(offset, offset + length))

    @staticmethod
    def printable(array: Any, offset: int, length: int) -> bool:
        return all(0x20 <= array[index] <= 0x7E for index in range(offset, offset + length))

    def signRecord(self, tag: int) -> None:
        """CMAC of ``tag || scratch[RECORD:MAC_OUTPUT]`` into ``scratch[MAC_OUTPUT:]``."""
        self.scratch[0] = tag
        self.cmac.init(self.key, Signature.MODE_SIGN)
        self.cmac.sign(self.scratch, 0, MAC_OUTPUT, self.scratch, MAC_OUTPUT)

    def sendRecord(self, apdu: APDU, received: int, record: Any, value_offset: int) -> int:
        self.noData(received)
        # A record with a value of zero was never written: every movement has a value > 0.
        if Util.getShort(record, value_offset) == 0:
            ISOException.throwIt(SW_NO_RECORD)
        Util.arrayCopyNonAtomic(record, 0, apdu.getBuffer(), 0, len(record))
        return len(record)

    @staticmethod
    def amount(apdu: APDU, offset: int) -> int:
        value = Util.getShort(apdu.getBuffer(), offset)
        if value <= 0:
            ISOException.throwIt(SW_INVALID_AMOUNT)
        return value

    # --- the profile -----------------------------------------------------------------------

    def readField(self, apdu: APDU, number: int, received: int, fresh: bool) -> int:
        self.noData(received)
        if number in PRIVATE_FIELDS:
            needed, every_time = POLICY_PRIVATE_PIN, POLICY_PRIVATE_EVERY_TIME
        else:
            needed, every_time = POLICY_GENERAL_PIN, POLICY_GENERAL_EVERY_TIME
        if self.policy & needed:
            allowed = fresh if self.policy & every_time else self.access[PIN_THIS_SESSION]
            if not allowed:
                ISOException.throwIt(SW_PIN_REQUIRED)
        Util.arrayCopyNonAtomic(self.fields, (number - 1) * FIELD_LENGTH, apdu.getBuffer(), 0,
                                FIELD_LENGTH)
        return FIELD_LENGTH

    def writeField(self, apdu: APDU, number: int, received: int, fresh: bool) -> int:
        length = self.receive(received, 1, FIELD_LENGTH)
        self.requireFresh(fresh)
        buffer = apdu.getBuffer()
        if not self.printable(buffer, ISO7816.OFFSET_CDATA, length):
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        # Padded in RAM first, so the field changes with one atomic copy: never half written.
        scratch = self.scratch
        Util.arrayFillNonAtomic(scratch, 0, FIELD_LENGTH, SPACE)
        Util.arrayCopyNonAtomic(buffer, ISO7816.OFFSET_CDATA, scratch, 0, length)
        Util.arrayCopy(scratch, 0, self.fields, (number - 1) * FIELD_LENGTH, FIELD_LENGTH)
        return 0

    # --- the PIN ---------------------------------------------------------------------------

    def submitPin(self, apdu: APDU, received: int) -> int:
        length = self.receive(received, PIN_MIN_LENGTH, PIN_MAX_LENGTH)
        if self.pin.getTriesRemaining() == 0:
            ISOException.throwIt(SW_BLOCKED)
        if not self.pin.check(apdu.getBuffer(), ISO7816.OFFSET_CDATA, length):
            self.access[PIN_THIS_SESSION] = False
            tries = self.pin.getTriesRemaining()
            ISOException.throwIt(SW_BLOCKED if tries == 0 else SW_WRONG_PIN | tries)
        self.access[PIN_THIS_SESSION] = True
        self.access[PIN_FRESH] = True
        return 0

    def changePin(self, apdu: APDU, received: int, fresh: bool) -> int:
        length = self.receive(received, PIN_MIN_LENGTH, PIN_MAX_LENGTH)
        self.requireFresh(fresh)
        if not self.digits(apdu.getBuffer(), ISO7816.OFFSET_CDATA, length):
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        self.pin.update(apdu.getBuffer(), ISO7816.OFFSET_CDATA, length)
        return 0

    def setPolicy(self, apdu: APDU, received: int, fresh: bool) -> int:
        self.receive(received, 1, 1)
        self.requireFresh(fresh)
        flags = apdu.getBuffer()[ISO7816.OFFSET_CDATA]
        if flags & ~POLICY_FLAGS & 0xFF:
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        self.policy = flags
        return 0

    def unblock(self, apdu: APDU, received: int) -> int:
        length = received
        new_pin = length - UNBLOCK_CODE_LENGTH
        if new_pin != 0 and not PIN_MIN_LENGTH <= new_pin <= PIN_MAX_LENGTH:
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH)
        buffer = apdu.getBuffer()
        pin_at = ISO7816.OFFSET_CDATA + UNBLOCK_CODE_LENGTH
        if not self.digits(buffer, pin_at, new_pin):
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        if self.unblockCode.getTriesRemaining() == 0:
            ISOException.throwIt(SW_BLOCKED)
        if not self.unblockCode.check(buffer, ISO7816.OFFSET_CDATA, UNBLOCK_CODE_LENGTH):
            tries = self.unblockCode.getTriesRemaining()
            ISOException.throwIt(SW_BLOCKED if tries == 0 else SW_WRONG_PIN | tries)
        if new_pin:
            self.pin.update(buffer, pin_at, new_pin)
        else:
            self.pin.resetAndUnblock()
        return 0

    # --- value -----------------------------------------------------------------------------

    def debit(self, apdu: APDU, received: int, fresh: bool) -> int:
        self.receive(received, SERVER_CHALLENGE_LENGTH + 2, SERVER_CHALLENGE_LENGTH + 2)
        self.requireFresh(fresh)
        buffer = apdu.getBuffer()
        data = ISO7816.OFFSET_CDATA
        value = self.amount(apdu, data + SERVER_CHALLENGE_LENGTH)
        if value > self.balance:
            ISOException.throwIt(SW_INSUFFICIENT_FUNDS)
        if (Util.getShort(self.lastDebit, DEBIT_VALUE) != 0 and Util.arrayCompare(
                buffer, data, self.lastDebit, 0, SERVER_CHALLENGE_LENGTH) == 0):
            ISOException.throwIt(SW_CHALLENGE_REUSED)
        sequence = short(self.debitSequence + 1)
        # The new record (challenge, value, sequence, proof) is built in RAM and copied in one
        # piece, inside the transaction that lowers the balance.
        Util.arrayCopyNonAtomic(buffer, data, self.scratch, RECORD, SERVER_CHALLENGE_LENGTH + 2)
        Util.setShort(self.scratch, RECORD + DEBIT_SEQUENCE, sequence)
        self.signRecord(TAG_DEBIT)
        JCSystem.beginTransaction()
        self.balance = short(self.balance - value)
        tear_hook("debit:balance-written")
        self.debitSequence = sequence
        Util.arrayCopy(self.scratch, RECORD, self.lastDebit, 0, DEBIT_RECORD_LENGTH)
        JCSystem.commitTransaction()
        tear_hook("debit:committed")
        Util.arrayCopyNonAtomic(self.lastDebit, DEBIT_PROOF, buffer, 0, MAC_LENGTH)
        return MAC_LENGTH

    def creditPrepare(self, apdu: APDU, received: int) -> int:
        self.receive(received, 2, 2)
        value = self.amount(apdu, ISO7816.OFFSET_CDATA)
        if value > MAX_BALANCE - self.balance:
            ISOException.throwIt(SW_BALANCE_LIMIT)
        scratch = self.scratch
        self.random.nextBytes(scratch, 0, CARD_CHALLENGE_LENGTH)
        Util.setShort(scratch, CREDIT_VALUE, value)
        # One atomic copy: a pending credit never pairs one challenge with another's value.
        Util.arrayCopy(scratch, 0, self.pendingCredit, 0, PENDING_LENGTH)
        Util.arrayCopyNonAtomic(scratch, 0, apdu.getBuffer(), 0, CARD_CHALLENGE_LENGTH)
        return CARD_CHALLENGE_LENGTH

    def creditAttempt(self, apdu: APDU, received: int) -> int:
        self.receive(received, MAC_LENGTH, MAC_LENGTH)
        value = Util.getShort(self.pendingCredit, CREDIT_VALUE)
        if value == 0:
            ISOException.throwIt(SW_NOTHING_PENDING)
        Util.arrayCopyNonAtomic(self.pendingCredit, 0, self.scratch, RECORD, PENDING_LENGTH)
        self.signRecord(TAG_CREDIT)
        if Util.arrayCompare(apdu.getBuffer(), ISO7816.OFFSET_CDATA, self.scratch, MAC_OUTPUT,
                             MAC_LENGTH) != 0:
            # A wrong answer spends the pending credit: each card challenge allows one guess.
            Util.arrayFill(self.pendingCredit, 0, PENDING_LENGTH, 0)
            ISOException.throwIt(SW_VERIFICATION_FAILED)
        # The prepare checked the room and only debits come in between, so this never fires;
        # it stays because a short balance must never wrap round.
        if value > MAX_BALANCE - self.balance:
            ISOException.throwIt(SW_BALANCE_LIMIT)
        self.signRecord(TAG_RECEIPT)
        JCSystem.beginTransaction()
        self.balance = short(self.balance + value)
        tear_hook("credit:balance-written")
        Util.arrayCopy(self.scratch, RECORD, self.lastCredit, 0, CREDIT_RECORD_LENGTH)
        Util.arrayFill(self.pendingCredit, 0, PENDING_LENGTH, 0)
        JCSystem.commitTransaction()
        tear_hook("credit:committed")
        Util.arrayCopyNonAtomic(self.lastCredit, CREDIT_RECEIPT, apdu.getBuffer(), 0, MAC_LENGTH)
        return MAC_LENGTH
