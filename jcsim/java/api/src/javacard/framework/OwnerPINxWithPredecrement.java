// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public interface OwnerPINxWithPredecrement extends OwnerPINx {
    byte decrementTriesRemaining();
    boolean check(byte[] pin, short offset, byte length) throws PINException, ArrayIndexOutOfBoundsException, NullPointerException;
}
