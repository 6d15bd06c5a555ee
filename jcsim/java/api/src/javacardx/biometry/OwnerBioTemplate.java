// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.biometry;

public interface OwnerBioTemplate extends BioTemplate {
    void doFinal();
    void init(byte[] bArray, short offset, short length);
    void resetUnblockAndSetTryLimit(byte newTryLimit);
    void update(byte[] bArray, short offset, short length);
}
