// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework.service;

import javacard.framework.APDU;

public class BasicService implements Service {
    public BasicService() {
    }

    public boolean processDataIn(APDU apdu) {
        return false;
    }

    public boolean processCommand(APDU apdu) {
        return false;
    }

    public boolean processDataOut(APDU apdu) {
        return false;
    }

    public short receiveInData(APDU apdu) throws ServiceException {
        return 0;
    }

    public void setProcessed(APDU apdu) throws ServiceException {
    }

    public boolean isProcessed(APDU apdu) {
        return false;
    }

    public void setOutputLength(APDU apdu, short length) throws ServiceException {
    }

    public short getOutputLength(APDU apdu) throws ServiceException {
        return 0;
    }

    public void setStatusWord(APDU apdu, short sw) {
    }

    public short getStatusWord(APDU apdu) throws ServiceException {
        return 0;
    }

    public boolean fail(APDU apdu, short sw) throws ServiceException {
        return false;
    }

    public boolean succeed(APDU apdu) throws ServiceException {
        return false;
    }

    public boolean succeedWithStatusWord(APDU apdu, short sw) throws ServiceException {
        return false;
    }

    public byte getCLA(APDU apdu) {
        return 0;
    }

    public byte getINS(APDU apdu) {
        return 0;
    }

    public byte getP1(APDU apdu) throws ServiceException {
        return 0;
    }

    public byte getP2(APDU apdu) throws ServiceException {
        return 0;
    }

    public boolean selectingApplet() {
        return false;
    }
}
