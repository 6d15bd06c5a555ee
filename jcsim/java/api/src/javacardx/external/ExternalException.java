// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.external;

import javacard.framework.CardRuntimeException;

public class ExternalException extends CardRuntimeException {
    public static final short INTERNAL_ERROR = 3;
    public static final short INVALID_PARAM = 2;
    public static final short NO_SUCH_SUBSYSTEM = 1;

    public ExternalException(short reason) {
        super((short) 0);
    }

    public static void throwIt(short reason) {
    }
}
