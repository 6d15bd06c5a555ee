// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.biometry;

public interface BioTemplate {
    public static final short MATCH_NEEDS_MORE_DATA = -1;
    public static final short MINIMUM_SUCCESSFUL_MATCH_SCORE = 16384;

    byte getBioType();
    short getPublicTemplateData(short publicOffset, byte[] dest, short destOffset, short length);
    byte getTriesRemaining();
    short getVersion(byte[] dest, short offset);
    short initMatch(byte[] candidate, short offset, short length);
    boolean isInitialized();
    boolean isValidated();
    short match(byte[] candidate, short offset, short length);
    void reset();
}
