"""org.globalplatform for applets, with Java names: ``GPSystem``, ``SecureChannel``, ``CVM``.

The implementations live in the runtime (``jcsim.runtime.gp.port``), which registers itself
when the card is built."""

from jcsim.globalplatform.cvm import CVM
from jcsim.globalplatform.gp_system import GPSystem
from jcsim.globalplatform.secure_channel import SecureChannel

__all__ = ["CVM", "GPSystem", "SecureChannel"]
