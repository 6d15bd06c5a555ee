// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.tlv;

public class PrimitiveBERTLV extends BERTLV {
    public PrimitiveBERTLV(short numValueBytes) {
    }

    public short appendValue(byte[] vArray, short vOff, short vLen) {
        return 0;
    }

    public static short appendValue(byte[] berTLVArray, short bTLVOff, byte[] vArray, short vOff, short vLen) {
        return 0;
    }

    public short getValue(byte[] tlvValue, short tOff) {
        return 0;
    }

    public static short getValueOffset(byte[] berTLVArray, short bTLVOff) {
        return 0;
    }

    public short init(PrimitiveBERTag primitiveBERTag, byte[] bArray, short s1, short s2) {
        return 0;
    }

    public short init(byte[] bArray, short s1, short s2) {
        return 0;
    }

    public short replaceValue(byte[] vArray, short vOff, short vLen) {
        return 0;
    }

    public static short toBytes(byte[] berTagArray, short berTagOff, byte[] valueArray, short vOff, short vLen, byte[] outBuf, short bOff) {
        return 0;
    }
}
