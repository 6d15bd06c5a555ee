// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package java.lang;

public class SecurityException extends RuntimeException {
    public SecurityException() {
    }
}
