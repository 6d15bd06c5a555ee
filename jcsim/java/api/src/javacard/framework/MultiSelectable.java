// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public interface MultiSelectable {
    boolean select(boolean appInstAlreadyActive);
    void deselect(boolean appInstStillActive);
}
