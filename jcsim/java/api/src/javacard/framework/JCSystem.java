// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public final class JCSystem {
    public static final byte MEMORY_TYPE_PERSISTENT = 0;
    public static final byte MEMORY_TYPE_TRANSIENT_RESET = 1;
    public static final byte MEMORY_TYPE_TRANSIENT_DESELECT = 2;
    public static final byte ARRAY_TYPE_BOOLEAN = 1;
    public static final byte ARRAY_TYPE_BYTE = 2;
    public static final byte ARRAY_TYPE_SHORT = 3;
    public static final byte ARRAY_TYPE_INT = 4;
    public static final byte ARRAY_TYPE_OBJECT = 5;
    public static final byte NOT_A_TRANSIENT_OBJECT = 0;
    public static final byte CLEAR_ON_RESET = 1;
    public static final byte CLEAR_ON_DESELECT = 2;

    JCSystem() {
    }

    public static byte isTransient(Object theObj) {
        return 0;
    }

    public static boolean[] makeTransientBooleanArray(short length, byte event) throws NegativeArraySizeException, SystemException {
        return null;
    }

    public static byte[] makeTransientByteArray(short length, byte event) throws NegativeArraySizeException, SystemException {
        return null;
    }

    public static short[] makeTransientShortArray(short length, byte event) throws NegativeArraySizeException, SystemException {
        return null;
    }

    public static Object[] makeTransientObjectArray(short length, byte event) throws NegativeArraySizeException, SystemException {
        return null;
    }

    public static Object makeGlobalArray(byte type, short length) {
        return null;
    }

    public static short getVersion() {
        return 0;
    }

    public static AID getAID() {
        return null;
    }

    public static AID lookupAID(byte[] buffer, short offset, byte length) {
        return null;
    }

    public static void beginTransaction() throws TransactionException {
    }

    public static void abortTransaction() throws TransactionException {
    }

    public static void commitTransaction() throws TransactionException {
    }

    public static byte getTransactionDepth() {
        return 0;
    }

    public static short getUnusedCommitCapacity() {
        return 0;
    }

    public static short getMaxCommitCapacity() {
        return 0;
    }

    public static AID getPreviousContextAID() {
        return null;
    }

    public static short getAvailableMemory(byte buffer) throws SystemException {
        return 0;
    }

    public static void getAvailableMemory(short[] buffer, short offset, byte memoryType) throws SystemException {
    }

    public static Shareable getAppletShareableInterfaceObject(AID serverAID, byte parameter) {
        return null;
    }

    public static boolean isObjectDeletionSupported() {
        return false;
    }

    public static void requestObjectDeletion() throws SystemException {
    }

    public static byte getAssignedChannel() {
        return 0;
    }

    public static boolean isAppletActive(AID theApplet) {
        return false;
    }
}
