// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public abstract class RandomData {
    public static final byte ALG_PSEUDO_RANDOM = 1;
    public static final byte ALG_SECURE_RANDOM = 2;
    public static final byte ALG_TRNG = 3;
    public static final byte ALG_PRESEEDED_DRBG = 4;
    public static final byte ALG_FAST = 5;
    public static final byte ALG_KEYGENERATION = 6;

    protected RandomData() {
    }

    public static final RandomData getInstance(byte algorithm) throws CryptoException {
        return null;
    }

    public abstract void generateData(byte[] buffer, short offset, short length) throws CryptoException;
    public abstract short nextBytes(byte[] buffer, short offset, short length) throws CryptoException;
    public abstract void setSeed(byte[] buffer, short offset, short length);
    public abstract byte getAlgorithm();

    public static final class OneShot extends RandomData {
        private OneShot() {
        }

        public static final RandomData.OneShot open(byte algorithm) throws CryptoException {
            return null;
        }

        public void close() {
        }

        public byte getAlgorithm() {
            return 0;
        }

        public void generateData(byte[] buffer, short offset, short length) throws CryptoException {
        }

        public short nextBytes(byte[] buffer, short offset, short length) throws CryptoException {
            return 0;
        }

        public void setSeed(byte[] buffer, short offset, short length) {
        }
    }
}
