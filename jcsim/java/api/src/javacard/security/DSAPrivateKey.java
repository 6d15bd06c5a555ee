// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public interface DSAPrivateKey extends PrivateKey, DSAKey {
    void setX(byte[] buffer, short offset, short length) throws CryptoException;
    short getX(byte[] buffer, short offset);
}
