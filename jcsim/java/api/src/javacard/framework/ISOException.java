// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public class ISOException extends CardRuntimeException {
    public ISOException(short sw) {
        super((short) 0);
    }

    public static void throwIt(short sw) {
    }
}
