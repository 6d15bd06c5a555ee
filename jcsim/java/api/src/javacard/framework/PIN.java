// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public interface PIN {
    byte getTriesRemaining();
    boolean check(byte[] pin, short offset, byte length) throws ArrayIndexOutOfBoundsException, NullPointerException;
    boolean isValidated();
    void reset();
}
