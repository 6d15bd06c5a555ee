package com.example.bytecodes;

/**
 * Computations that exercise one bytecode family each: run(test, p) answers a short. It uses
 * nothing of the Java Card API beyond java.lang, so the very same class file also runs on a
 * JVM, which gives the expected answer of every (test, p).
 */
public final class Families {
    public static final byte TESTS = 16;

    private static final short[] PRIMES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31};
    private static final byte[] SBOX = {
        (byte) 0x63, (byte) 0x7C, (byte) 0x77, (byte) 0x7B, (byte) 0xF2, (byte) 0x6B, (byte) 0x6F,
        (byte) 0xC5
    };
    private static final boolean[] FLAGS = {true, false, true, true};
    private static final short ANSWER = 42;

    private static short calls;
    private static short finallyCount;

    private short base;
    byte small;
    boolean flag;
    int wide;
    Families next;

    Families(short base) {
        this.base = base;
        this.wide = base;
    }

    /** A nested interface, called with invokeinterface. */
    interface Op {
        short apply(short x);
    }

    /** A static nested class. */
    static final class Doubler implements Op {
        public short apply(short x) {
            return (short) (x * 2);
        }
    }

    /** An inner class: it reads the outer instance's private field through javac's accessor. */
    final class Adder implements Op {
        public short apply(short x) {
            return (short) (x + base);
        }
    }

    /** A user exception with a field. */
    static final class Oops extends RuntimeException {
        final short code;

        Oops(short code) {
            this.code = code;
        }
    }

    abstract static class Shape {
        abstract short area();

        short twice() {
            return (short) (area() * 2);
        }
    }

    static class Square extends Shape {
        final short side;

        Square(short side) {
            this.side = side;
        }

        short area() {
            return (short) (side * side);
        }
    }

    static class Rect extends Square {
        final short other;

        Rect(short side, short other) {
            super(side);
            this.other = other;
        }

        short area() {
            return (short) (super.area() / side * other + hidden());
        }

        private short hidden() {
            return 1;
        }
    }

    public static short run(byte test, short p) {
        calls++;
        switch (test) {
            case 0: return dense(p);
            case 1: return sparse(p);
            case 2: return arithmetic(p);
            case 3: return intArithmetic(p);
            case 4: return shifts(p);
            case 5: return division(p);
            case 6: return tryFinally(p);
            case 7: return nestedExceptions(p);
            case 8: return arrays(p);
            case 9: return staticTables(p);
            case 10: return new Families(p).innerClasses(p);
            case 11: return dispatch(p);
            case 12: return casts(p);
            case 13: return loops(p);
            case 14: return fields(p);
            case 15: return uncaught(p);
            default: return (short) -1;
        }
    }

    static short dense(short p) {
        short r = 0;
        switch (p & 7) {
            case 0:
                r += 1;
                // falls through
            case 1:
                r += 10;
                break;
            case 2:
                r = 200;
                break;
            case 3:
            case 4:
                r = (short) (p * 3);
                break;
            case 5:
                return (short) -5;
            case 6:
                r = (short) (r - 6);
                break;
            default:
                r = 7;
        }
        byte b = (byte) p;
        switch (b) {
            case -128: r ^= 0x100; break;
            case -1: r ^= 0x200; break;
            case 0: r ^= 0x400; break;
            case 1: r ^= 0x800; break;
            case 2: r ^= 0x1000; break;
            default: break;
        }
        return r;
    }

    static short sparse(short p) {
        switch (p) {
            case -32768: return 1;
            case -1: return 2;
            case 0: return 3;
            case 100: return 4;
            case 1000: return 5;
            case 32767: return 6;
            default: return (short) (p ^ 0x5A5A);
        }
    }

    static short arithmetic(short p) {
        short a = (short) (p + 32767);
        short b = (short) (p * p);
        byte c = (byte) (p + 200);
        short d = (short) -p;
        short e = (short) (p % 7);
        short f = (short) ~p;
        a += b;
        c *= 3;
        boolean odd = (p & 1) != 0;
        return (short) (a ^ b ^ c ^ d ^ (e << 3) ^ f ^ (odd ? 0x1111 : 0));
    }

    static short intArithmetic(short p) {
        int x = p * 100000;
        int y = x / 7 + x % 13;
        int z = (x >>> 5) ^ (x >> 3) ^ (y << 7);
        int m = -z;
        m -= 0x7FFFFFFF;
        return (short) (z ^ (z >>> 16) ^ m ^ (m >> 17));
    }

    static short shifts(short p) {
        short s1 = (short) (p >> 3);
        short s2 = (short) (p >>> 3);
        short s3 = (short) (p << 9);
        byte b = (byte) p;
        byte s4 = (byte) (b >>> 2);
        int i = p;
        int s5 = i << 33;
        int s6 = i >> -1;
        return (short) (s1 + s2 * 3 + s3 * 5 + s4 * 7 + s5 + s6);
    }

    static short division(short p) {
        short q = (short) (p | (short) 0x8000);
        short minus = (short) (p >> 15 | 1);
        short r1 = (short) (q / minus);
        short r2 = (short) (q % minus);
        int m = 0x80000000 + (p & 0);
        int r3 = m / -1;
        int r5 = m % -1;
        short r4;
        try {
            r4 = (short) (100 / p);
        } catch (ArithmeticException e) {
            r4 = 0x7AAA;
        }
        short r6;
        try {
            r6 = (short) (p % (p & 3));
        } catch (ArithmeticException e) {
            r6 = -2;
        }
        return (short) (r1 ^ r2 ^ (short) (r3 >>> 16) ^ r4 ^ r5 ^ (r6 << 4));
    }

    static short tryFinally(short p) {
        short log = 0;
        try {
            log |= 1;
            if (p < 0) {
                throw new ArithmeticException();
            }
            log |= 2;
            if (p == 0) {
                return (short) (log | 0x100);
            }
        } catch (ArithmeticException e) {
            log |= 4;
        } finally {
            log |= 8;
            finallyCount++;
        }
        return (short) (log | (p > 100 ? 0x200 : 0) | finallyOverride(p));
    }

    static short finallyOverride(short p) {
        short result = 0x10;
        try {
            if (p == 5) {
                throw new Oops((short) 5);
            }
            result = 0x20;
            return result;
        } catch (Oops oops) {
            result = (short) (0x40 + oops.code);
            return result;
        } finally {
            result = 0x7FFF;  // too late: the value to return was already taken
        }
    }

    static void fail(short kind, short p) {
        switch (kind) {
            case 0: {
                byte[] none = null;
                none[0] = 1;
                break;
            }
            case 1: {
                byte[] two = new byte[2];
                two[p] = 1;
                break;
            }
            case 2:
                p = (short) (1 / (p - p));
                break;
            case 3: {
                Object o = new short[1];
                byte[] b = (byte[]) o;
                b[0] = 1;
                break;
            }
            case 4: {
                byte[] negative = new byte[(short) (-p - 1)];
                negative[0] = 1;
                break;
            }
            case 5:
                throw new Oops(p);
            default:
                break;
        }
    }

    static short nestedExceptions(short p) {
        short kind = (short) ((p & 0x7FFF) % 7);
        short log = 0;
        try {
            try {
                fail(kind, p);
                log |= 1;
            } catch (NullPointerException e) {
                log |= 2;
            } finally {
                log |= 4;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            log |= 8;
        } catch (Oops e) {
            log |= (short) (0x10 | (e.code & 0x0F00));
        } catch (RuntimeException e) {
            if (e instanceof ArithmeticException) {
                log |= 0x20;
            } else if (e instanceof ClassCastException) {
                log |= 0x40;
            } else if (e instanceof NegativeArraySizeException) {
                log |= 0x80;
            }
        }
        return log;
    }

    static short arrays(short p) {
        short[] s = new short[5];
        boolean[] f = new boolean[3];
        Object[] o = new Object[2];
        byte[] b = new byte[4];
        int[] n = new int[2];
        s[p & 3] = p;
        f[1] = p > 0;
        o[0] = s;
        o[1] = b;
        b[3] = (byte) 0x80;
        n[1] = p * 65536;
        short sum = (short) (s.length + f.length + o.length + b.length + n.length);
        if (o[0] instanceof short[]) {
            sum += 100;
        }
        if (o[1] instanceof short[]) {
            sum += 1000;
        }
        short[] back = (short[]) o[0];
        sum += back[p & 3];
        sum += b[3];
        sum += (short) (n[1] >> 16);
        if (f[1]) {
            sum ^= 0x4000;
        }
        if (o[0] != o[1] && o[0] == s) {
            sum += 7;
        }
        return sum;
    }

    static short staticTables(short p) {
        short i = (short) ((p & 0x7FFF) % PRIMES.length);
        short j = (short) (p & 7);
        short r = (short) (PRIMES[i] * SBOX[j]);
        if (FLAGS[p & 3]) {
            r += ANSWER;
        }
        return (short) (r + SBOX.length + PRIMES.length);
    }

    short innerClasses(short p) {
        final short captured = (short) (p & 0xFF);
        Op neg = new Op() {
            public short apply(short x) {
                return (short) (-x + captured);
            }
        };
        Op[] ops = {new Doubler(), new Adder(), neg, this.new Adder()};
        short acc = p;
        for (short k = 0; k < ops.length; k++) {
            acc = ops[k].apply(acc);
        }
        return acc;
    }

    static short dispatch(short p) {
        short side = (short) (p & 0x0F);
        Shape[] shapes = {new Square(side), new Rect(side == 0 ? 1 : side, (short) 3)};
        short r = 0;
        for (short k = 0; k < shapes.length; k++) {
            r = (short) (r * 31 + shapes[k].twice());
        }
        return r;
    }

    static short casts(short p) {
        Object o;
        if ((p & 1) == 0) {
            o = new byte[1];
        } else {
            o = new Families(p);
        }
        short r = 0;
        if (o instanceof Families) {
            r += 1;
        }
        if (o instanceof byte[]) {
            r += 2;
        }
        if (o instanceof Object) {
            r += 4;
        }
        try {
            Families f = (Families) o;
            r += f.base;
        } catch (ClassCastException e) {
            r += 100;
        }
        Object op = new Doubler();
        if (op instanceof Op) {
            r += 8;
        }
        Object nothing = null;
        if (!(nothing instanceof Object)) {
            r += 16;
        }
        Families none = (Families) nothing;
        if (none == null) {
            r += 32;
        }
        return r;
    }

    static short loops(short p) {
        short acc = 0;
        short n = (short) (p & 0x3F);
        outer:
        for (short i = 0; i < n; i++) {
            for (short j = 0; j < 4; j++) {
                if (j == 2) {
                    continue;
                }
                if (i * j > 50) {
                    break outer;
                }
                acc += (short) (i ^ j);
            }
        }
        short k = 0;
        do {
            acc -= k;
            k += 3;
        } while (k < 10);
        while (acc > 100) {
            acc >>= 1;
        }
        return acc;
    }

    static short fields(short p) {
        Families f = new Families(p);
        f.small++;
        f.small += 200;
        f.flag = !f.flag;
        f.wide = f.wide * 3 + 1;
        f.next = new Families((short) (p + 1));
        f.next.base += 5;
        short[] arr = new short[3];
        arr[1] += p;
        arr[1]++;
        arr[2] = arr[1]--;
        return (short) (f.small + (f.flag ? 1000 : 0) + (short) f.wide + f.next.base + arr[1]
                + arr[2]);
    }

    static short uncaught(short p) {
        if (p == 9) {
            throw new Oops(p);
        }
        return (short) (1000 / (p - 7));
    }
}
