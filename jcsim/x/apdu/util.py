"""CLA byte decoding for applets.

Mirrors ``javacardx.apdu.util.APDUUtil`` (Java Card 3.0.5): the static forms of the CLA queries
``APDU`` offers for the current command, on any CLA byte. The coding is ISO 7816-4:2013 section
5.4.1 as JCRE 3.0.5 section 4.3 applies it (``jcsim.framework.cla``); a class byte the JCRE
would reject (0x20-0x3F, 0xFF) is not valid, carries no channel (0), no secure messaging and no
chaining.
"""

from __future__ import annotations

from jcsim.framework.cla import decode_cla

__all__ = ["APDUUtil"]


class APDUUtil:
    """Mirrors ``javacardx.apdu.util.APDUUtil``."""

    @staticmethod
    def getCLAChannel(CLAbyte: int) -> int:
        """The logical channel (0-19) the CLA byte encodes; 0 if it encodes none."""
        info = decode_cla(CLAbyte)
        return 0 if info is None else info.channel

    @staticmethod
    def isCommandChainingCLA(CLAbyte: int) -> bool:
        """True if the CLA byte marks a command that is not the last of a chain."""
        info = decode_cla(CLAbyte)
        return info is not None and info.chaining

    @staticmethod
    def isSecureMessagingCLA(CLAbyte: int) -> bool:
        """True if the CLA byte indicates secure messaging."""
        info = decode_cla(CLAbyte)
        return info is not None and info.secure_messaging

    @staticmethod
    def isISOInterindustryCLA(CLAbyte: int) -> bool:
        """True for a valid interindustry class byte (b8 = 0)."""
        info = decode_cla(CLAbyte)
        return info is not None and info.interindustry

    @staticmethod
    def isValidCLA(CLAbyte: int) -> bool:
        """True unless the class byte is reserved (0x20-0x3F) or invalid (0xFF)."""
        return decode_cla(CLAbyte) is not None
