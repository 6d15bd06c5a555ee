package com.example.sio.client;

import com.example.sio.server.Points;
import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * A client of the points server (AID F0 00 00 00 40 01), in another package and so another
 * firewall context: GRANT 80 20 00 00 02 amount grants points through the shareable interface
 * and answers the new balance; BALANCE 80 22 00 00 02 reads it the same way. 6A82 when the
 * server is not installed, 6985 when it refuses to share; what the server throws comes back.
 */
public class PointsClient extends Applet {
    private static final byte[] SERVER_AID = {(byte) 0xF0, 0x00, 0x00, 0x00, 0x40, 0x01};
    static final byte INS_GRANT = (byte) 0x20;
    static final byte INS_BALANCE = (byte) 0x22;

    protected PointsClient() {
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new PointsClient().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    private Points server() {
        AID server = JCSystem.lookupAID(SERVER_AID, (short) 0, (byte) SERVER_AID.length);
        if (server == null) {
            ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND);
        }
        Points points = (Points) JCSystem.getAppletShareableInterfaceObject(server, (byte) 0);
        if (points == null) {
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED);
        }
        return points;
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        short result;
        switch (buf[ISO7816.OFFSET_INS]) {
            case INS_GRANT:
                if (apdu.setIncomingAndReceive() != 2) {
                    ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
                }
                result = server().grant(Util.getShort(buf, ISO7816.OFFSET_CDATA));
                break;
            case INS_BALANCE:
                result = server().balance();
                break;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
                return;
        }
        Util.setShort(buf, (short) 0, result);
        apdu.setOutgoingAndSend((short) 0, (short) 2);
    }
}
