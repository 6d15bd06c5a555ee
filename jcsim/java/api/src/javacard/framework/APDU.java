// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework;

public final class APDU {
    public static final byte STATE_INITIAL = 0;
    public static final byte STATE_PARTIAL_INCOMING = 1;
    public static final byte STATE_FULL_INCOMING = 2;
    public static final byte STATE_OUTGOING = 3;
    public static final byte STATE_OUTGOING_LENGTH_KNOWN = 4;
    public static final byte STATE_PARTIAL_OUTGOING = 5;
    public static final byte STATE_FULL_OUTGOING = 6;

    public static final byte STATE_ERROR_NO_T0_GETRESPONSE = (byte) 0xFF;
    public static final byte STATE_ERROR_T1_IFD_ABORT = (byte) 0xFE;
    public static final byte STATE_ERROR_IO = (byte) 0xFD;
    public static final byte STATE_ERROR_NO_T0_REISSUE = (byte) 0xFC;
    public static final byte PROTOCOL_MEDIA_MASK = (byte) 0xF0;
    public static final byte PROTOCOL_TYPE_MASK = 15;
    public static final byte PROTOCOL_T0 = 0;
    public static final byte PROTOCOL_T1 = 1;
    public static final byte PROTOCOL_MEDIA_DEFAULT = 0;

    public static final byte PROTOCOL_MEDIA_CONTACTLESS_TYPE_A = (byte) 0x80;
    public static final byte PROTOCOL_MEDIA_CONTACTLESS_TYPE_B = (byte) 0x90;
    public static final byte PROTOCOL_MEDIA_USB = (byte) 0xA0;
    public static final byte PROTOCOL_MEDIA_HCI_APDU_GATE = (byte) 0xB0;
    public static final byte PROTOCOL_MEDIA_CONTACTLESS_TYPE_F = (byte) 0xB0;
    APDU() {
    }

    public byte[] getBuffer() {
        return null;
    }

    public static short getInBlockSize() {
        return 0;
    }

    public static short getOutBlockSize() {
        return 0;
    }

    public static byte getProtocol() {
        return 0;
    }

    public byte getNAD() {
        return 0;
    }

    public short setOutgoing() throws APDUException, ISOException {
        return 0;
    }

    public short setOutgoingNoChaining() throws APDUException, ISOException {
        return 0;
    }

    public void setOutgoingLength(short len) throws APDUException {
    }

    public short receiveBytes(short bOff) throws APDUException {
        return 0;
    }

    public short setIncomingAndReceive() throws APDUException {
        return 0;
    }

    public void sendBytes(short bOff, short len) throws APDUException {
    }

    public void sendBytesLong(byte[] outData, short bOff, short len) throws APDUException, SecurityException {
    }

    public void setOutgoingAndSend(short bOff, short len) throws APDUException {
    }

    public byte getCurrentState() {
        return 0;
    }

    public static APDU getCurrentAPDU() throws SecurityException {
        return null;
    }

    public static byte[] getCurrentAPDUBuffer() throws SecurityException {
        return null;
    }

    public static byte getCLAChannel() {
        return 0;
    }

    public static void waitExtension() throws APDUException {
    }

    public boolean isCommandChainingCLA() {
        return false;
    }

    public boolean isSecureMessagingCLA() {
        return false;
    }

    public boolean isISOInterindustryCLA() {
        return false;
    }

    public boolean isValidCLA() {
        return false;
    }

    public short getIncomingLength() {
        return 0;
    }

    public short getOffsetCdata() {
        return 0;
    }
}
