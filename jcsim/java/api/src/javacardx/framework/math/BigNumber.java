// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.math;

public class BigNumber {
    public static final byte FORMAT_BCD = 1;
    public static final byte FORMAT_HEX = 2;

    public BigNumber(short maxBytes) {
    }

    public void add(byte[] bArray, short bOff, short bLen, byte arrayFormat) {
    }

    public byte compareTo(BigNumber bigNumber) {
        return 0;
    }

    public byte compareTo(byte[] bArray, short s1, short s2, byte b) {
        return 0;
    }

    public short getByteLength(byte arrayFormat) {
        return 0;
    }

    public static short getMaxBytesSupported() {
        return 0;
    }

    public void init(byte[] bArray, short bOff, short bLen, byte arrayFormat) {
    }

    public void multiply(byte[] bArray, short bOff, short bLen, byte arrayFormat) {
    }

    public void reset() {
    }

    public void setMaximum(byte[] maxValue, short bOff, short bLen, byte arrayFormat) {
    }

    public void subtract(byte[] bArray, short bOff, short bLen, byte arrayFormat) {
    }

    public void toBytes(byte[] outBuf, short bOff, short numBytes, byte arrayFormat) {
    }
}
