// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public abstract class Applet {
    protected Applet() {
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) throws ISOException {
    }

    public abstract void process(APDU apdu) throws ISOException;
    public boolean select() {
        return false;
    }

    public void deselect() {
    }

    public Shareable getShareableInterfaceObject(AID clientAID, byte parameter) {
        return null;
    }

    protected final void register() throws SystemException {
    }

    protected final void register(byte[] bArray, short bOffset, byte bLength) throws SystemException {
    }

    protected final boolean selectingApplet() {
        return false;
    }

    protected static boolean reSelectingApplet() {
        return false;
    }
}
