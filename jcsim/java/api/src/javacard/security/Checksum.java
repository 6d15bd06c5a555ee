// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public abstract class Checksum {
    public static final byte ALG_ISO3309_CRC16 = 1;
    public static final byte ALG_ISO3309_CRC32 = 2;

    public static final Checksum getInstance(byte algorithm, boolean externalAccess) throws CryptoException {
        return null;
    }

    protected Checksum() {
    }

    public abstract void init(byte[] bArray, short bOff, short bLen) throws CryptoException;
    public abstract byte getAlgorithm();
    public abstract short doFinal(byte[] inBuff, short inOffset, short inLength, byte[] outBuff, short outOffset);
    public abstract void update(byte[] inBuff, short inOffset, short inLength);
}
