"""The programming notes' ISO/IEC 7816-4 compliant applet: a security state per logical channel,
copied from the origin channel by MANAGE CHANNEL OPEN from a channel other than the basic one."""

from jcsim.samples.channel_security.channel_security_applet import ChannelSecurityApplet

__all__ = ["ChannelSecurityApplet"]
