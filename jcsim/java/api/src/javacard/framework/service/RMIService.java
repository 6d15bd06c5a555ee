// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework.service;

import java.rmi.Remote;
import javacard.framework.APDU;

public class RMIService extends BasicService implements RemoteService {
    public static final byte DEFAULT_RMI_INVOKE_INSTRUCTION = 56;

    public RMIService(Remote initialObject) throws NullPointerException {
    }

    public void setInvokeInstructionByte(byte ins) {
    }

    public boolean processCommand(APDU apdu) {
        return false;
    }
}
