package com.example.rmipurse;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISOException;
import javacard.framework.service.Dispatcher;
import javacard.framework.service.RMIService;

/**
 * An applet made of one service: Java Card RMI for a PurseImpl. SELECT answers the initial
 * reference; INVOKE calls the purse (the notes' client selects 00 01 02 03 04 05 06 07 08).
 */
public class PurseApplet extends Applet {
    private final Dispatcher dispatcher;

    private PurseApplet() {
        RMIService rmi = new RMIService(new PurseImpl());
        dispatcher = new Dispatcher((short) 1);
        dispatcher.addService(rmi, Dispatcher.PROCESS_COMMAND);
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new PurseApplet().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public void process(APDU apdu) throws ISOException {
        dispatcher.process(apdu);
    }
}
