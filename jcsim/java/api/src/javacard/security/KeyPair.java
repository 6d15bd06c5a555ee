// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public final class KeyPair {
    public static final byte ALG_RSA = 1;
    public static final byte ALG_RSA_CRT = 2;
    public static final byte ALG_DSA = 3;
    public static final byte ALG_EC_F2M = 4;
    public static final byte ALG_EC_FP = 5;
    public static final byte ALG_DH = 6;

    public final void genKeyPair() throws CryptoException {
    }

    public KeyPair(byte algorithm, short keyLength) throws CryptoException {
    }

    public KeyPair(PublicKey publicKey, PrivateKey privateKey) throws CryptoException {
    }

    public PublicKey getPublic() {
        return null;
    }

    public PrivateKey getPrivate() {
        return null;
    }
}
