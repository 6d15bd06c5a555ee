package com.example.sio.server;

import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;
import javacard.framework.Util;

/**
 * A loyalty-points server: it shares a Points object with the one client applet it knows
 * (AID F0 00 00 00 41 01) and with no one else. Its own command BALANCE 80 30 00 00 02 answers
 * the balance and the number of grants. A grant that is not 1..MAX_GRANT throws
 * ISOException(6A80) back into the client; one that would pass MAX_BALANCE throws 6A84.
 */
public class PointsServer extends Applet implements Points {
    static final short MAX_GRANT = 500;
    static final short MAX_BALANCE = 2000;
    static final byte INS_BALANCE = (byte) 0x30;
    private static final byte[] CLIENT_AID = {(byte) 0xF0, 0x00, 0x00, 0x00, 0x41, 0x01};

    private short points;
    private short grants;

    protected PointsServer() {
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new PointsServer().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public Shareable getShareableInterfaceObject(AID clientAID, byte parameter) {
        if (parameter != 0 || clientAID == null
                || !clientAID.equals(CLIENT_AID, (short) 0, (byte) CLIENT_AID.length)) {
            return null;
        }
        return this;
    }

    public short grant(short amount) {
        if (amount <= 0 || amount > MAX_GRANT) {
            ISOException.throwIt(ISO7816.SW_WRONG_DATA);
        }
        if ((short) (MAX_BALANCE - points) < amount) {
            ISOException.throwIt(ISO7816.SW_FILE_FULL);
        }
        JCSystem.beginTransaction();
        points += amount;
        grants++;
        JCSystem.commitTransaction();
        return points;
    }

    public short balance() {
        return points;
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        if (buf[ISO7816.OFFSET_INS] != INS_BALANCE) {
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
        Util.setShort(buf, (short) 0, points);
        Util.setShort(buf, (short) 2, grants);
        apdu.setOutgoingAndSend((short) 0, (short) 4);
    }
}
