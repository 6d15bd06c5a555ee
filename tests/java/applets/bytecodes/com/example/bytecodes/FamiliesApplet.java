package com.example.bytecodes;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Util;

/**
 * RUN 80 10 test 00 02 p: answers Families.run(test, p) as a short. An exception that escapes
 * it is the JCRE's to answer (6F00).
 */
public class FamiliesApplet extends Applet {
    private static final byte INS_RUN = (byte) 0x10;

    protected FamiliesApplet() {
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new FamiliesApplet().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        if (buf[ISO7816.OFFSET_INS] != INS_RUN) {
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
        if (apdu.setIncomingAndReceive() != 2) {
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
        }
        short result = Families.run(buf[ISO7816.OFFSET_P1], Util.getShort(buf, ISO7816.OFFSET_CDATA));
        Util.setShort(buf, (short) 0, result);
        apdu.setOutgoingAndSend((short) 0, (short) 2);
    }
}
