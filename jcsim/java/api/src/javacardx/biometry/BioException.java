// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.biometry;

import javacard.framework.CardRuntimeException;

public class BioException extends CardRuntimeException {
    public static final short ILLEGAL_USE = 5;
    public static final short ILLEGAL_VALUE = 1;
    public static final short INVALID_DATA = 2;
    public static final short NO_SUCH_BIO_TEMPLATE = 3;
    public static final short NO_TEMPLATES_ENROLLED = 4;

    public BioException(short reason) {
        super((short) 0);
    }

    public static void throwIt(short reason) {
    }
}
