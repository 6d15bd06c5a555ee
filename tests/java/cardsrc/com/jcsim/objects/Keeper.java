package com.jcsim.objects;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.AppletEvent;
import javacard.framework.CardRuntimeException;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/** Objects made and dropped (object deletion), an exception class of its own, AppletEvent. */
public class Keeper extends Applet implements AppletEvent {
    /** An applet-defined runtime exception: a subclass of the framework's Python class. */
    static class Refused extends CardRuntimeException {
        Refused(short reason) {
            super(reason);
        }
    }

    static class Node {
        Node next;
        byte[] payload;

        Node(Node next, short size) {
            this.next = next;
            payload = new byte[size];
        }
    }

    static short uninstalls;
    private Node head;
    private short selections;
    private short reselections;

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new Keeper().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public void uninstall() {
        uninstalls++;
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            selections++;
            if (reSelectingApplet()) {
                reselections++;
            }
            return;
        }
        byte[] buf = apdu.getBuffer();
        switch (buf[ISO7816.OFFSET_INS]) {
            case 0x10: // push a node of P1P2 bytes
                head = new Node(head, Util.getShort(buf, ISO7816.OFFSET_P1));
                return;
            case 0x11: // drop every node and ask for object deletion
                head = null;
                JCSystem.requestObjectDeletion();
                return;
            case 0x12: // the count of nodes
                short count = 0;
                for (Node node = head; node != null; node = node.next) {
                    count++;
                }
                Util.setShort(buf, (short) 0, count);
                apdu.setOutgoingAndSend((short) 0, (short) 2);
                return;
            case 0x13: // selections, then re-selections (SELECT of the applet already selected)
                Util.setShort(buf, (short) 0, selections);
                Util.setShort(buf, (short) 2, reselections);
                apdu.setOutgoingAndSend((short) 0, (short) 4);
                return;
            case 0x20: // an own exception, caught by its class
                try {
                    throw new Refused((short) 0x0042);
                } catch (Refused e) {
                    ISOException.throwIt((short) (0x6A00 + e.getReason()));
                }
                return;
            case 0x21: // an own exception, caught as the framework class
                try {
                    throw new Refused((short) 0x0043);
                } catch (CardRuntimeException e) {
                    ISOException.throwIt((short) (0x6A00 + e.getReason()));
                }
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }
}
