package com.example.sio.server;

import javacard.framework.Shareable;

/** The loyalty points a client applet may grant through the firewall. */
public interface Points extends Shareable {
    /** Adds amount (1..MAX_GRANT) and returns the new balance; ISOException 6A80 otherwise. */
    short grant(short amount);

    /** The balance. */
    short balance();
}
