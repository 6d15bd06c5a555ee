package jtest;

/** Objects: constructors, fields, virtual, interface, super and private calls, statics. */
public class Shapes {
    interface Area { short area(); }

    static abstract class Shape implements Area {
        protected short scale = 1;
        short id;
        static short made;
        Shape(short id) { this.id = id; made++; }
        public short describe() { return (short) (area() * scale + kind()); }
        abstract short kind();
        private short secret() { return 7; }
        short callSecret() { return secret(); }
    }

    static class Square extends Shape {
        short side;
        Square(short side) { super((short) 1); this.side = side; }
        public short area() { return (short) (side * side); }
        short kind() { return 1000; }
    }

    static class Cube extends Square {
        Cube(short side) { super(side); scale = 6; }
        short kind() { return (short) (super.kind() + 1000); }
    }

    static final byte[] TABLE = {1, 2, 3, (byte) 0xFF};
    static short[] counters = new short[4];
    static final short LIMIT = 300;
    static short nextId = LIMIT;

    public static int describe(short which, short side) {
        Shape s = which == 0 ? new Square(side) : new Cube(side);
        return s.describe();
    }

    public static int viaInterface(short side) {
        Area a = new Cube(side);
        return a.area();
    }

    public static int made() { return Shape.made; }
    public static int secret() { return new Square((short) 2).callSecret(); }
    public static int tableAt(short i) { return TABLE[i]; }
    public static int count(short i) { counters[i]++; return counters[i]; }
    public static int takeId() { return nextId++; }
    public static boolean isSquare(short which) {
        Object o = which == 0 ? (Object) new Square((short) 1) : (Object) new byte[1];
        return o instanceof Square;
    }
    public static int castFails() {
        Object o = new Square((short) 1);
        try {
            Cube c = (Cube) o;
            return c.side;
        } catch (ClassCastException e) {
            return -5;
        }
    }
}
