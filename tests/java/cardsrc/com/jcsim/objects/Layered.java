package com.jcsim.objects;

import javacard.framework.APDU;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;

/** An applet over an abstract Java base that overrides nothing of Applet's select(): its
 *  super.select() is Applet's, through the base. */
public class Layered extends LayeredBase {
    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new Layered().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public boolean select() {
        selects++;
        return super.select() && selects < 3;
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        ISOException.throwIt((short) (0x6300 + selects));
    }
}
