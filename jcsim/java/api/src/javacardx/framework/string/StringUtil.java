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

    public static boolean check(byte[] aString, short offset, short length) {
        return false;
    }

    public static short codePointAt(byte[] aString, short offset, short length, short index, byte[] dstBuffer, short dstOffset) {
        return 0;
    }

    public static short codePointBefore(byte[] aString, short offset, short length, short index, byte[] dstBuffer, short dstOffset) {
        return 0;
    }

    public static short codePointCount(byte[] aString, short offset, short length) {
        return 0;
    }

    public static short compare(boolean ignoreCase, byte[] aString, short offset, short length, byte[] anotherString, short ooffset, short olength) {
        return 0;
    }

    public static short convertFrom(byte[] srcString, short srcOffset, short srcLength, byte[] dstString, short dstOffset, byte encoding) {
        return 0;
    }

    public static short convertTo(byte[] srcString, short srcOffset, short srcLength, byte[] dstString, short dstOffset, byte encoding) {
        return 0;
    }

    public static boolean endsWith(byte[] aString, short offset, short length, byte[] suffix, short soffset, short slength, short codePointCount) {
        return false;
    }

    public static short indexOf(byte[] aString, short offset, short length, byte[] subString, short soffset, short slength) {
        return 0;
    }

    public static short offsetByCodePoints(byte[] aString, short offset, short length, short index, short codePointOffset) {
        return 0;
    }

    public static boolean parseBoolean(byte[] aString, short offset, short length) {
        return false;
    }

    public static short parseLongInteger(byte[] aString, short offset, short length, short[] integer, short ioffset) {
        return 0;
    }

    public static short parseShortInteger(byte[] aString, short offset, short length) {
        return 0;
    }

    public static short replace(byte[] srcString, short srcOffset, short srcLength, byte[] oldSubstring, short oOffset, short oLength, byte[] newSubstring, short nOffset, short nLength, byte[] dstString, short dstOffset) {
        return 0;
    }

    public static boolean startsWith(byte[] aString, short offset, short length, byte[] prefix, short poffset, short plength, short codePointCount) {
        return false;
    }

    public static short substring(byte[] srcString, short srcOffset, short srcLength, short codePointBeginIndex, short codePointEndIndex, byte[] dstString, short dstOffset) {
        return 0;
    }

    public static short toLowerCase(byte[] srcString, short srcOffset, short srcLength, byte[] dstString, short dstOffset) {
        return 0;
    }

    public static short toUpperCase(byte[] srcString, short srcOffset, short srcLength, byte[] dstString, short dstOffset) {
        return 0;
    }

    public static short trim(byte[] srcString, short srcOffset, short srcLength, byte[] dstString, short dstOffset) {
        return 0;
    }

    public static short valueOf(short value, byte[] dstString, short dstOffset) {
        return 0;
    }

    public static short valueOf(boolean value, byte[] dstString, short dstOffset) {
        return 0;
    }

    public static short valueOf(short[] value, byte[] dstString, short dstOffset) {
        return 0;
    }

    private StringUtil() {
    }
}
