// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public interface KoreanSEEDKey extends SecretKey {
    void setKey(byte[] keyData, short kOff) throws CryptoException, NullPointerException, ArrayIndexOutOfBoundsException;
    byte getKey(byte[] keyData, short kOff);
}
