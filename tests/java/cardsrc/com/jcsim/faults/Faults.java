package com.jcsim.faults;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;

/** Exceptions a bytecode raises: caught by the applet (INS 1x) or left to the JCRE (INS 2x). */
public class Faults extends Applet {
    private byte[] small = new byte[2];
    private Object thing = new short[1];

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new Faults().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        byte p1 = buf[ISO7816.OFFSET_P1];
        switch (buf[ISO7816.OFFSET_INS]) {
            case 0x10:
                try {
                    small[p1] = 1;
                } catch (ArrayIndexOutOfBoundsException e) {
                    ISOException.throwIt((short) 0x6A81);
                }
                return;
            case 0x11:
                try {
                    byte[] none = p1 == 0 ? null : small;
                    none[0] = 1;
                } catch (NullPointerException e) {
                    ISOException.throwIt((short) 0x6A82);
                }
                return;
            case 0x12:
                try {
                    buf[0] = (byte) (10 / p1);
                } catch (ArithmeticException e) {
                    ISOException.throwIt((short) 0x6A83);
                }
                return;
            case 0x13:
                try {
                    byte[] wrong = (byte[]) thing;
                    wrong[0] = 1;
                } catch (ClassCastException e) {
                    ISOException.throwIt((short) 0x6A84);
                }
                return;
            case 0x14:
                try {
                    ISOException.throwIt((short) 0x6123);
                } catch (ISOException e) {
                    ISOException.throwIt((short) (e.getReason() + 1));
                }
                return;
            case 0x20:
                small[p1] = 1;
                return;
            case 0x21:
                byte[] none = null;
                none[0] = 1;
                return;
            case 0x22:
                buf[0] = (byte) (10 / p1);
                return;
            case 0x23:
                byte[] wrong = (byte[]) thing;
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }
}
