// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public interface DSAKey {
    void setP(byte[] buffer, short offset, short length) throws CryptoException;
    void setQ(byte[] buffer, short offset, short length) throws CryptoException;
    void setG(byte[] buffer, short offset, short length) throws CryptoException;
    short getP(byte[] buffer, short offset);
    short getQ(byte[] buffer, short offset);
    short getG(byte[] buffer, short offset);
}
