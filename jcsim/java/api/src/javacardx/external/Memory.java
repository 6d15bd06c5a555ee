// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.external;

public class Memory {
    public static final byte MEMORY_TYPE_EXTENDED_STORE = 2;
    public static final byte MEMORY_TYPE_MIFARE = 1;

    public static MemoryAccess getMemoryAccessInstance(byte memoryType, short[] memorySize, short memorySizeOffset) {
        return null;
    }

    private Memory() {
    }
}
