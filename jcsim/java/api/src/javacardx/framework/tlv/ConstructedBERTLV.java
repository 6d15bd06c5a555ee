// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.tlv;

public class ConstructedBERTLV extends BERTLV {
    public ConstructedBERTLV(short s) {
    }

    public short append(BERTLV bERTLV) {
        return 0;
    }

    public static short append(byte[] bArray1, short s1, byte[] bArray2, short s2) {
        return 0;
    }

    public short delete(BERTLV bERTLV, short s) {
        return 0;
    }

    public BERTLV find(BERTag bERTag) {
        return null;
    }

    public static short find(byte[] bArray1, short s1, byte[] bArray2, short s2) {
        return 0;
    }

    public BERTLV findNext(BERTag bERTag, BERTLV bERTLV, short s) {
        return null;
    }

    public static short findNext(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3) {
        return 0;
    }

    public short init(ConstructedBERTag constructedBERTag, BERTLV bERTLV) {
        return 0;
    }

    public short init(ConstructedBERTag constructedBERTag, byte[] bArray, short s1, short s2) {
        return 0;
    }

    public short init(byte[] bArray, short s1, short s2) {
        return 0;
    }
}
