// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework.service;

import javacard.framework.APDU;

public interface Service {
    boolean processDataIn(APDU apdu);
    boolean processCommand(APDU apdu);
    boolean processDataOut(APDU apdu);
}
