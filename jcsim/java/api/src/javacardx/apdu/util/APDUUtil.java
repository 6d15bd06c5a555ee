// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.apdu.util;

public class APDUUtil {
    public static byte getCLAChannel(byte cla) {
        return 0;
    }

    public static boolean isSecureMessagingCLA(byte cla) {
        return false;
    }

    public static boolean isCommandChainingCLA(byte cla) {
        return false;
    }

    public static boolean isISOInterindustryCLA(byte cla) {
        return false;
    }

    public static boolean isValidCLA(byte cla) {
        return false;
    }

    private APDUUtil() {
    }
}
