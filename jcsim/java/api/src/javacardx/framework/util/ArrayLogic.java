// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.util;

public class ArrayLogic {
    public static byte arrayCompareGeneric(Object src, short srcOff, Object dest, short destOff, short length) {
        return 0;
    }

    public static short arrayCopyRepack(Object src, short srcOff, short srcLen, Object dest, short destOff) {
        return 0;
    }

    public static short arrayCopyRepackNonAtomic(Object src, short srcOff, short srcLen, Object dest, short destOff) {
        return 0;
    }

    public static short arrayFillGeneric(Object theArray, short off, short len, Object valArray, short valOff) {
        return 0;
    }

    public static short arrayFillGenericNonAtomic(Object theArray, short off, short len, Object valArray, short valOff) {
        return 0;
    }

    public static short arrayFindGeneric(Object theArray, short off, byte[] valArray, short valOff) {
        return 0;
    }

    private ArrayLogic() {
    }
}
