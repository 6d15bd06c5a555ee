"""``javacardx.framework.util``: ``ArrayLogic`` and ``UtilException`` (the same class
``jcsim.framework`` exports)."""

from jcsim.framework.exceptions import UtilException
from jcsim.x.framework.util.array_logic import ArrayLogic

__all__ = ["ArrayLogic", "UtilException"]
