package com.example.channelsecurity;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.MultiSelectable;
import javacard.framework.OwnerPIN;
import javacard.framework.Util;

/**
 * The Java twin of jcsim/samples/channel_security (the "ISO/IEC 7816-4:2013 Compliant Applet
 * Example" of the Java Card programming notes): a PIN-protected secret with one security state
 * per logical channel; a channel opened from channel Q > 0 inherits Q's state.
 *
 * VERIFY 80 20 00 00 Lc PIN (9000, 63Cx, 6983 once blocked); GET SECRET 80 CA 00 00 00 (6982
 * unless verified on this channel); GET STATE 80 CA 00 01 01.
 */
public class ChannelSecurityApplet extends Applet implements MultiSelectable {
    private static final short MAX_CHANNELS = 20;
    private static final byte PIN_TRY_LIMIT = 3;
    private static final byte MAX_PIN_SIZE = 8;
    private static final byte[] DEFAULT_PIN = {'1', '2', '3', '4'};
    private static final byte[] SECRET = {
        't', 'h', 'e', ' ', 'v', 'a', 'u', 'l', 't', ' ', 'c', 'o', 'd', 'e', ' ',
        'i', 's', ' ', '0', '4', '5', '1'
    };

    private static final byte INS_VERIFY = (byte) 0x20;
    private static final byte INS_GET = (byte) 0xCA;
    private static final byte P2_SECRET = 0x00;
    private static final byte P2_STATE = 0x01;
    private static final short SW_PIN_BLOCKED = (short) 0x6983;

    private final OwnerPIN pin;
    /** appState[channel]: the PIN was verified on that channel. */
    private final boolean[] appState;

    protected ChannelSecurityApplet() {
        pin = new OwnerPIN(PIN_TRY_LIMIT, MAX_PIN_SIZE);
        pin.update(DEFAULT_PIN, (short) 0, (byte) DEFAULT_PIN.length);
        appState = JCSystem.makeTransientBooleanArray(MAX_CHANNELS, JCSystem.CLEAR_ON_DESELECT);
    }

    /** bArray: [Li AID] [Lc control info] [La applet data]; applet data, if any, is the PIN. */
    public static void install(byte[] bArray, short bOffset, byte bLength) {
        byte aidLength = bArray[bOffset];
        short controlOffset = (short) (bOffset + 1 + aidLength);
        short dataOffset = (short) (controlOffset + 1 + bArray[controlOffset]);
        byte pinLength = bArray[dataOffset];
        ChannelSecurityApplet applet = new ChannelSecurityApplet();
        if (pinLength != 0) {
            applet.pin.update(bArray, (short) (dataOffset + 1), pinLength);
        }
        applet.register(bArray, (short) (bOffset + 1), aidLength);
    }

    public boolean select() {
        return selectOnChannel();
    }

    public boolean select(boolean appInstAlreadyActive) {
        return selectOnChannel();
    }

    private boolean selectOnChannel() {
        byte origChannel = APDU.getCLAChannel();
        byte targetChannel = JCSystem.getAssignedChannel();
        if (origChannel == targetChannel || origChannel == 0) {
            appState[targetChannel] = false;
        } else {
            // MANAGE CHANNEL OPEN from channel origChannel > 0: ISO 7816-4 has the new channel
            // inherit the origin's security state.
            appState[targetChannel] = appState[origChannel];
        }
        return true;
    }

    public void deselect() {
        appState[JCSystem.getAssignedChannel()] = false;
    }

    public void deselect(boolean appInstStillActive) {
        appState[JCSystem.getAssignedChannel()] = false;
    }

    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        byte channel = APDU.getCLAChannel();
        byte ins = buf[ISO7816.OFFSET_INS];
        if (ins == INS_VERIFY) {
            verify(apdu, channel);
        } else if (ins == INS_GET && buf[ISO7816.OFFSET_P2] == P2_SECRET) {
            if (!appState[channel]) {
                ISOException.throwIt(ISO7816.SW_SECURITY_STATUS_NOT_SATISFIED);
            }
            Util.arrayCopyNonAtomic(SECRET, (short) 0, buf, (short) 0, (short) SECRET.length);
            apdu.setOutgoingAndSend((short) 0, (short) SECRET.length);
        } else if (ins == INS_GET && buf[ISO7816.OFFSET_P2] == P2_STATE) {
            buf[0] = appState[channel] ? (byte) 1 : (byte) 0;
            apdu.setOutgoingAndSend((short) 0, (short) 1);
        } else {
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private void verify(APDU apdu, byte channel) {
        if (pin.getTriesRemaining() == 0) {
            ISOException.throwIt(SW_PIN_BLOCKED);
        }
        byte length = (byte) apdu.setIncomingAndReceive();
        boolean verified = pin.check(apdu.getBuffer(), apdu.getOffsetCdata(), length);
        // The PIN's own validated flag is card-wide; the per-channel flag is the one that counts.
        pin.reset();
        appState[channel] = verified;
        if (!verified) {
            ISOException.throwIt((short) (0x63C0 | pin.getTriesRemaining()));
        }
    }
}
