package com.example.multiselectable;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.MultiSelectable;
import javacard.framework.Util;

/**
 * The Java twin of jcsim/samples/multiselectable SampleApplet (the "MultiSelectable Applet Example"
 * of the Java Card programming notes): packageData is initialised when the first applet of the
 * package becomes active and cleared when none is active any more; privateData follows this
 * instance's own activation. 80 CA 00 01 00 answers privateData, 80 CA 00 02 00 packageData.
 */
public class SampleApplet extends Applet implements MultiSelectable {
    static final byte DATA_PRIVATE = (byte) 0x01;
    static final byte DATA_PACKAGE = (byte) 0x02;
    static final short DATA_LENGTH = 8;
    static final byte INS_GET_DATA = (byte) 0xCA;

    private static byte[] packageData;
    private final byte[] privateData;

    protected SampleApplet() {
        if (packageData == null) {
            packageData = new byte[DATA_LENGTH];
        }
        privateData = new byte[DATA_LENGTH];
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new SampleApplet().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    private void initData(byte[] dataArray, byte dataType) {
        Util.arrayFillNonAtomic(dataArray, (short) 0, (short) dataArray.length, dataType);
    }

    private void clearData(byte[] dataArray) {
        Util.arrayFillNonAtomic(dataArray, (short) 0, (short) dataArray.length, (byte) 0);
    }

    /** No applet of the package is active: initialise the package data and our own. */
    public boolean select() {
        initData(packageData, DATA_PACKAGE);
        initData(privateData, DATA_PRIVATE);
        return true;
    }

    /** The package is active through another applet (false) or this instance already is (true). */
    public boolean select(boolean appInstAlreadyActive) {
        if (!appInstAlreadyActive) {
            initData(privateData, DATA_PRIVATE);
        }
        return true;
    }

    /** The last active applet of the package is leaving. */
    public void deselect() {
        clearData(packageData);
        clearData(privateData);
    }

    public void deselect(boolean appInstStillActive) {
        if (!appInstStillActive) {
            clearData(privateData);
        }
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        if (buf[ISO7816.OFFSET_INS] != INS_GET_DATA) {
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
        byte dataType = buf[ISO7816.OFFSET_P2];
        if (buf[ISO7816.OFFSET_P1] != 0 || (dataType != DATA_PRIVATE && dataType != DATA_PACKAGE)) {
            ISOException.throwIt(ISO7816.SW_INCORRECT_P1P2);
        }
        byte[] source = dataType == DATA_PRIVATE ? privateData : packageData;
        Util.arrayCopyNonAtomic(source, (short) 0, buf, (short) 0, DATA_LENGTH);
        apdu.setOutgoingAndSend((short) 0, DATA_LENGTH);
    }
}
