"""Where org.globalplatform reaches the card: the runtime registers its GlobalPlatform port
here when it is imported (``jcsim.runtime.gp.port``), so this package never imports the
runtime."""

from __future__ import annotations

from typing import Any

port: Any = None


def active_port() -> Any:
    if port is None:
        from jcsim.lang import SecurityException

        raise SecurityException("no GlobalPlatform runtime is loaded")
    return port
