"""``javacardx.apdu``: the ``ExtendedLength`` tagging interface (also in ``jcsim.framework``)."""

from jcsim.framework.interfaces import ExtendedLength

__all__ = ["ExtendedLength"]
