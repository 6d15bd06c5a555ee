package com.jcsim.demo;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * The purse of "jcsim demo java": a debit lowers the balance, logs the amount and counts it in
 * one transaction. DEBIT 80 30 00 00 02 amount; BALANCE 80 32 00 00 04 (balance, count).
 */
public class Purse extends Applet {
    static final short INITIAL_BALANCE = 1000;

    short balance = INITIAL_BALANCE;
    final short[] amounts = new short[8];
    short count;

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new Purse().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buffer = apdu.getBuffer();
        switch (buffer[ISO7816.OFFSET_INS]) {
            case (byte) 0x30:
                apdu.setIncomingAndReceive();
                short amount = Util.getShort(buffer, ISO7816.OFFSET_CDATA);
                if (amount <= 0 || amount > balance || count == amounts.length) {
                    ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED);
                }
                JCSystem.beginTransaction();
                balance -= amount;
                amounts[count] = amount;
                count++;
                JCSystem.commitTransaction();
                return;
            case (byte) 0x32:
                Util.setShort(buffer, (short) 0, balance);
                Util.setShort(buffer, (short) 2, count);
                apdu.setOutgoingAndSend((short) 0, (short) 4);
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }
}
