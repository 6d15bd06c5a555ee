// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.biometry;

public interface BioTemplate {
    public static final short MATCH_NEEDS_MORE_DATA = -1;
    public static final short MINIMUM_SUCCESSFUL_MATCH_SCORE = 16384;

    byte getBioType();
    short getPublicTemplateData(short s1, byte[] bArray, short s2, short s3);
    byte getTriesRemaining();
    short getVersion(byte[] bArray, short s);
    short initMatch(byte[] bArray, short s1, short s2);
    boolean isInitialized();
    boolean isValidated();
    short match(byte[] bArray, short s1, short s2);
    void reset();
}
