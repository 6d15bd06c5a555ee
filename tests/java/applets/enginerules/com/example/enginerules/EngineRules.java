package com.example.enginerules;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.security.AESKey;
import javacard.security.CryptoException;
import javacard.security.KeyBuilder;
import javacardx.crypto.Cipher;

/**
 * The engine rules of the JCRE, seen from Java: an init inside an aborted transaction is
 * undone, a committed one stays, and update state never takes part in a transaction.
 * INS 10: init with key 1 (P1 = 1: in a transaction that aborts; 2: that commits; 0: none).
 * INS 11: the same with key 2. INS 20: encrypt the 16-byte block in the data (ECB).
 * A CryptoException answers 6F00 + its reason.
 */
public class EngineRules extends Applet {
    private final AESKey one;
    private final AESKey two;
    private final Cipher cipher;

    private EngineRules() {
        one = (AESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, false);
        two = (AESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, false);
        byte[] bytes = new byte[16];
        for (short i = 0; i < 16; i++) {
            bytes[i] = (byte) i;
        }
        one.setKey(bytes, (short) 0);
        for (short i = 0; i < 16; i++) {
            bytes[i] = (byte) (0xA0 + i);
        }
        two.setKey(bytes, (short) 0);
        cipher = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, false);
        register();
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new EngineRules();
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buffer = apdu.getBuffer();
        try {
            switch (buffer[ISO7816.OFFSET_INS]) {
                case 0x10:
                    init(one, buffer[ISO7816.OFFSET_P1]);
                    return;
                case 0x11:
                    init(two, buffer[ISO7816.OFFSET_P1]);
                    return;
                case 0x20:
                    short length = apdu.setIncomingAndReceive();
                    cipher.doFinal(buffer, ISO7816.OFFSET_CDATA, length, buffer, (short) 0);
                    apdu.setOutgoingAndSend((short) 0, length);
                    return;
                default:
                    ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
            }
        } catch (CryptoException e) {
            ISOException.throwIt((short) (ISO7816.SW_UNKNOWN + e.getReason()));
        }
    }

    private void init(AESKey key, byte how) {
        if (how != 0) {
            JCSystem.beginTransaction();
        }
        cipher.init(key, Cipher.MODE_ENCRYPT);
        if (how == 1) {
            JCSystem.abortTransaction();
        } else if (how == 2) {
            JCSystem.commitTransaction();
        }
    }
}
