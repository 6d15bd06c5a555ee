package com.example.rmipurse;

import java.rmi.Remote;
import java.rmi.RemoteException;
import javacard.framework.UserException;

/**
 * The remote interface of the Java Card programming notes' RMI purse (twin of jcsim/samples/purse).
 * Its package is not the notes' examples.purse: the Python sample declares remote classes of
 * that name in the same host process, and one name must mean one class there.
 */
public interface Purse extends Remote {
    short MAX_AMOUNT = 400;
    short REQUEST_FAILED = 0x0102;

    short debit(short amount) throws RemoteException, UserException;

    short credit(short amount) throws RemoteException, UserException;

    short getBalance() throws RemoteException, UserException;
}
