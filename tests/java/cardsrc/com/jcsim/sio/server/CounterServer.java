package com.jcsim.sio.server;

import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;
import javacard.framework.Util;

/** Offers a Counter SIO for parameter 1; INS 20 reads the counter, INS 22 the AID length of
 *  the last caller. */
public class CounterServer extends Applet implements Counter {
    private short count;
    private byte lastCallerLength;

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new CounterServer().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public Shareable getShareableInterfaceObject(AID clientAID, byte parameter) {
        if (parameter != 1) {
            return null;
        }
        return this;
    }

    public short add(short delta) {
        AID caller = JCSystem.getPreviousContextAID();
        byte[] scratch = new byte[16];
        lastCallerLength = caller.getBytes(scratch, (short) 0);
        if (delta < 0) {
            ISOException.throwIt(ISO7816.SW_WRONG_DATA);
        }
        count += delta;
        return count;
    }

    public short value() {
        return count;
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        switch (buf[ISO7816.OFFSET_INS]) {
            case 0x20:
                Util.setShort(buf, (short) 0, count);
                apdu.setOutgoingAndSend((short) 0, (short) 2);
                return;
            case 0x22:
                buf[0] = lastCallerLength;
                apdu.setOutgoingAndSend((short) 0, (short) 1);
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }
}
