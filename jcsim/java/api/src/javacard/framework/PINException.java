// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public class PINException extends CardRuntimeException {
    public static final short ILLEGAL_VALUE = 1;
    public static final short ILLEGAL_STATE = 2;

    public PINException(short reason) {
        super((short) 0);
    }

    public static void throwIt(short reason) {
    }
}
