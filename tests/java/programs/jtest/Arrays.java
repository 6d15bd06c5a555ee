package jtest;

/** Arrays: sign extension, truncation, bounds, sizes. */
public class Arrays {
    public static byte storeLoadByte(int value) {
        byte[] a = new byte[2];
        a[1] = (byte) value;
        return a[1];
    }
    public static short storeLoadShort(int value) {
        short[] a = new short[3];
        a[2] = (short) value;
        return a[2];
    }
    public static int storeLoadInt(int value) {
        int[] a = new int[1];
        a[0] = value;
        return a[0];
    }
    public static boolean storeLoadBoolean(boolean value) {
        boolean[] a = new boolean[4];
        a[3] = value;
        return a[3];
    }
    public static int length(int size) { return new byte[size].length; }
    public static byte[] make(short size) { return new byte[size]; }
    public static int sum(byte[] data) {
        int total = 0;
        for (short i = 0; i < data.length; i++) total += data[i];
        return total;
    }
    public static int unsignedSum(byte[] data) {
        int total = 0;
        for (short i = 0; i < data.length; i++) total += data[i] & 0xFF;
        return total;
    }
    public static short read(short index) {
        short[] a = {10, 20, 30};
        return a[index];
    }
    public static int objects(int index) {
        Object[] things = new Object[2];
        things[0] = new byte[3];
        things[1] = new short[5];
        Object o = things[index];
        if (o instanceof byte[]) return ((byte[]) o).length;
        return 100 + ((short[]) o).length;
    }
    public static int nullArrayLength() {
        byte[] a = null;
        return a.length;
    }
}
