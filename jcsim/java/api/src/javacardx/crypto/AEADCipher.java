// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.crypto;

import javacard.security.CryptoException;
import javacard.security.Key;

public abstract class AEADCipher extends Cipher {
    public static final byte CIPHER_AES_GCM = (byte) 0xF1;
    public static final byte CIPHER_AES_CCM = (byte) 0xF2;
    public static final byte ALG_AES_GCM = (byte) 0xF3;
    public static final byte ALG_AES_CCM = (byte) 0xF4;
    protected AEADCipher() {
    }

    public abstract void init(Key theKey, byte theMode) throws CryptoException;
    public abstract void init(Key theKey, byte theMode, byte[] bArray, short bOff, short bLen) throws CryptoException;
    public abstract void init(Key theKey, byte theMode, byte[] nonceBuf, short nonceOff, short nonceLen, short adataLen, short messageLen, short tagSize) throws CryptoException;
    public abstract void updateAAD(byte[] aadBuf, short aadOff, short aadLen) throws CryptoException;
    public abstract short update(byte[] inBuff, short inOffset, short inLength, byte[] outBuff, short outOffset) throws CryptoException;
    public abstract short doFinal(byte[] inBuff, short inOffset, short inLength, byte[] outBuff, short outOffset) throws CryptoException;
    public abstract short retrieveTag(byte[] tagBuf, short tagOff, short tagLen) throws CryptoException;
    public abstract boolean verifyTag(byte[] receivedTagBuf, short receivedTagOff, short receivedTagLen, short requiredTagLen) throws CryptoException;
}
