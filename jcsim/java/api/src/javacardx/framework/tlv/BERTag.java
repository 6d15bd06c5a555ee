// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.tlv;

public abstract class BERTag {
    public static final byte BER_TAG_CLASS_MASK_APPLICATION = 1;
    public static final byte BER_TAG_CLASS_MASK_CONTEXT_SPECIFIC = 2;
    public static final byte BER_TAG_CLASS_MASK_PRIVATE = 3;
    public static final byte BER_TAG_CLASS_MASK_UNIVERSAL = 0;
    public static final boolean BER_TAG_TYPE_CONSTRUCTED = true;
    public static final boolean BER_TAG_TYPE_PRIMITIVE = false;

    protected BERTag() {
    }

    public boolean equals(BERTag bERTag) {
        return false;
    }

    public static BERTag getInstance(byte[] bArray, short s) {
        return null;
    }

    public abstract void init(byte[] bArray, short s);

    public boolean isConstructed() {
        return false;
    }

    public static boolean isConstructed(byte[] bArray, short s) {
        return false;
    }

    public byte size() {
        return 0;
    }

    public static byte size(byte[] bArray, short s) {
        return 0;
    }

    public byte tagClass() {
        return 0;
    }

    public static byte tagClass(byte[] bArray, short s) {
        return 0;
    }

    public short tagNumber() {
        return 0;
    }

    public static short tagNumber(byte[] bArray, short s) {
        return 0;
    }

    public static short toBytes(short s1, boolean z, short s2, byte[] bArray, short s3) {
        return 0;
    }

    public short toBytes(byte[] bArray, short s) {
        return 0;
    }

    public static boolean verifyFormat(byte[] bArray, short s) {
        return false;
    }
}
