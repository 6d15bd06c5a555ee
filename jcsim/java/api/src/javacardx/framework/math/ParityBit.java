// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.math;

public class ParityBit {
    public ParityBit() {
    }

    public static void set(byte[] bArray, short bOff, short bLen, boolean isEven) {
    }
}
