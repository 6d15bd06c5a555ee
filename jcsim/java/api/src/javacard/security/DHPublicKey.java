// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public interface DHPublicKey extends PublicKey, DHKey {
    void setY(byte[] buffer, short offset, short length) throws CryptoException;
    short getY(byte[] buffer, short offset);
}
