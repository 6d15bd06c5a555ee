"""jcsim: a Java Card 3 Classic applet simulator in pure Python.

Write applets against ``jcsim.framework`` (a mirror of ``javacard.framework``), install them on
a ``Simulator`` and drive them with APDUs, in-process or from any PC/SC program through
``serve_vpcd`` (vsmartcard's vpcd driver in pcscd).
"""

from jcsim.apdu import CommandAPDU, Response
from jcsim.errors import (
    CardPoweredOffError,
    CardTornError,
    ChannelError,
    InstallError,
    JCSimError,
    MalformedAPDUError,
    StaticFieldWarning,
)
from jcsim.framework.aid import AID
from jcsim.package import JavaCardPackage, PackageError
from jcsim.runtime.deletion import DeletionRefused
from jcsim.runtime.image import ImageError
from jcsim.simulator import AppletInfo, PackageInfo, Simulator
from jcsim.transport.vpcd import serve_vpcd

__version__ = "0.1.0"

__all__ = [
    "AID",
    "AppletInfo",
    "CardPoweredOffError",
    "CardTornError",
    "ChannelError",
    "CommandAPDU",
    "DeletionRefused",
    "ImageError",
    "InstallError",
    "JCSimError",
    "JavaCardPackage",
    "MalformedAPDUError",
    "PackageError",
    "PackageInfo",
    "Response",
    "Simulator",
    "StaticFieldWarning",
    "__version__",
    "serve_vpcd",
]
