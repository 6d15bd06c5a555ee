// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.string;

import javacard.framework.CardRuntimeException;

public class StringException extends CardRuntimeException {
    public static final short ILLEGAL_NUMBER_FORMAT = 2;
    public static final short INVALID_BYTE_SEQUENCE = 3;
    public static final short UNSUPPORTED_ENCODING = 1;

    public StringException(short reason) {
        super((short) 0);
    }

    public static void throwIt(short reason) {
    }
}
