// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.crypto;

public interface KeyEncryption {
    void setKeyCipher(Cipher keyCipher);
    Cipher getKeyCipher();
}
