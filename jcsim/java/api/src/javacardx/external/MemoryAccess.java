// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.external;

public interface MemoryAccess {
    short readData(byte[] bArray1, short s1, byte[] bArray2, short s2, short s3, short s4, short s5, short s6);
    boolean writeData(byte[] bArray1, short s1, short s2, byte[] bArray2, short s3, short s4, short s5, short s6);
}
