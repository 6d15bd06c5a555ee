// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.biometry;

public interface OwnerBioTemplate extends BioTemplate {
    void doFinal();
    void init(byte[] bArray, short s1, short s2);
    void resetUnblockAndSetTryLimit(byte b);
    void update(byte[] bArray, short s1, short s2);
}
