package com.example.echo;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacardx.apdu.ExtendedLength;

/**
 * The Java twin of jcsim/samples/echo: INS 01 echoes the command data (up to 32767 bytes with
 * extended length), INS 02 answers a greeting, INS 03 answers P1P2 bytes of a counting
 * pattern (byte i is i mod 256).
 */
public class Echo extends Applet implements ExtendedLength {
    private static final byte INS_ECHO = (byte) 0x01;
    private static final byte INS_HELLO = (byte) 0x02;
    private static final byte INS_PATTERN = (byte) 0x03;
    private static final short MAX_DATA = (short) 32767;

    private static final byte[] GREETING = {
        'H', 'e', 'l', 'l', 'o', ' ', 'f', 'r', 'o', 'm', ' ', 'j', 'c', 's', 'i', 'm'
    };

    private final byte[] data;
    private short echoes;
    private final byte[] scratch;

    protected Echo() {
        data = new byte[MAX_DATA];
        scratch = JCSystem.makeTransientByteArray((short) 2, JCSystem.CLEAR_ON_DESELECT);
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new Echo().register();
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        switch (buf[ISO7816.OFFSET_INS]) {
            case INS_ECHO:
                echo(apdu);
                break;
            case INS_HELLO:
                Util.arrayCopyNonAtomic(GREETING, (short) 0, buf, (short) 0, (short) GREETING.length);
                apdu.setOutgoingAndSend((short) 0, (short) GREETING.length);
                break;
            case INS_PATTERN:
                pattern(apdu, Util.getShort(buf, ISO7816.OFFSET_P1));
                break;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private void echo(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        short received = apdu.setIncomingAndReceive();
        short offset = apdu.getOffsetCdata();
        short total = apdu.getIncomingLength();
        echoes++;
        if (received == total) {
            // Everything arrived in the APDU buffer: answer straight from it.
            apdu.setOutgoingAndSend(offset, total);
            return;
        }
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
        apdu.setOutgoing();
        apdu.setOutgoingLength(length);
        // The pattern is computed a chunk at a time in the APDU buffer rather than kept in a
        // 32 KB array: byte i of the answer is i mod 256.
        byte[] buf = apdu.getBuffer();
        short sent = 0;
        while (sent < length) {
            short chunk = (short) (length - sent);
            if (chunk > (short) 256) {
                chunk = (short) 256;
            }
            for (short i = 0; i < chunk; i++) {
                buf[i] = (byte) (sent + i);
            }
            apdu.sendBytes((short) 0, chunk);
            sent += chunk;
        }
    }
}
