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

    public boolean equals(BERTag otherTag) {
        return false;
    }

    public static BERTag getInstance(byte[] bArray, short bOff) {
        return null;
    }

    public abstract void init(byte[] bArray, short s);

    public boolean isConstructed() {
        return false;
    }

    public static boolean isConstructed(byte[] berTagArray, short bOff) {
        return false;
    }

    public byte size() {
        return 0;
    }

    public static byte size(byte[] berTagArray, short bOff) {
        return 0;
    }

    public byte tagClass() {
        return 0;
    }

    public static byte tagClass(byte[] berTagArray, short bOff) {
        return 0;
    }

    public short tagNumber() {
        return 0;
    }

    public static short tagNumber(byte[] berTagArray, short bOff) {
        return 0;
    }

    public static short toBytes(short tagClass, boolean isConstructed, short tagNumber, byte[] outArray, short bOff) {
        return 0;
    }

    public short toBytes(byte[] outBuf, short bOffset) {
        return 0;
    }

    public static boolean verifyFormat(byte[] berTagArray, short bOff) {
        return false;
    }
}
