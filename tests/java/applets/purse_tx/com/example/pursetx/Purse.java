package com.example.pursetx;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * The Java twin of jcsim/samples/purse_tx Purse: a debit updates the balance and the debit log in
 * one transaction, so balance + sum(log) is the initial balance whenever the card loses power.
 *
 * DEBIT 80 30 00 00 02 amount; BALANCE 80 32 00 00 04 (balance, count);
 * LOG 80 34 00 00 00 (every logged amount, oldest first).
 */
public class Purse extends Applet {
    static final short INITIAL_BALANCE = 1000;
    static final short LOG_SIZE = 8;

    static final byte INS_DEBIT = (byte) 0x30;
    static final byte INS_BALANCE = (byte) 0x32;
    static final byte INS_LOG = (byte) 0x34;

    short balance;
    final short[] amounts;
    short count;

    protected Purse() {
        balance = INITIAL_BALANCE;
        amounts = new short[LOG_SIZE];
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new Purse().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buffer = apdu.getBuffer();
        switch (buffer[ISO7816.OFFSET_INS]) {
            case INS_DEBIT:
                debit(amountOf(apdu));
                return;
            case INS_BALANCE:
                Util.setShort(buffer, (short) 0, balance);
                Util.setShort(buffer, (short) 2, count);
                apdu.setOutgoingAndSend((short) 0, (short) 4);
                return;
            case INS_LOG:
                for (short index = 0; index < count; index++) {
                    Util.setShort(buffer, (short) (2 * index), amounts[index]);
                }
                apdu.setOutgoingAndSend((short) 0, (short) (2 * count));
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    /** The checked amount of a DEBIT command. */
    short amountOf(APDU apdu) {
        if (apdu.setIncomingAndReceive() != 2) {
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
        }
        short amount = Util.getShort(apdu.getBuffer(), ISO7816.OFFSET_CDATA);
        if (amount <= 0) {
            ISOException.throwIt(ISO7816.SW_WRONG_DATA);
        }
        if (amount > balance) {
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED);
        }
        if (count == LOG_SIZE) {
            ISOException.throwIt(ISO7816.SW_FILE_FULL);
        }
        return amount;
    }

    void debit(short amount) {
        // The three writes commit together or not at all: after a tear, the next power-up
        // rolls back whatever part of them was written.
        JCSystem.beginTransaction();
        balance -= amount;
        amounts[count] = amount;
        count++;
        JCSystem.commitTransaction();
    }
}
