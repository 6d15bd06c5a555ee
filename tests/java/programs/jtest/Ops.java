package jtest;

/** Int, short and byte arithmetic as Java Card code writes it. */
public class Ops {
    public static int add(int a, int b) { return a + b; }
    public static int sub(int a, int b) { return a - b; }
    public static int mul(int a, int b) { return a * b; }
    public static int div(int a, int b) { return a / b; }
    public static int rem(int a, int b) { return a % b; }
    public static int neg(int a) { return -a; }
    public static int and(int a, int b) { return a & b; }
    public static int or(int a, int b) { return a | b; }
    public static int xor(int a, int b) { return a ^ b; }
    public static int shl(int a, int b) { return a << b; }
    public static int shr(int a, int b) { return a >> b; }
    public static int ushr(int a, int b) { return a >>> b; }
    public static short sadd(short a, short b) { return (short) (a + b); }
    public static short ssub(short a, short b) { return (short) (a - b); }
    public static short smul(short a, short b) { return (short) (a * b); }
    public static short sdiv(short a, short b) { return (short) (a / b); }
    public static short srem(short a, short b) { return (short) (a % b); }
    public static short sshr(short a, short b) { return (short) (a >> b); }
    public static short sushr(short a, short b) { return (short) (a >>> b); }
    public static byte badd(byte a, byte b) { return (byte) (a + b); }
    public static byte toByte(int a) { return (byte) a; }
    public static short toShort(int a) { return (short) a; }
    public static int inc(int a, int times) {
        for (short i = 0; i < times; i++) { a += 3; a--; }
        return a;
    }
    public static boolean less(short a, short b) { return a < b; }
    public static int compare(int a, int b) {
        if (a == b) return 0;
        if (a > b) return 1;
        return a >= b ? 99 : -1;
    }
    public static int bigConstant() { return 123456789; }
    public static int minInt() { return Integer.MIN_VALUE; }
}
