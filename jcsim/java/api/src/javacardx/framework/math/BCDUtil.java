// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.math;

public class BCDUtil {
    public BCDUtil() {
    }

    public static short convertToBCD(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3) {
        return 0;
    }

    public static short convertToHex(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3) {
        return 0;
    }

    public static short getMaxBytesSupported() {
        return 0;
    }

    public static boolean isBCDFormat(byte[] bArray, short s1, short s2) {
        return false;
    }
}
