package com.example.shareddomain;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.security.ECKey;
import javacard.security.ECPrivateKey;
import javacard.security.ECPublicKey;
import javacard.security.Key;
import javacard.security.KeyBuilder;
import javacard.security.Signature;

/**
 * Two EC keys on one set of P-256 domain parameters (KeyBuilder.buildKeyWithSharedDomain).
 * INS 10: the data is S (32 bytes) and a message; answers the ECDSA SHA-256 signature.
 * INS 11: the data is W (65 bytes) and a signature of the fixed message "shared"; answers 01
 * if it verifies. INS 12: answers A as the public key reads it from the shared parameters.
 * Domain parameters: P-256 (FIPS 186-4 D.1.2.3).
 */
public class SharedDomain extends Applet {
    private static final byte[] P = {
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x01,
        (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00,
        (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
    };
    private static final byte[] A = {
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x01,
        (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00,
        (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFC,
    };
    private static final byte[] B = {
        (byte) 0x5A, (byte) 0xC6, (byte) 0x35, (byte) 0xD8, (byte) 0xAA, (byte) 0x3A, (byte) 0x93, (byte) 0xE7,
        (byte) 0xB3, (byte) 0xEB, (byte) 0xBD, (byte) 0x55, (byte) 0x76, (byte) 0x98, (byte) 0x86, (byte) 0xBC,
        (byte) 0x65, (byte) 0x1D, (byte) 0x06, (byte) 0xB0, (byte) 0xCC, (byte) 0x53, (byte) 0xB0, (byte) 0xF6,
        (byte) 0x3B, (byte) 0xCE, (byte) 0x3C, (byte) 0x3E, (byte) 0x27, (byte) 0xD2, (byte) 0x60, (byte) 0x4B,
    };
    private static final byte[] G = {
        (byte) 0x04, (byte) 0x6B, (byte) 0x17, (byte) 0xD1, (byte) 0xF2, (byte) 0xE1, (byte) 0x2C, (byte) 0x42,
        (byte) 0x47, (byte) 0xF8, (byte) 0xBC, (byte) 0xE6, (byte) 0xE5, (byte) 0x63, (byte) 0xA4, (byte) 0x40,
        (byte) 0xF2, (byte) 0x77, (byte) 0x03, (byte) 0x7D, (byte) 0x81, (byte) 0x2D, (byte) 0xEB, (byte) 0x33,
        (byte) 0xA0, (byte) 0xF4, (byte) 0xA1, (byte) 0x39, (byte) 0x45, (byte) 0xD8, (byte) 0x98, (byte) 0xC2,
        (byte) 0x96, (byte) 0x4F, (byte) 0xE3, (byte) 0x42, (byte) 0xE2, (byte) 0xFE, (byte) 0x1A, (byte) 0x7F,
        (byte) 0x9B, (byte) 0x8E, (byte) 0xE7, (byte) 0xEB, (byte) 0x4A, (byte) 0x7C, (byte) 0x0F, (byte) 0x9E,
        (byte) 0x16, (byte) 0x2B, (byte) 0xCE, (byte) 0x33, (byte) 0x57, (byte) 0x6B, (byte) 0x31, (byte) 0x5E,
        (byte) 0xCE, (byte) 0xCB, (byte) 0xB6, (byte) 0x40, (byte) 0x68, (byte) 0x37, (byte) 0xBF, (byte) 0x51,
        (byte) 0xF5,
    };
    private static final byte[] R = {
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00,
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xBC, (byte) 0xE6, (byte) 0xFA, (byte) 0xAD, (byte) 0xA7, (byte) 0x17, (byte) 0x9E, (byte) 0x84,
        (byte) 0xF3, (byte) 0xB9, (byte) 0xCA, (byte) 0xC2, (byte) 0xFC, (byte) 0x63, (byte) 0x25, (byte) 0x51,
    };

    private static final byte[] MESSAGE = { 's', 'h', 'a', 'r', 'e', 'd' };

    private final ECKey domain;
    private final ECPrivateKey privateKey;
    private final ECPublicKey publicKey;
    private final Signature signature;

    private SharedDomain() {
        domain = (ECKey) KeyBuilder.buildKey(KeyBuilder.ALG_TYPE_EC_FP_PARAMETERS,
                JCSystem.MEMORY_TYPE_PERSISTENT, KeyBuilder.LENGTH_EC_FP_256, false);
        domain.setFieldFP(P, (short) 0, (short) P.length);
        domain.setA(A, (short) 0, (short) A.length);
        domain.setB(B, (short) 0, (short) B.length);
        domain.setG(G, (short) 0, (short) G.length);
        domain.setR(R, (short) 0, (short) R.length);
        domain.setK((short) 1);
        privateKey = (ECPrivateKey) KeyBuilder.buildKeyWithSharedDomain(
                KeyBuilder.ALG_TYPE_EC_FP_PRIVATE, JCSystem.MEMORY_TYPE_PERSISTENT,
                (Key) domain, false);
        publicKey = (ECPublicKey) KeyBuilder.buildKeyWithSharedDomain(
                KeyBuilder.ALG_TYPE_EC_FP_PUBLIC, JCSystem.MEMORY_TYPE_PERSISTENT,
                (Key) domain, false);
        signature = Signature.getInstance(Signature.ALG_ECDSA_SHA_256, false);
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new SharedDomain().register();
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        short length = apdu.setIncomingAndReceive();
        short data = ISO7816.OFFSET_CDATA;
        short n;
        switch (buf[ISO7816.OFFSET_INS]) {
        case 0x10:
            privateKey.setS(buf, data, (short) 32);
            signature.init(privateKey, Signature.MODE_SIGN);
            n = signature.sign(buf, (short) (data + 32), (short) (length - 32), buf, (short) 0);
            break;
        case 0x11:
            publicKey.setW(buf, data, (short) 65);
            signature.init(publicKey, Signature.MODE_VERIFY);
            boolean good = signature.verify(MESSAGE, (short) 0, (short) MESSAGE.length, buf,
                    (short) (data + 65), (short) (length - 65));
            buf[0] = (byte) (good ? 1 : 0);
            n = 1;
            break;
        case 0x12:
            n = publicKey.getA(buf, (short) 0);
            break;
        default:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
            return;
        }
        apdu.setOutgoingAndSend((short) 0, n);
    }
}
