// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public class OwnerPINBuilder {
    public static final byte OWNER_PIN = 1;
    public static final byte OWNER_PIN_X = 2;
    public static final byte OWNER_PIN_X_WITH_PREDECREMENT = 3;

    private OwnerPINBuilder() {
    }

    public static PIN buildOwnerPIN(byte tryLimit, byte maxPINSize, byte pinType) throws PINException {
        return null;
    }
}
