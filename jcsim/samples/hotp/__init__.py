"""An HOTP one-time-password applet (RFC 4226) that keeps its state in static fields, the way
OATH applets written in Java do."""

from jcsim.samples.hotp.applet import BrokenHotpApplet, HotpApplet

__all__ = ["BrokenHotpApplet", "HotpApplet"]
