// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.math;

public class BCDUtil {
    public BCDUtil() {
    }

    public static short convertToBCD(byte[] hexArray, short bOff, short bLen, byte[] bcdArray, short outOff) {
        return 0;
    }

    public static short convertToHex(byte[] bcdArray, short bOff, short bLen, byte[] hexArray, short outOff) {
        return 0;
    }

    public static short getMaxBytesSupported() {
        return 0;
    }

    public static boolean isBCDFormat(byte[] bcdArray, short bOff, short bLen) {
        return false;
    }
}
