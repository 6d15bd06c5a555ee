// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public class APDUException extends CardRuntimeException {
    public static final short ILLEGAL_USE = 1;
    public static final short BUFFER_BOUNDS = 2;
    public static final short BAD_LENGTH = 3;
    public static final short IO_ERROR = 4;
    public static final short NO_T0_GETRESPONSE = 170;
    public static final short T1_IFD_ABORT = 171;
    public static final short NO_T0_REISSUE = 172;

    public APDUException(short reason) {
        super((short) 0);
    }

    public static void throwIt(short reason) {
    }
}
