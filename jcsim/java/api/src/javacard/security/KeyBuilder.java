// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public class KeyBuilder {
    public static final byte TYPE_DES_TRANSIENT_RESET = 1;
    public static final byte TYPE_DES_TRANSIENT_DESELECT = 2;
    public static final byte TYPE_DES = 3;
    public static final byte TYPE_RSA_PUBLIC = 4;
    public static final byte TYPE_RSA_PRIVATE = 5;
    public static final byte TYPE_RSA_CRT_PRIVATE = 6;
    public static final byte TYPE_DSA_PUBLIC = 7;
    public static final byte TYPE_DSA_PRIVATE = 8;
    public static final byte TYPE_EC_F2M_PUBLIC = 9;
    public static final byte TYPE_EC_F2M_PRIVATE = 10;
    public static final byte TYPE_EC_FP_PUBLIC = 11;
    public static final byte TYPE_EC_FP_PRIVATE = 12;
    public static final byte TYPE_AES_TRANSIENT_RESET = 13;
    public static final byte TYPE_AES_TRANSIENT_DESELECT = 14;
    public static final byte TYPE_AES = 15;
    public static final byte TYPE_KOREAN_SEED_TRANSIENT_RESET = 16;
    public static final byte TYPE_KOREAN_SEED_TRANSIENT_DESELECT = 17;
    public static final byte TYPE_KOREAN_SEED = 18;
    public static final byte TYPE_HMAC_TRANSIENT_RESET = 19;
    public static final byte TYPE_HMAC_TRANSIENT_DESELECT = 20;
    public static final byte TYPE_HMAC = 21;
    public static final byte TYPE_RSA_PRIVATE_TRANSIENT_RESET = 22;
    public static final byte TYPE_RSA_PRIVATE_TRANSIENT_DESELECT = 23;
    public static final byte TYPE_RSA_CRT_PRIVATE_TRANSIENT_RESET = 24;
    public static final byte TYPE_RSA_CRT_PRIVATE_TRANSIENT_DESELECT = 25;
    public static final byte TYPE_DSA_PRIVATE_TRANSIENT_RESET = 26;
    public static final byte TYPE_DSA_PRIVATE_TRANSIENT_DESELECT = 27;
    public static final byte TYPE_EC_F2M_PRIVATE_TRANSIENT_RESET = 28;
    public static final byte TYPE_EC_F2M_PRIVATE_TRANSIENT_DESELECT = 29;
    public static final byte TYPE_EC_FP_PRIVATE_TRANSIENT_RESET = 30;
    public static final byte TYPE_EC_FP_PRIVATE_TRANSIENT_DESELECT = 31;
    public static final byte TYPE_DH_PUBLIC = 32;
    public static final byte TYPE_DH_PUBLIC_TRANSIENT_DESELECT = 33;
    public static final byte TYPE_DH_PUBLIC_TRANSIENT_RESET = 34;
    public static final byte TYPE_DH_PRIVATE = 35;
    public static final byte TYPE_DH_PRIVATE_TRANSIENT_DESELECT = 36;
    public static final byte TYPE_DH_PRIVATE_TRANSIENT_RESET = 37;
    public static final byte ALG_TYPE_DES = 1;
    public static final byte ALG_TYPE_AES = 2;
    public static final byte ALG_TYPE_DSA_PUBLIC = 3;
    public static final byte ALG_TYPE_DSA_PRIVATE = 4;
    public static final byte ALG_TYPE_EC_F2M_PUBLIC = 5;
    public static final byte ALG_TYPE_EC_F2M_PRIVATE = 6;
    public static final byte ALG_TYPE_EC_FP_PUBLIC = 7;
    public static final byte ALG_TYPE_EC_FP_PRIVATE = 8;
    public static final byte ALG_TYPE_HMAC = 9;
    public static final byte ALG_TYPE_KOREAN_SEED = 10;
    public static final byte ALG_TYPE_RSA_PUBLIC = 11;
    public static final byte ALG_TYPE_RSA_PRIVATE = 12;
    public static final byte ALG_TYPE_RSA_CRT_PRIVATE = 13;
    public static final byte ALG_TYPE_DH_PUBLIC = 14;
    public static final byte ALG_TYPE_DH_PRIVATE = 15;
    public static final byte ALG_TYPE_EC_F2M_PARAMETERS = 16;
    public static final byte ALG_TYPE_EC_FP_PARAMETERS = 17;
    public static final byte ALG_TYPE_DSA_PARAMETERS = 18;
    public static final byte ALG_TYPE_DH_PARAMETERS = 19;
    public static final short LENGTH_DES = 64;
    public static final short LENGTH_DES3_2KEY = 128;
    public static final short LENGTH_DES3_3KEY = 192;

    public static final short LENGTH_RSA_512 = (short) 0x0200;
    public static final short LENGTH_RSA_736 = (short) 0x02E0;
    public static final short LENGTH_RSA_768 = (short) 0x0300;
    public static final short LENGTH_RSA_896 = (short) 0x0380;
    public static final short LENGTH_RSA_1024 = (short) 0x0400;
    public static final short LENGTH_RSA_1280 = (short) 0x0500;
    public static final short LENGTH_RSA_1536 = (short) 0x0600;
    public static final short LENGTH_RSA_1984 = (short) 0x07C0;
    public static final short LENGTH_RSA_2048 = (short) 0x0800;
    public static final short LENGTH_RSA_3072 = (short) 0x0C00;
    public static final short LENGTH_RSA_4096 = (short) 0x1000;
    public static final short LENGTH_DSA_512 = (short) 0x0200;
    public static final short LENGTH_DSA_768 = (short) 0x0300;
    public static final short LENGTH_DSA_1024 = (short) 0x0400;
    public static final short LENGTH_EC_FP_112 = 112;
    public static final short LENGTH_EC_F2M_113 = 113;
    public static final short LENGTH_EC_FP_128 = 128;
    public static final short LENGTH_EC_F2M_131 = 131;
    public static final short LENGTH_EC_FP_160 = 160;
    public static final short LENGTH_EC_F2M_163 = 163;
    public static final short LENGTH_EC_FP_192 = 192;
    public static final short LENGTH_EC_F2M_193 = 193;
    public static final short LENGTH_EC_FP_224 = 224;

    public static final short LENGTH_EC_FP_256 = (short) 0x0100;
    public static final short LENGTH_EC_FP_384 = (short) 0x0180;
    public static final short LENGTH_EC_FP_521 = (short) 0x0209;
    public static final short LENGTH_AES_128 = 128;
    public static final short LENGTH_AES_192 = 192;

    public static final short LENGTH_AES_256 = (short) 0x0100;
    public static final short LENGTH_KOREAN_SEED_128 = 128;
    public static final short LENGTH_HMAC_SHA_1_BLOCK_64 = 64;
    public static final short LENGTH_HMAC_SHA_256_BLOCK_64 = 64;
    public static final short LENGTH_HMAC_SHA_384_BLOCK_128 = 128;
    public static final short LENGTH_HMAC_SHA_512_BLOCK_128 = 128;

    public static final short LENGTH_DH_1024 = (short) 0x0400;
    public static final short LENGTH_DH_2048 = (short) 0x0800;
    private KeyBuilder() {
    }

    public static Key buildKey(byte keyType, short keyLength, boolean keyEncryption) throws CryptoException {
        return null;
    }

    public static Key buildKey(byte algorithmicKeyType, byte keyMemoryType, short keyLength, boolean keyEncryption) throws CryptoException {
        return null;
    }

    public static Key buildKeyWithSharedDomain(byte algorithmicKeyType, byte keyMemoryType, Key domainParameter, boolean keyEncryption) throws CryptoException {
        return null;
    }
}
