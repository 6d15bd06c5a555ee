// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public interface SignatureMessageRecovery {
    void init(Key theKey, byte theMode) throws CryptoException;
    short beginVerify(byte[] sigAndRecDataBuff, short buffOffset, short sigLength) throws CryptoException;
    short sign(byte[] inBuff, short inOffset, short inLength, byte[] sigBuff, short sigOffset, short[] recMsgLen, short recMsgLenOffset) throws CryptoException;
    boolean verify(byte[] inBuff, short inOffset, short inLength) throws CryptoException;
    byte getAlgorithm();
    short getLength() throws CryptoException;
    void update(byte[] inBuff, short inOffset, short inLength) throws CryptoException;
}
