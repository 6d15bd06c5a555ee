package com.jcsim.sio.client;

import com.jcsim.sio.server.Counter;
import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/** INS 10: add P1P2 on the Counter SIO of the server whose AID is the command data, answer
 *  the new value; INS 11: the same with SIO parameter 2 (refused by the server). */
public class CounterClient extends Applet {
    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new CounterClient().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        byte ins = buf[ISO7816.OFFSET_INS];
        if (ins != 0x10 && ins != 0x11) {
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
        short length = apdu.setIncomingAndReceive();
        AID server = JCSystem.lookupAID(buf, ISO7816.OFFSET_CDATA, (byte) length);
        if (server == null) {
            ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND);
        }
        byte parameter = 1;
        if (ins == 0x11) {
            parameter = 2;
        }
        Counter counter = (Counter) JCSystem.getAppletShareableInterfaceObject(server, parameter);
        if (counter == null) {
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED);
        }
        short value = counter.add(Util.getShort(buf, ISO7816.OFFSET_P1));
        Util.setShort(buf, (short) 0, value);
        Util.setShort(buf, (short) 2, counter.value());
        apdu.setOutgoingAndSend((short) 0, (short) 4);
    }
}
