package com.jcsim.sio.server;

import javacard.framework.Shareable;

/** The shared interface of the counter server (twin of tests/java/sio_python.py Counter). */
public interface Counter extends Shareable {
    short add(short delta);

    short value();
}
