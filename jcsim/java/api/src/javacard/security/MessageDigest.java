// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public abstract class MessageDigest {
    public static final byte ALG_NULL = 0;
    public static final byte ALG_SHA = 1;
    public static final byte ALG_MD5 = 2;
    public static final byte ALG_RIPEMD160 = 3;
    public static final byte ALG_SHA_256 = 4;
    public static final byte ALG_SHA_384 = 5;
    public static final byte ALG_SHA_512 = 6;
    public static final byte ALG_SHA_224 = 7;
    public static final byte ALG_SHA3_224 = 8;
    public static final byte ALG_SHA3_256 = 9;
    public static final byte ALG_SHA3_384 = 10;
    public static final byte ALG_SHA3_512 = 11;
    public static final byte LENGTH_MD5 = 16;
    public static final byte LENGTH_RIPEMD160 = 20;
    public static final byte LENGTH_SHA = 20;
    public static final byte LENGTH_SHA_224 = 28;
    public static final byte LENGTH_SHA_256 = 32;
    public static final byte LENGTH_SHA_384 = 48;
    public static final byte LENGTH_SHA_512 = 64;
    public static final byte LENGTH_SHA3_224 = 28;
    public static final byte LENGTH_SHA3_256 = 32;
    public static final byte LENGTH_SHA3_384 = 48;
    public static final byte LENGTH_SHA3_512 = 64;

    protected MessageDigest() {
    }

    public static final MessageDigest getInstance(byte algorithm, boolean externalAccess) throws CryptoException {
        return null;
    }

    public static final InitializedMessageDigest getInitializedMessageDigestInstance(byte algorithm, boolean externalAccess) throws CryptoException {
        return null;
    }

    public abstract byte getAlgorithm();
    public abstract byte getLength();
    public abstract short doFinal(byte[] inBuff, short inOffset, short inLength, byte[] outBuff, short outOffset) throws CryptoException;
    public abstract void update(byte[] inBuff, short inOffset, short inLength) throws CryptoException;
    public abstract void reset();

    public static final class OneShot extends MessageDigest {
        private OneShot() {
        }

        public static final MessageDigest.OneShot open(byte algorithm) throws CryptoException {
            return null;
        }

        public void close() {
        }

        public byte getAlgorithm() {
            return 0;
        }

        public byte getLength() {
            return 0;
        }

        public short doFinal(byte[] inBuff, short inOffset, short inLength, byte[] outBuff, short outOffset) throws CryptoException {
            return 0;
        }

        public void update(byte[] inBuff, short inOffset, short inLength) throws CryptoException {
        }

        public void reset() {
        }
    }
}
