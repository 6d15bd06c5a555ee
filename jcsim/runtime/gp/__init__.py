"""GlobalPlatform on the card: the SCP02 and SCP03 secure channels, key sets, the card life
cycle, and the issuer security domain's management commands (see each module)."""

__all__ = ["GPKeys"]


def __getattr__(name: str) -> object:
    # Imported by the first use (a host configuring key sets), not by every card.
    if name == "GPKeys":
        from jcsim.runtime.gp.host_keys import GPKeys

        return GPKeys
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
