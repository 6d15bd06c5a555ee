package com.example.extensions;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.HMACKey;
import javacard.security.KeyBuilder;
import javacard.security.MessageDigest;
import javacard.security.Signature;
import javacardx.crypto.Cipher;
import javacardx.framework.tlv.BERTLV;
import javacardx.framework.tlv.BERTag;
import javacardx.framework.tlv.ConstructedBERTLV;
import javacardx.framework.tlv.PrimitiveBERTLV;
import javacardx.framework.tlv.PrimitiveBERTag;
import javacardx.framework.tlv.TLVException;
import javacardx.framework.util.ArrayLogic;
import javacardx.framework.util.UtilException;
import javacardx.framework.util.intx.JCint;

/**
 * An applet on the Java Card 3.0.5 extension API.
 * INS 10: SHA-256 of the command data with MessageDigest.OneShot.
 * INS 11: HMAC-SHA-256 of the command data with Signature.OneShot, under a key of bytes 0..31.
 * INS 20: parses the command data as one constructed BER-TLV and answers its tag number (2),
 *         tag class (1), length (2, instance and static forms), then the value of the
 *         primitive child whose one-byte tag is P1 (6A83 when there is none; 6984 for a
 *         malformed TLV).
 * INS 30: JCint on two big-endian ints a, b: answers a + b, a * b, a - b, (a >>> P1) and
 *         makeInt(P1P2 as two shorts), each big-endian, via a transient int[].
 * INS 40: ArrayLogic and Util on the command data split in two halves: the generic comparison
 *         (1 byte), Util.arrayCompare (1 byte), the index of byte P1 in the data followed by
 *         zeros up to 256 bytes (2 bytes, -1 when absent) and the even part of the data repacked
 *         into a short[] and read back (as many bytes).
 */
public class Extensions extends Applet {
    private static final byte INS_DIGEST = (byte) 0x10;
    private static final byte INS_HMAC = (byte) 0x11;
    private static final byte INS_TLV = (byte) 0x20;
    private static final byte INS_INTS = (byte) 0x30;
    private static final byte INS_ARRAYS = (byte) 0x40;
    private static final short SW_TLV_MALFORMED = (short) 0x6984;

    private final byte[] data;
    private final byte[] probe;
    private final short[] words;
    private final int[] ints;
    private final HMACKey key;
    private final PrimitiveBERTag childTag;

    protected Extensions() {
        data = new byte[256];
        probe = new byte[1];
        words = new short[128];
        ints = JCint.makeTransientIntArray((short) 5, JCSystem.CLEAR_ON_DESELECT);
        key = (HMACKey) KeyBuilder.buildKey(KeyBuilder.TYPE_HMAC, KeyBuilder.LENGTH_HMAC_SHA_256_BLOCK_64, false);
        byte[] keyBytes = new byte[32];
        for (short i = 0; i < 32; i++) {
            keyBytes[i] = (byte) i;
        }
        key.setKey(keyBytes, (short) 0, (short) 32);
        childTag = new PrimitiveBERTag();
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new Extensions().register();
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        short length = apdu.setIncomingAndReceive();
        Util.arrayCopyNonAtomic(buf, apdu.getOffsetCdata(), data, (short) 0, length);
        // Searches run to the end of the array: no byte of an earlier command stays behind.
        Util.arrayFillNonAtomic(data, length, (short) (data.length - length), (byte) 0);
        switch (buf[ISO7816.OFFSET_INS]) {
            case INS_DIGEST:
                digest(apdu, length);
                break;
            case INS_HMAC:
                hmac(apdu, length);
                break;
            case INS_TLV:
                tlv(apdu, length, buf[ISO7816.OFFSET_P1]);
                break;
            case INS_INTS:
                ints(apdu, buf[ISO7816.OFFSET_P1], buf[ISO7816.OFFSET_P2]);
                break;
            case INS_ARRAYS:
                arrays(apdu, length, buf[ISO7816.OFFSET_P1]);
                break;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private void digest(APDU apdu, short length) {
        MessageDigest.OneShot sha = MessageDigest.OneShot.open(MessageDigest.ALG_SHA_256);
        short size;
        try {
            size = sha.doFinal(data, (short) 0, length, apdu.getBuffer(), (short) 0);
        } finally {
            sha.close();
        }
        apdu.setOutgoingAndSend((short) 0, size);
    }

    private void hmac(APDU apdu, short length) {
        Signature.OneShot mac = Signature.OneShot.open(MessageDigest.ALG_SHA_256,
                Signature.SIG_CIPHER_HMAC, Cipher.PAD_NULL);
        short size;
        try {
            mac.init(key, Signature.MODE_SIGN);
            size = mac.sign(data, (short) 0, length, apdu.getBuffer(), (short) 0);
        } finally {
            mac.close();
        }
        apdu.setOutgoingAndSend((short) 0, size);
    }

    private void tlv(APDU apdu, short length, byte wanted) {
        byte[] buf = apdu.getBuffer();
        BERTLV parsed;
        try {
            parsed = BERTLV.getInstance(data, (short) 0, length);
        } catch (TLVException e) {
            ISOException.throwIt(SW_TLV_MALFORMED);
            return;
        }
        if (!(parsed instanceof ConstructedBERTLV)) {
            ISOException.throwIt(ISO7816.SW_DATA_INVALID);
        }
        BERTag tag = parsed.getTag();
        Util.setShort(buf, (short) 0, tag.tagNumber());
        buf[2] = tag.tagClass();
        Util.setShort(buf, (short) 3, parsed.getLength());
        Util.setShort(buf, (short) 5, BERTLV.getLength(data, (short) 0));
        probe[0] = wanted;
        childTag.init(probe, (short) 0);
        BERTLV child = ((ConstructedBERTLV) parsed).find(childTag);
        if (child == null) {
            ISOException.throwIt(ISO7816.SW_RECORD_NOT_FOUND);
        }
        short size = ((PrimitiveBERTLV) child).getValue(buf, (short) 7);
        apdu.setOutgoingAndSend((short) 0, (short) (7 + size));
    }

    private void ints(APDU apdu, byte shift, byte p2) {
        byte[] buf = apdu.getBuffer();
        int a = JCint.getInt(data, (short) 0);
        int b = JCint.getInt(data, (short) 4);
        ints[0] = a + b;
        ints[1] = a * b;
        ints[2] = a - b;
        ints[3] = a >>> shift;
        ints[4] = JCint.makeInt(Util.makeShort(shift, p2), Util.makeShort(p2, shift));
        short offset = 0;
        for (short i = 0; i < (short) ints.length; i++) {
            offset = JCint.setInt(buf, offset, ints[i]);
        }
        apdu.setOutgoingAndSend((short) 0, offset);
    }

    private void arrays(APDU apdu, short length, byte wanted) {
        byte[] buf = apdu.getBuffer();
        short half = (short) (length / 2);
        buf[0] = ArrayLogic.arrayCompareGeneric(data, (short) 0, data, half, half);
        buf[1] = Util.arrayCompare(data, (short) 0, data, half, half);
        probe[0] = wanted;
        Util.setShort(buf, (short) 2, ArrayLogic.arrayFindGeneric(data, (short) 0, probe, (short) 0));
        short even = (short) (length & ~1);
        try {
            ArrayLogic.arrayCopyRepackNonAtomic(data, (short) 0, even, words, (short) 0);
            ArrayLogic.arrayCopyRepackNonAtomic(words, (short) 0, (short) (even / 2), buf, (short) 4);
        } catch (UtilException e) {
            ISOException.throwIt((short) (ISO7816.SW_UNKNOWN | e.getReason()));
        }
        apdu.setOutgoingAndSend((short) 0, (short) (4 + even));
    }
}
