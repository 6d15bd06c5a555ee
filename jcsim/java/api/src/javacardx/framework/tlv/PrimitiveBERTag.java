// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.tlv;

public class PrimitiveBERTag extends BERTag {
    public PrimitiveBERTag() {
    }

    public void init(byte b, short s) {
    }

    public void init(byte[] bArray, short s) {
    }
}
