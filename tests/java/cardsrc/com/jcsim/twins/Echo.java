package com.jcsim.twins;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacardx.apdu.ExtendedLength;

/** The echo of jcsim/samples/echo/echo.py, in Java: INS 01 echo (extended length), 02 greeting,
 *  03 a counting pattern of P1P2 bytes. */
public class Echo extends Applet implements ExtendedLength {
    static final byte INS_ECHO = 0x01;
    static final byte INS_HELLO = 0x02;
    static final byte INS_PATTERN = 0x03;
    static final short MAX_DATA = 32767;
    private static final byte[] GREETING = {'H', 'e', 'l', 'l', 'o', ' ', 'f', 'r', 'o', 'm', ' ',
                                            'j', 'c', 's', 'i', 'm'};

    private final byte[] data;
    private short echoes;
    private final byte[] scratch;

    protected Echo() {
        data = new byte[MAX_DATA];
        scratch = JCSystem.makeTransientByteArray((short) 2, JCSystem.CLEAR_ON_DESELECT);
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new Echo().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        switch (buf[ISO7816.OFFSET_INS]) {
            case INS_ECHO:
                echo(apdu);
                return;
            case INS_HELLO:
                Util.arrayCopyNonAtomic(GREETING, (short) 0, buf, (short) 0, (short) GREETING.length);
                apdu.setOutgoingAndSend((short) 0, (short) GREETING.length);
                return;
            case INS_PATTERN:
                pattern(apdu, Util.getShort(buf, ISO7816.OFFSET_P1));
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private void echo(APDU apdu) {
        short received = apdu.setIncomingAndReceive();
        short offset = apdu.getOffsetCdata();
        short total = apdu.getIncomingLength();
        echoes++;
        if (received == total) {
            apdu.setOutgoingAndSend(offset, total);
            return;
        }
        byte[] buf = apdu.getBuffer();
        short copied = 0;
        while (received > 0) {
            Util.arrayCopyNonAtomic(buf, offset, data, copied, received);
            copied += received;
            received = apdu.receiveBytes(offset);
        }
        apdu.setOutgoing();
        apdu.setOutgoingLength(total);
        apdu.sendBytesLong(data, (short) 0, total);
    }

    private void pattern(APDU apdu, short length) {
        if (length < 0) {
            ISOException.throwIt(ISO7816.SW_WRONG_P1P2);
        }
        byte[] buf = apdu.getBuffer();
        apdu.setOutgoing();
        apdu.setOutgoingLength(length);
        // The pattern is sent from the APDU buffer, a chunk at a time: no persistent writes.
        short sent = 0;
        while (sent < length) {
            short chunk = (short) (length - sent);
            if (chunk > 128) {
                chunk = 128;
            }
            for (short i = 0; i < chunk; i++) {
                buf[i] = (byte) (sent + i);
            }
            apdu.sendBytes((short) 0, chunk);
            sent += chunk;
        }
    }
}
