"""``ChannelSecurityApplet``: the "ISO/IEC 7816-4:2013 Compliant Applet Example" of the Java
Card application programming notes ("Writing ISO/IEC 7816-4 Compliant Applets"), in Python.

ISO 7816-4 gives each logical channel its own security state, with one exception: a channel
opened by MANAGE CHANNEL OPEN from a channel other than the basic one starts with the security
state of that origin channel. An applet must implement this itself, so it must tell the ways
it can be selected apart, which it does with two channel numbers read inside ``select``:

- ``APDU.getCLAChannel()``: the channel the command (SELECT or MANAGE CHANNEL) came on;
- ``JCSystem.getAssignedChannel()``: the channel the applet is being selected on.

| origin vs. assigned       | command                        | security state on the channel |
|---------------------------|--------------------------------|-------------------------------|
| equal                     | SELECT FILE (or a reset)       | starts unverified             |
| origin 0, assigned n      | MANAGE CHANNEL OPEN from 0     | starts unverified             |
| origin Q > 0, assigned n  | MANAGE CHANNEL OPEN from Q     | copied from channel Q         |

The security state here is "the PIN was verified on this channel" (the notes' ``appState``,
one entry per channel). ``OwnerPIN.isValidated()`` cannot serve: it is one flag for the
instance, shared by all channels, which is exactly what ISO 7816-4 forbids. So the applet
records the result of ``check`` per channel and resets the PIN's own flag at once.

The flags live in a CLEAR_ON_DESELECT array: the JCRE zeroes it when no applet of the package
is active any more and at every reset, so a verified state can never outlive the card session.
While the applet stays active on other channels the JCRE does not clear it, so the applet clears
a channel's entry itself when it is deselected from that channel.

Commands (any CLA, so they work on every channel):

- ``80 20 00 00 Lc PIN``: VERIFY; 9000, or 63Cx with x tries left (6983 once blocked);
- ``80 CA 00 00 00``: GET SECRET; the secret, or 6982 when this channel is not verified;
- ``80 CA 00 01 01``: GET STATE; 01 when this channel is verified, else 00.

jcsim note: the 20 flags are indexed by channel number, as in the notes. On a card that serves
both interfaces at once, channel n of the contact and of the contactless interface would share
an entry; ``select`` has no APDU to ask for the interface, so this sample does not tell them
apart.
"""

from __future__ import annotations

from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ISOException,
    JCSystem,
    MultiSelectable,
    OwnerPIN,
    Util,
)

MAX_CHANNELS = 20
PIN_TRY_LIMIT = 3
MAX_PIN_SIZE = 8
DEFAULT_PIN = b"1234"
SECRET = b"the vault code is 0451"

INS_VERIFY = 0x20
INS_GET = 0xCA
P2_SECRET = 0x00
P2_STATE = 0x01
SW_PIN_BLOCKED = 0x6983  # ISO 7816-4: authentication method blocked


class ChannelSecurityApplet(Applet, MultiSelectable):
    """A PIN-protected secret with one security state per logical channel."""

    @classmethod
    def install(cls, bArray: bytes, bOffset: int, bLength: int) -> None:
        # bArray: [Li AID] [Lc control info] [La applet data]; the applet data, when present,
        # is the PIN to use instead of the default one.
        aid_length = bArray[bOffset]
        control_offset = bOffset + 1 + aid_length
        data_offset = control_offset + 1 + bArray[control_offset]
        pin_length = bArray[data_offset]
        applet = cls()
        if pin_length:
            applet.pin.update(bArray, data_offset + 1, pin_length)
        applet.register(bArray, bOffset + 1, aid_length)

    def __init__(self) -> None:
        self.pin = OwnerPIN(PIN_TRY_LIMIT, MAX_PIN_SIZE)
        self.pin.update(DEFAULT_PIN, 0, len(DEFAULT_PIN))
        # appState[channel]: the PIN was verified on that channel.
        self.appState = JCSystem.makeTransientBooleanArray(MAX_CHANNELS,
                                                           JCSystem.CLEAR_ON_DESELECT)

    # --- selection ---------------------------------------------------------------------------

    def select(self, appInstAlreadyActive: bool | None = None) -> bool:
        # Java calls select() or select(boolean); either way what matters here is where the
        # selection comes from, not whether the instance is already active.
        origChannel = APDU.getCLAChannel()  # where the command was issued
        targetChannel = JCSystem.getAssignedChannel()  # where the applet is being selected
        if origChannel == targetChannel or origChannel == 0:
            # SELECT FILE on the channel itself, or MANAGE CHANNEL OPEN from the basic
            # channel: the ISO 7816-4 sharing case does not apply, the channel starts afresh.
            self.appState[targetChannel] = False
        else:
            # MANAGE CHANNEL OPEN from channel origChannel > 0: the new channel inherits the
            # origin's security state (ISO 7816-4). This is always a multiselection: the same
            # instance is active on the origin channel.
            self.appState[targetChannel] = self.appState[origChannel]
        return True

    def deselect(self, appInstStillActive: bool | None = None) -> None:
        # The channel's session ends; the JCRE clears the whole array only when the package
        # is no longer active anywhere, so forget this channel's state now.
        self.appState[JCSystem.getAssignedChannel()] = False

    # --- commands ----------------------------------------------------------------------------

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        channel = APDU.getCLAChannel()
        ins = buf[ISO7816.OFFSET_INS]
        if ins == INS_VERIFY:
            self.verify(apdu, channel)
        elif ins == INS_GET and buf[ISO7816.OFFSET_P2] == P2_SECRET:
            if not self.appState[channel]:
                ISOException.throwIt(ISO7816.SW_SECURITY_STATUS_NOT_SATISFIED)
            Util.arrayCopyNonAtomic(SECRET, 0, buf, 0, len(SECRET))
            apdu.setOutgoingAndSend(0, len(SECRET))
        elif ins == INS_GET and buf[ISO7816.OFFSET_P2] == P2_STATE:
            buf[0] = 1 if self.appState[channel] else 0
            apdu.setOutgoingAndSend(0, 1)
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)

    def verify(self, apdu: APDU, channel: int) -> None:
        if self.pin.getTriesRemaining() == 0:
            ISOException.throwIt(SW_PIN_BLOCKED)
        length = apdu.setIncomingAndReceive()
        verified = self.pin.check(apdu.getBuffer(), apdu.getOffsetCdata(), length)
        # The PIN's own validated flag is card-wide; the per-channel flag is the one that counts.
        self.pin.reset()
        # A failed VERIFY also withdraws an earlier success on this channel.
        self.appState[channel] = verified
        if not verified:
            ISOException.throwIt(0x63C0 | self.pin.getTriesRemaining())
