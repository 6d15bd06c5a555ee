"""``javacardx.framework.math``: ``BCDUtil``, ``BigNumber`` and ``ParityBit``."""

from jcsim.x.framework.math.bcd_util import BCDUtil
from jcsim.x.framework.math.big_number import BigNumber
from jcsim.x.framework.math.parity_bit import ParityBit

__all__ = ["BCDUtil", "BigNumber", "ParityBit"]
