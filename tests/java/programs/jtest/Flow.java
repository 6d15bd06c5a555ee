package jtest;

/** Exceptions, handlers, finally, switches. */
public class Flow {
    static short finallyRuns;

    public static int divideOr(int a, int b, int fallback) {
        try {
            return a / b;
        } catch (ArithmeticException e) {
            return fallback;
        }
    }

    public static int withFinally(int mode) {
        int result = 0;
        try {
            if (mode == 1) throw new ArithmeticException();
            if (mode == 2) return 20;
            result = 10;
        } catch (ArithmeticException e) {
            result = 11;
        } finally {
            finallyRuns++;
        }
        return result;
    }

    public static short finallyCount() { return finallyRuns; }

    public static int nested(int mode) {
        try {
            try {
                if (mode == 0) { byte[] a = new byte[1]; a[mode + 1] = 0; }
                if (mode == 1) { Object o = null; o.equals(o); }
                if (mode == 2) { Object o = new byte[1]; short[] s = (short[]) o; return s.length; }
                if (mode == 3) { return new byte[mode - 4].length; }
                return -1;
            } catch (NullPointerException e) {
                return 2;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return 1;
        } catch (ClassCastException e) {
            return 3;
        } catch (NegativeArraySizeException e) {
            return 4;
        }
    }

    public static void uncaught(short index) {
        byte[] a = new byte[2];
        a[index] = 1;
    }

    public static int table(int key) {
        switch (key) {
            case 0: return 100;
            case 1: return 101;
            case 2: return 102;
            case 3: return 103;
            case 5: return 105;
            default: return -1;
        }
    }

    public static int lookup(int key) {
        switch (key) {
            case -1000: return 1;
            case 7: return 2;
            case 1000000: return 3;
            default: return 0;
        }
    }

    public static int rethrow(int mode) {
        try {
            try {
                if (mode == 1) throw new SecurityException();
                return 0;
            } finally {
                finallyRuns += 100;
            }
        } catch (RuntimeException e) {
            return e instanceof SecurityException ? 5 : 6;
        }
    }
}
