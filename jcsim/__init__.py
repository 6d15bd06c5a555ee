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
from jcsim.simulator import Simulator

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # The vpcd transport (sockets, threads), card images, the deletion rules and the values
    # the card's listings return are imported on first use, not by every script that runs a
    # card in-process.
    if name == "serve_vpcd":
        from jcsim.transport.vpcd_server import serve_vpcd

        return serve_vpcd
    if name in ("AppletInfo", "PackageInfo"):  # the values sim.applets() and packages() list
        from jcsim import inventory

        return getattr(inventory, name)
    if name == "DeletionRefusedError":  # with the deletion rules, which only deleting uses
        from jcsim.runtime.deletion import DeletionRefusedError

        return DeletionRefusedError
    if name == "ImageError":  # with card images, which need json, hashlib and tempfile
        from jcsim.runtime.image import ImageError

        return ImageError
    raise AttributeError(f"module 'jcsim' has no attribute {name!r}")


__all__ = [
    "AID",
    "AppletInfo",
    "CardPoweredOffError",
    "CardTornError",
    "ChannelError",
    "CommandAPDU",
    "DeletionRefusedError",
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
