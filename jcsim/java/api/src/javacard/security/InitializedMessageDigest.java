// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public abstract class InitializedMessageDigest extends MessageDigest {
    public abstract void setInitialDigest(byte[] initialDigestBuf, short initialDigestOffset, short initialDigestLength, byte[] digestedMsgLenBuf, short digestedMsgLenOffset, short digestedMsgLenLength) throws CryptoException;
    protected InitializedMessageDigest() {
    }

    public static final class OneShot extends InitializedMessageDigest {
        private OneShot() {
        }

        public static final InitializedMessageDigest.OneShot open(byte algorithm) throws CryptoException {
            return null;
        }

        public void close() {
        }

        public void setInitialDigest(byte[] initialDigestBuf, short initialDigestOffset, short initialDigestLength, byte[] digestedMsgLenBuf, short digestedMsgLenOffset, short digestedMsgLenLength) throws CryptoException {
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

        public void reset() {
        }

        public void update(byte[] inBuff, short inOffset, short inLength) throws CryptoException {
        }
    }
}
