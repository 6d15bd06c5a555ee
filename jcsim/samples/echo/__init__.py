"""The echo sample: an applet that returns what it receives, with extended length."""

from jcsim.samples.echo.echo import Echo

__all__ = ["Echo"]
