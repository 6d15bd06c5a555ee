// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public interface DSAPublicKey extends PublicKey, DSAKey {
    void setY(byte[] buffer, short offset, short length) throws CryptoException;
    short getY(byte[] buffer, short offset);
}
