package com.example.rmipurse;

import java.rmi.RemoteException;
import javacard.framework.UserException;
import javacard.framework.service.CardRemoteObject;

/**
 * The remote object behind Purse: a new purse holds 0; an amount must not be negative; a debit
 * may not exceed the balance; a credit may not exceed MAX_AMOUNT; anything else fails with
 * UserException(REQUEST_FAILED).
 */
public class PurseImpl extends CardRemoteObject implements Purse {
    private short balance;

    public PurseImpl() {
        super();
        balance = 0;
    }

    public short debit(short amount) throws RemoteException, UserException {
        if (amount < 0 || amount > balance) {
            UserException.throwIt(REQUEST_FAILED);
        }
        balance -= amount;
        return balance;
    }

    public short credit(short amount) throws RemoteException, UserException {
        if (amount < 0 || amount > MAX_AMOUNT) {
            UserException.throwIt(REQUEST_FAILED);
        }
        balance += amount;
        return balance;
    }

    public short getBalance() throws RemoteException, UserException {
        return balance;
    }
}
