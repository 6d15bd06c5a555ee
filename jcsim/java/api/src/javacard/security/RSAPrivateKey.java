// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public interface RSAPrivateKey extends PrivateKey {
    void setModulus(byte[] buffer, short offset, short length) throws CryptoException;
    void setExponent(byte[] buffer, short offset, short length) throws CryptoException;
    short getModulus(byte[] buffer, short offset);
    short getExponent(byte[] buffer, short offset);
}
