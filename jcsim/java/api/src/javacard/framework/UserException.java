// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public class UserException extends CardException {
    public UserException() {
        super((short) 0);
    }

    public UserException(short reason) {
        super((short) 0);
    }

    public static void throwIt(short reason) throws UserException {
    }
}
