package jtest;

/** The stack shuffles javac emits for compound assignments used as values. */
public class Stack {
    short field;
    static short counter;

    public static int arrayCompound(short start) {
        short[] a = {start, 0};
        a[0] += 5;                 // dup2: array and index reused
        int old = a[0]++;          // dup_x2: the old value kept under array and index
        return old * 1000 + a[0];
    }

    public static int fieldCompound(short start) {
        Stack s = new Stack();
        s.field = start;
        int old = s.field++;       // dup_x1: the old value kept under the object
        int now = ++s.field;
        return old * 1000 + now;
    }

    public static int chained(short value) {
        short[] a = new short[2];
        Stack s = new Stack();
        a[1] = s.field = value;    // dup_x1 / dup_x2 for chained assignment
        counter = a[0] = (short) (value + 1);
        return a[1] * 1000 + s.field + counter * 100000;
    }
}
