// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework.service;

import java.rmi.Remote;

public class CardRemoteObject implements Remote {
    public CardRemoteObject() {
    }

    public static void export(Remote obj) throws SecurityException {
    }

    public static void unexport(Remote obj) throws SecurityException {
    }
}
