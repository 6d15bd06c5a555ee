"""GlobalPlatform on the card: the SCP02 and SCP03 secure channels, key sets, the card life
cycle, and the issuer security domain's management commands (see each module)."""

from jcsim.runtime.gp.keys import GPKeys

__all__ = ["GPKeys"]
