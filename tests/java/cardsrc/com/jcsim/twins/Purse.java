package com.jcsim.twins;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/** A purse whose credits and debits are transactions; twin of tests/java/twins.py. */
public class Purse extends Applet {
    static final byte INS_CREDIT = 0x30;
    static final byte INS_DEBIT = 0x40;
    static final byte INS_BALANCE = 0x50;
    static final byte INS_DEBIT_THEN_FAIL = 0x60;
    static final short MAX_BALANCE = 10000;

    /** Operations on this card, all purses together: a static field, journaled. */
    static short operations;

    private short balance;
    private final byte[] history = new byte[8];
    private byte next;

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new Purse().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        switch (buf[ISO7816.OFFSET_INS]) {
            case INS_CREDIT:
                credit(amount(apdu));
                return;
            case INS_DEBIT:
                debit(amount(apdu));
                return;
            case INS_DEBIT_THEN_FAIL:
                JCSystem.beginTransaction();
                balance -= amount(apdu);
                operations++;
                ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED);
                return;
            case INS_BALANCE:
                Util.setShort(buf, (short) 0, balance);
                Util.setShort(buf, (short) 2, operations);
                Util.arrayCopyNonAtomic(history, (short) 0, buf, (short) 4, (short) history.length);
                apdu.setOutgoingAndSend((short) 0, (short) (4 + history.length));
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private static short amount(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        if (apdu.setIncomingAndReceive() != 2) {
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
        }
        short value = Util.getShort(buf, ISO7816.OFFSET_CDATA);
        if (value <= 0) {
            ISOException.throwIt(ISO7816.SW_WRONG_DATA);
        }
        return value;
    }

    private void credit(short value) {
        JCSystem.beginTransaction();
        balance += value;
        record(value);
        if (balance > MAX_BALANCE || balance < 0) {
            JCSystem.abortTransaction();
            ISOException.throwIt(ISO7816.SW_FILE_FULL);
        }
        JCSystem.commitTransaction();
    }

    private void debit(short value) {
        if (value > balance) {
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED);
        }
        JCSystem.beginTransaction();
        balance -= value;
        record((short) -value);
        JCSystem.commitTransaction();
    }

    private void record(short value) {
        Util.setShort(history, (short) ((next & 3) * 2), value);
        next++;
        operations++;
    }
}
