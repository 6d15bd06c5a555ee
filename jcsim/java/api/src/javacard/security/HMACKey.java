// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public interface HMACKey extends SecretKey {
    void setKey(byte[] keyData, short kOff, short kLen) throws CryptoException, NullPointerException, ArrayIndexOutOfBoundsException;
    byte getKey(byte[] keyData, short kOff);
}
