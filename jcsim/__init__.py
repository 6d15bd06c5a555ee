"""jcsim: a Java Card 3 Classic applet simulator in pure Python.

Write applets against ``jcsim.framework`` (a mirror of ``javacard.framework``), install them on
a ``Simulator`` and drive them with APDUs.
"""

from jcsim.apdu import CommandAPDU, Response
from jcsim.errors import (
    CardPoweredOffError,
    CardTornError,
    ChannelError,
    InstallError,
    JCSimError,
    MalformedAPDUError,
)
from jcsim.framework.aid import AID
from jcsim.simulator import Simulator

__version__ = "0.1.0"

__all__ = [
    "AID",
    "CardPoweredOffError",
    "CardTornError",
    "ChannelError",
    "CommandAPDU",
    "InstallError",
    "JCSimError",
    "MalformedAPDUError",
    "Response",
    "Simulator",
    "__version__",
]
