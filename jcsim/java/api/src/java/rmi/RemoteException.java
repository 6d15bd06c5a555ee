// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package java.rmi;

import java.io.IOException;

public class RemoteException extends IOException {
    public RemoteException() {
    }
}
