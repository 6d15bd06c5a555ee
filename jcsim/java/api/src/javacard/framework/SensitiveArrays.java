// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public class SensitiveArrays {
    private SensitiveArrays() {
    }

    public static void assertIntegrity(Object obj) {
    }

    public static boolean isIntegritySensitive(Object obj) {
        return false;
    }

    public static boolean isIntegritySensitiveArraysSupported() {
        return false;
    }

    public static Object makeIntegritySensitiveArray(byte type, byte memory, short length) {
        return null;
    }

    public static short clearArray(Object obj) throws TransactionException {
        return 0;
    }
}
