// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.util.intx;

public class JCint {
    public static int getInt(byte[] bArray, short bOff) {
        return 0;
    }

    public static int makeInt(byte b1, byte b2, byte b3, byte b4) {
        return 0;
    }

    public static int makeInt(short s1, short s2) {
        return 0;
    }

    public static int[] makeTransientIntArray(short length, byte event) {
        return null;
    }

    public static short setInt(byte[] bArray, short bOff, int iValue) {
        return 0;
    }

    private JCint() {
    }
}
