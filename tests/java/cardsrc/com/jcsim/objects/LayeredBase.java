package com.jcsim.objects;

import javacard.framework.Applet;

/** A Java applet base class that overrides nothing of Applet's select(). */
abstract class LayeredBase extends Applet {
    short selects;
}
