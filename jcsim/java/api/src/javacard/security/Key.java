// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.security;

public interface Key {
    boolean isInitialized();
    void clearKey();
    byte getType();
    short getSize();
}
