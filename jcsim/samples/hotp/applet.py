"""An HOTP applet (RFC 4226, "HOTP: An HMAC-Based One-Time Password Algorithm") whose state
lives in static fields, as in the OATH applets written in Java: a static list of credentials
(``static Credential first``), a static count, and a static HMAC-SHA-1 engine and scratch
buffer made once at install. Each card has its own values; every change to them is journaled.

Commands (CLA 80):

- ``80 01 00 00 Lc <n> <name[n]> <digits> <k> <key[k]> [<counter[8]>]``: PUT a credential (name
  1-16 bytes, 6-8 digits, key 1-64 bytes, moving factor 0 unless given). 6A80 when malformed,
  6A89 when the name exists, 6A84 when the card holds ``MAX_CREDENTIALS`` already. The new
  credential is linked into the static list in one transaction: all or nothing.
- ``80 02 00 00 Lc <name> 05``: CALCULATE the next value of a credential: its digit count, then
  the 31-bit dynamic truncation of HMAC-SHA-1(key, counter) as a big-endian int (the host takes
  it modulo 10^digits). The counter then moves on by one, atomically. 6A82 for an unknown name.
- ``80 03 00 00 Lc <name>``: DELETE a credential (unlinked in a transaction, then object
  deletion reclaims it). 6A82 for an unknown name.
- ``80 04 00 00 00``: LIST: the credential count, then every credential, newest first:
  ``<n> <name[n]> <counter[8]>``.
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
    Object,
    Util,
)
from jcsim.security import HMACKey, KeyBuilder, Signature

__all__ = ["MAX_CREDENTIALS", "BrokenHotpApplet", "Credential", "HotpApplet"]

MAX_CREDENTIALS = 8
INS_PUT = 0x01
INS_CALCULATE = 0x02
INS_DELETE = 0x03
INS_LIST = 0x04
COUNTER_LENGTH = 8
SW_ALREADY_EXISTS = 0x6A89  # ISO 7816-4: file already exists (ISO7816 names no constant)


class Credential(Object):
    """One HOTP credential; the list of them is a static field of this class."""

    first: Credential | None = None  # static Credential first;
    count = 0  # static short count;

    def __init__(self, buffer: Any, name_offset: int, name_length: int, digits: int,
                 key_offset: int, key_length: int) -> None:
        self.name = ByteArray(name_length)
        Util.arrayCopy(buffer, name_offset, self.name, 0, name_length)
        self.digits = digits
        self.key = cast(HMACKey, KeyBuilder.buildKey(  # Java's (HMACKey) cast
            KeyBuilder.TYPE_HMAC, key_length * 8, False))
        self.key.setKey(buffer, key_offset, key_length)
        self.counter = ByteArray(COUNTER_LENGTH)
        self.next: Credential | None = None

    def named(self, buffer: Any, offset: int, length: int) -> bool:
        return length == len(self.name) and \
            Util.arrayCompare(buffer, offset, self.name, 0, length) == 0

    @staticmethod
    def find(buffer: Any, offset: int, length: int) -> Credential | None:
        credential = Credential.first
        while credential is not None and not credential.named(buffer, offset, length):
            credential = credential.next
        return credential


class HotpApplet(Applet):
    """RFC 4226 HOTP with its credentials, engine and buffer in statics."""

    ATOMIC = True  # static final boolean: PUT links a credential in one transaction
    mac: Any = None  # static Signature mac;
    scratch: Any = None  # static byte[] scratch; (transient, CLEAR_ON_DESELECT)

    @staticmethod
    def install(bArray: Any, bOffset: int, bLength: int) -> None:
        HotpApplet.prepare()
        HotpApplet().register(bArray, bOffset + 1, bArray[bOffset])

    @staticmethod
    def prepare() -> None:
        """Make the shared engine and buffer, once per card (the first install on it)."""
        if HotpApplet.mac is None:
            HotpApplet.mac = Signature.getInstance(Signature.ALG_HMAC_SHA1, False)
            HotpApplet.scratch = JCSystem.makeTransientByteArray(32, JCSystem.CLEAR_ON_DESELECT)

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buffer = apdu.getBuffer()
        if buffer[ISO7816.OFFSET_CLA] != 0x80:
            ISOException.throwIt(ISO7816.SW_CLA_NOT_SUPPORTED)
        ins = buffer[ISO7816.OFFSET_INS]
        if ins == INS_PUT:
            self.put(apdu)
        elif ins == INS_CALCULATE:
            self.calculate(apdu)
        elif ins == INS_DELETE:
            self.delete(apdu)
        elif ins == INS_LIST:
            self.list(apdu)
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)

    def put(self, apdu: APDU) -> None:
        length = apdu.setIncomingAndReceive()
        buffer = apdu.getBuffer()
        offset = apdu.getOffsetCdata()
        end = offset + length
        name_length = buffer[offset] if length else 0
        if not 1 <= name_length <= 16 or offset + 1 + name_length + 2 > end:
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        name_offset = offset + 1
        digits = buffer[name_offset + name_length]
        key_length = buffer[name_offset + name_length + 1]
        key_offset = name_offset + name_length + 2
        rest = end - (key_offset + key_length)
        if not 6 <= digits <= 8 or not 1 <= key_length <= 64 or rest not in (0, COUNTER_LENGTH):
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        if Credential.find(buffer, name_offset, name_length) is not None:
            ISOException.throwIt(SW_ALREADY_EXISTS)
        if Credential.count >= MAX_CREDENTIALS:
            ISOException.throwIt(ISO7816.SW_FILE_FULL)
        if self.ATOMIC:
            JCSystem.beginTransaction()
        credential = Credential(buffer, name_offset, name_length, digits, key_offset, key_length)
        if rest:
            Util.arrayCopy(buffer, key_offset + key_length, credential.counter, 0, COUNTER_LENGTH)
        credential.next = Credential.first
        Credential.first = credential
        Credential.count = Credential.count + 1
        if self.ATOMIC:
            JCSystem.commitTransaction()

    def calculate(self, apdu: APDU) -> None:
        length = apdu.setIncomingAndReceive()
        buffer = apdu.getBuffer()
        credential = Credential.find(buffer, apdu.getOffsetCdata(), length)
        if credential is None:
            ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND)
        mac, scratch = HotpApplet.mac, HotpApplet.scratch
        mac.init(credential.key, Signature.MODE_SIGN)
        mac.sign(credential.counter, 0, COUNTER_LENGTH, scratch, 0)
        # RFC 4226 §5.3, dynamic truncation: the low nibble of the last byte is an offset, the
        # four bytes there (top bit cleared) the value.
        truncated = scratch[19] & 0x0F
        buffer[0] = credential.digits
        Util.arrayCopyNonAtomic(scratch, truncated, buffer, 1, 4)
        buffer[1] = buffer[1] & 0x7F
        # The moving factor goes up by one, all eight bytes at once (Util.arrayCopy is atomic).
        Util.arrayCopyNonAtomic(credential.counter, 0, scratch, 0, COUNTER_LENGTH)
        index = COUNTER_LENGTH - 1
        while index >= 0:
            scratch[index] = (scratch[index] + 1) & 0xFF
            if scratch[index] != 0:
                break
            index -= 1
        Util.arrayCopy(scratch, 0, credential.counter, 0, COUNTER_LENGTH)
        apdu.setOutgoingAndSend(0, 5)

    def delete(self, apdu: APDU) -> None:
        length = apdu.setIncomingAndReceive()
        buffer = apdu.getBuffer()
        offset = apdu.getOffsetCdata()
        previous = None
        credential = Credential.first
        while credential is not None and not credential.named(buffer, offset, length):
            previous, credential = credential, credential.next
        if credential is None:
            ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND)
        JCSystem.beginTransaction()
        if previous is None:
            Credential.first = credential.next
        else:
            previous.next = credential.next
        Credential.count = Credential.count - 1
        JCSystem.commitTransaction()
        JCSystem.requestObjectDeletion()

    def list(self, apdu: APDU) -> None:
        buffer = apdu.getBuffer()
        buffer[0] = Credential.count
        length = 1
        credential = Credential.first
        while credential is not None:
            name_length = len(credential.name)
            buffer[length] = name_length
            Util.arrayCopyNonAtomic(credential.name, 0, buffer, length + 1, name_length)
            length += 1 + name_length
            Util.arrayCopyNonAtomic(credential.counter, 0, buffer, length, COUNTER_LENGTH)
            length += COUNTER_LENGTH
            credential = credential.next
        apdu.setOutgoingAndSend(0, length)


class BrokenHotpApplet(HotpApplet):
    """The same applet with a PUT that links the credential and counts it outside any
    transaction: a tear between the two static writes leaves a count that does not match the
    list, which a tear sweep finds."""

    ATOMIC = False

    @staticmethod
    def install(bArray: Any, bOffset: int, bLength: int) -> None:
        HotpApplet.prepare()
        BrokenHotpApplet().register(bArray, bOffset + 1, bArray[bOffset])
