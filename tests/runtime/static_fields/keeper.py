"""A list kept in statics, the way Java applets keep them (``static Node first``).

INS 01 P1: link a node holding P1 at the head, in a transaction (two static writes, one field).
INS 02: the list's values, then the count (a static short).
INS 03 P1: link a node, then abort the transaction.
INS 04: unlink the head and request object deletion.
"""

from __future__ import annotations

from jcsim.framework import APDU, Applet, ISO7816, ISOException, JCSystem, Object


class Node(Object):
    first = None  # static Node first;

    def __init__(self, value: int, link: Node | None) -> None:
        self.value = value
        self.link = link


class Keeper(Applet):
    count = 0  # static short count;
    LIMIT = 20  # static final short LIMIT: never assigned, a plain class attribute

    @staticmethod
    def install(bArray, bOffset, bLength) -> None:
        Keeper().register()

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        if ins == 0x01 or ins == 0x03:
            if Keeper.count >= Keeper.LIMIT:
                ISOException.throwIt(ISO7816.SW_FILE_FULL)
            JCSystem.beginTransaction()
            Node.first = Node(buf[ISO7816.OFFSET_P1], Node.first)
            Keeper.count = Keeper.count + 1
            if ins == 0x03:
                JCSystem.abortTransaction()
            else:
                JCSystem.commitTransaction()
        elif ins == 0x02:
            length = 0
            node = Node.first
            while node is not None:
                buf[length] = node.value
                length += 1
                node = node.link
            buf[length] = Keeper.count
            apdu.setOutgoingAndSend(0, length + 1)
        elif ins == 0x04:
            Node.first = Node.first.link
            JCSystem.requestObjectDeletion()
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
