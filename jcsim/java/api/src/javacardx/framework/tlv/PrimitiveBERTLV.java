// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.tlv;

public class PrimitiveBERTLV extends BERTLV {
    public PrimitiveBERTLV(short s) {
    }

    public short appendValue(byte[] bArray, short s1, short s2) {
        return 0;
    }

    public static short appendValue(byte[] bArray1, short s1, byte[] bArray2, short s2, short s3) {
        return 0;
    }

    public short getValue(byte[] bArray, short s) {
        return 0;
    }

    public static short getValueOffset(byte[] bArray, short s) {
        return 0;
    }

    public short init(PrimitiveBERTag primitiveBERTag, byte[] bArray, short s1, short s2) {
        return 0;
    }

    public short init(byte[] bArray, short s1, short s2) {
        return 0;
    }

    public short replaceValue(byte[] bArray, short s1, short s2) {
        return 0;
    }

    public static short toBytes(byte[] bArray1, short s1, byte[] bArray2, short s2, short s3, byte[] bArray3, short s4) {
        return 0;
    }
}
