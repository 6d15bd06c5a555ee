// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.tlv;

public class ConstructedBERTLV extends BERTLV {
    public ConstructedBERTLV(short numTLVs) {
    }

    public short append(BERTLV aTLV) {
        return 0;
    }

    public static short append(byte[] berTLVInArray, short bTLVInOff, byte[] berTLVOutArray, short bTLVOutOff) {
        return 0;
    }

    public short delete(BERTLV aTLV, short occurrenceNum) {
        return 0;
    }

    public BERTLV find(BERTag tag) {
        return null;
    }

    public static short find(byte[] berTLVArray, short bTLVOff, byte[] berTagArray, short bTagOff) {
        return 0;
    }

    public BERTLV findNext(BERTag tag, BERTLV aTLV, short occurrenceNum) {
        return null;
    }

    public static short findNext(byte[] berTLVArray, short bTLVOff, short startOffset, byte[] berTagArray, short bTagOff) {
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
