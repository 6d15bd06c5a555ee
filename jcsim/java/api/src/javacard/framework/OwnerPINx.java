// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public interface OwnerPINx extends PIN {
    void update(byte[] pin, short offset, byte length) throws PINException;
    byte getTryLimit();
    void setTryLimit(byte tryLimit);
    void setTriesRemaining(byte triesRemaining);
}
