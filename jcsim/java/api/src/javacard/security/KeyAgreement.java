// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public abstract class KeyAgreement {
    public static final byte ALG_EC_SVDP_DH = 1;
    public static final byte ALG_EC_SVDP_DH_KDF = 1;
    public static final byte ALG_EC_SVDP_DHC = 2;
    public static final byte ALG_EC_SVDP_DHC_KDF = 2;
    public static final byte ALG_EC_SVDP_DH_PLAIN = 3;
    public static final byte ALG_EC_SVDP_DHC_PLAIN = 4;
    public static final byte ALG_EC_PACE_GM = 5;
    public static final byte ALG_EC_SVDP_DH_PLAIN_XY = 6;
    public static final byte ALG_DH_PLAIN = 7;

    protected KeyAgreement() {
    }

    public static final KeyAgreement getInstance(byte algorithm, boolean externalAccess) throws CryptoException {
        return null;
    }

    public abstract void init(PrivateKey privateKey) throws CryptoException;
    public abstract byte getAlgorithm();
    public abstract short generateSecret(byte[] publicData, short publicOffset, short publicLength, byte[] secret, short secretOffset) throws CryptoException;
}
