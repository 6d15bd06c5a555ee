// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public class OwnerPIN implements PIN {
    protected boolean getValidatedFlag() {
        return false;
    }

    protected void setValidatedFlag(boolean value) {
    }

    public OwnerPIN(byte tryLimit, byte maxPINSize) throws PINException {
    }

    public byte getTriesRemaining() {
        return 0;
    }

    public boolean check(byte[] pin, short offset, byte length) throws ArrayIndexOutOfBoundsException, NullPointerException {
        return false;
    }

    public boolean isValidated() {
        return false;
    }

    public void reset() {
    }

    public void update(byte[] pin, short offset, byte length) throws PINException {
    }

    public void resetAndUnblock() {
    }
}
