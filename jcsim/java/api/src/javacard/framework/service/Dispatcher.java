// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework.service;

import javacard.framework.APDU;
import javacard.framework.ISOException;

public class Dispatcher {
    public static final byte PROCESS_NONE = 0;
    public static final byte PROCESS_INPUT_DATA = 1;
    public static final byte PROCESS_COMMAND = 2;
    public static final byte PROCESS_OUTPUT_DATA = 3;

    public Dispatcher(short maxServices) throws ServiceException {
    }

    public void addService(Service service, byte phase) throws ServiceException {
    }

    public void removeService(Service service, byte phase) throws ServiceException {
    }

    public Exception dispatch(APDU command, byte phase) throws ServiceException {
        return null;
    }

    public void process(APDU command) throws ISOException {
    }
}
