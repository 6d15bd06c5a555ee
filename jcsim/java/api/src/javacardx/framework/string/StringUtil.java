// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.string;

public class StringUtil {
    public static final byte GSM_7 = 6;
    public static final byte ISO_8859_1 = 7;
    public static final byte PROP_ENCODING_EXT = 64;
    public static final byte UCS_2 = 5;
    public static final byte UTF_16 = 2;
    public static final byte UTF_16_BE = 4;
    public static final byte UTF_16_LE = 3;
    public static final byte UTF_8 = 1;

    public static boolean check(byte[] bArray, short s1, short s2) {
        return false;
    }

    public static short codePointAt(byte[] bArray1, short s1, short s2, short s3, byte[] bArray2, short s4) {
        return 0;
    }

    public static short codePointBefore(byte[] bArray1, short s1, short s2, short s3, byte[] bArray2, short s4) {
        return 0;
    }

    public static short codePointCount(byte[] bArray, short s1, short s2) {
        return 0;
    }

    public static short compare(boolean z, byte[] bArray1, short s1, short s2, byte[] bArray2, short s3, short s4) {
        return 0;
    }

    public static short convertFrom(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3, byte b) {
        return 0;
    }

    public static short convertTo(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3, byte b) {
        return 0;
    }

    public static boolean endsWith(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3, short s4, short s5) {
        return false;
    }

    public static short indexOf(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3, short s4) {
        return 0;
    }

    public static short offsetByCodePoints(byte[] bArray, short s1, short s2, short s3, short s4) {
        return 0;
    }

    public static boolean parseBoolean(byte[] bArray, short s1, short s2) {
        return false;
    }

    public static short parseLongInteger(byte[] bArray, short s1, short s2, short[] sArray, short s3) {
        return 0;
    }

    public static short parseShortInteger(byte[] bArray, short s1, short s2) {
        return 0;
    }

    public static short replace(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3, short s4, byte[] bArray3, short s5, short s6, byte[] bArray4, short s7) {
        return 0;
    }

    public static boolean startsWith(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3, short s4, short s5) {
        return false;
    }

    public static short substring(byte[] bArray1, short s1, short s2, short s3, short s4, byte[] bArray2, short s5) {
        return 0;
    }

    public static short toLowerCase(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3) {
        return 0;
    }

    public static short toUpperCase(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3) {
        return 0;
    }

    public static short trim(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3) {
        return 0;
    }

    public static short valueOf(short s1, byte[] bArray, short s2) {
        return 0;
    }

    public static short valueOf(boolean z, byte[] bArray, short s) {
        return 0;
    }

    public static short valueOf(short[] sArray, byte[] bArray, short s) {
        return 0;
    }

    private StringUtil() {
    }
}
