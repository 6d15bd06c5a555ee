// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.framework.util;

public class ArrayLogic {
    public static byte arrayCompareGeneric(Object object1, short s1, Object object2, short s2, short s3) {
        return 0;
    }

    public static short arrayCopyRepack(Object object1, short s1, short s2, Object object2, short s3) {
        return 0;
    }

    public static short arrayCopyRepackNonAtomic(Object object1, short s1, short s2, Object object2, short s3) {
        return 0;
    }

    public static short arrayFillGeneric(Object object1, short s1, short s2, Object object2, short s3) {
        return 0;
    }

    public static short arrayFillGenericNonAtomic(Object object1, short s1, short s2, Object object2, short s3) {
        return 0;
    }

    public static short arrayFindGeneric(Object object, short s1, byte[] bArray, short s2) {
        return 0;
    }

    private ArrayLogic() {
    }
}
