// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.util;

import javacard.framework.CardRuntimeException;

public class UtilException extends CardRuntimeException {
    public static final short ILLEGAL_VALUE = 1;
    public static final short TYPE_MISMATCHED = 2;

    public UtilException(short reason) {
        super((short) 0);
    }

    public static void throwIt(short reason) {
    }
}
