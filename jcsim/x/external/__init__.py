"""``javacardx.external``: access to memory the JCRE does not manage (``Memory``,
``MemoryAccess``, ``ExternalException``), with a simulated MIFARE Classic 1K memory."""

from jcsim.x.external.memory import (
    ExternalException,
    Memory,
    MemoryAccess,
    MifareClassic1K,
    mifare_memory,
)

__all__ = ["ExternalException", "Memory", "MemoryAccess", "MifareClassic1K", "mifare_memory"]
