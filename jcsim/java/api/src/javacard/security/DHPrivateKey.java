// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public interface DHPrivateKey extends PrivateKey, DHKey {
    void setX(byte[] buffer, short offset, short length) throws CryptoException;
    short getX(byte[] buffer, short offset);
}
