// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.tlv;

public abstract class BERTLV {
    protected BERTLV() {
    }

    public static BERTLV getInstance(byte[] bArray, short bOff, short bLen) {
        return null;
    }

    public short getLength() {
        return 0;
    }

    public static short getLength(byte[] berTLVArray, short bOff) {
        return 0;
    }

    public BERTag getTag() {
        return null;
    }

    public static short getTag(byte[] berTLVArray, short bTLVOff, byte[] berTagArray, short bTagOff) {
        return 0;
    }

    public abstract short init(byte[] bArray, short s1, short s2);

    public short size() {
        return 0;
    }

    public short toBytes(byte[] outBuf, short bOff) {
        return 0;
    }

    public static boolean verifyFormat(byte[] berTlvArray, short bOff, short bLen) {
        return false;
    }
}
