package jtest;

/** Names Java allows that Python attributes could confuse: a field and a method of one name,
 *  a subclass field hiding its superclass's, names starting with an underscore. */
public class Names {
    static class Base {
        short count;
        short _hidden = 4;
        short count() { return (short) (count + 100); }
        short baseCount() { return count; }
    }

    static class Derived extends Base {
        short count;  // hides Base.count
        Derived() { count = 7; super.count = 3; }
        short derivedCount() { return count; }
    }

    public static int fieldAndMethod() {
        Base b = new Base();
        int before = b.count + b.count();  // 0 + 100: the field reads 0 before any write
        b.count = 5;
        return before * 1000 + b.count * 10 + (b.count() - 100) + b._hidden * 100000;
    }

    public static int hiding() {
        Derived d = new Derived();
        return d.derivedCount() * 10 + d.baseCount();
    }
}
