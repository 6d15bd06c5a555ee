"""Human-readable names of ISO 7816-4 instructions and status words, for traces and logs.

Plain data and two lookup functions; nothing here runs on the card's hot path.
"""

from __future__ import annotations

__all__ = ["describe_command", "instruction_name", "status_meaning"]

INSTRUCTIONS: dict[int, str] = {
    0x04: "DEACTIVATE FILE",
    0x0C: "ERASE RECORD",
    0x0E: "ERASE BINARY",
    0x10: "PERFORM SCQL OPERATION",
    0x12: "PERFORM TRANSACTION OPERATION",
    0x14: "PERFORM USER OPERATION",
    0x20: "VERIFY",
    0x21: "VERIFY",
    0x22: "MANAGE SECURITY ENVIRONMENT",
    0x24: "CHANGE REFERENCE DATA",
    0x26: "DISABLE VERIFICATION REQUIREMENT",
    0x28: "ENABLE VERIFICATION REQUIREMENT",
    0x2A: "PERFORM SECURITY OPERATION",
    0x2C: "RESET RETRY COUNTER",
    0x44: "ACTIVATE FILE",
    0x46: "GENERATE ASYMMETRIC KEY PAIR",
    0x70: "MANAGE CHANNEL",
    0x82: "EXTERNAL AUTHENTICATE",
    0x84: "GET CHALLENGE",
    0x86: "GENERAL AUTHENTICATE",
    0x88: "INTERNAL AUTHENTICATE",
    0xA0: "SEARCH BINARY",
    0xA2: "SEARCH RECORD",
    0xA4: "SELECT",
    0xB0: "READ BINARY",
    0xB1: "READ BINARY",
    0xB2: "READ RECORD",
    0xB3: "READ RECORD",
    0xC0: "GET RESPONSE",
    0xC2: "ENVELOPE",
    0xC3: "ENVELOPE",
    0xCA: "GET DATA",
    0xCB: "GET DATA",
    0xD0: "WRITE BINARY",
    0xD1: "WRITE BINARY",
    0xD2: "WRITE RECORD",
    0xD6: "UPDATE BINARY",
    0xD7: "UPDATE BINARY",
    0xDA: "PUT DATA",
    0xDB: "PUT DATA",
    0xDC: "UPDATE RECORD",
    0xDD: "UPDATE RECORD",
    0xE0: "CREATE FILE",
    0xE2: "APPEND RECORD",
    0xE4: "DELETE FILE",
    0xE6: "TERMINATE DF",
    0xE8: "TERMINATE EF",
    0xFE: "TERMINATE CARD USAGE",
}

# GlobalPlatform card-manager commands, named when the class byte is proprietary.
GP_INSTRUCTIONS: dict[int, str] = {
    0xE4: "DELETE",
    0xE6: "INSTALL",
    0xE8: "LOAD",
    0xF0: "SET STATUS",
    0xF2: "GET STATUS",
    0xD8: "PUT KEY",
    0x50: "INITIALIZE UPDATE",
    0x82: "EXTERNAL AUTHENTICATE",
    0xCA: "GET DATA",
}

STATUS_WORDS: dict[int, str] = {
    0x9000: "no error",
    0x6200: "warning: state of non-volatile memory unchanged",
    0x6281: "warning: part of returned data may be corrupted",
    0x6282: "warning: end of file or record reached before reading Ne bytes",
    0x6283: "warning: selected file deactivated",
    0x6310: "warning: more data available",
    0x6400: "execution error: state of non-volatile memory unchanged",
    0x6500: "execution error: state of non-volatile memory changed",
    0x6581: "memory failure",
    0x6700: "wrong length",
    0x6800: "functions in CLA not supported",
    0x6881: "logical channel not supported",
    0x6882: "secure messaging not supported",
    0x6883: "last command of the chain expected",
    0x6884: "command chaining not supported",
    0x6900: "command not allowed",
    0x6981: "command incompatible with file structure",
    0x6982: "security status not satisfied",
    0x6983: "authentication method blocked",
    0x6984: "reference data not usable",
    0x6985: "conditions of use not satisfied",
    0x6986: "command not allowed (no current EF)",
    0x6987: "expected secure messaging data objects missing",
    0x6988: "incorrect secure messaging data objects",
    0x6999: "applet selection failed",
    0x6A80: "incorrect parameters in the command data field",
    0x6A81: "function not supported",
    0x6A82: "file or application not found",
    0x6A83: "record not found",
    0x6A84: "not enough memory space in the file",
    0x6A86: "incorrect parameters P1-P2",
    0x6A88: "referenced data not found",
    0x6B00: "wrong parameters P1-P2",
    0x6D00: "instruction code not supported or invalid",
    0x6E00: "class not supported",
    0x6F00: "no precise diagnosis",
}


def instruction_name(cla: int, ins: int) -> str | None:
    """The name of ``ins`` (GlobalPlatform names for proprietary classes), or None."""
    if cla & 0x80:
        return GP_INSTRUCTIONS.get(ins)
    return INSTRUCTIONS.get(ins)


def status_meaning(sw: int) -> str:
    """What a status word means, including the counted families 61xx, 6Cxx and 63Cx."""
    if sw in STATUS_WORDS:
        return STATUS_WORDS[sw]
    sw1, sw2 = sw >> 8, sw & 0xFF
    if sw1 == 0x61:
        return f"{sw2 or 256} response bytes still available"
    if sw1 == 0x6C:
        return f"wrong Le: re-issue with Le={sw2 or 256}"
    if sw1 == 0x63 and sw2 & 0xF0 == 0xC0:
        return f"verification failed, {sw2 & 0x0F} tries left"
    if sw1 == 0x9F or sw1 == 0x91:
        return f"{sw2} bytes available"
    if sw1 in (0x62, 0x63):
        return "warning"
    if sw1 in (0x64, 0x65, 0x66):
        return "execution error"
    if sw1 in (0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6D, 0x6E, 0x6F):
        return "checking error"
    return "unknown status"


def describe_command(raw: bytes) -> str:
    """A short description: instruction name (or INS hex), then Lc and Le when present."""
    if len(raw) < 4:
        return f"malformed ({len(raw)} bytes)"
    from jcsim.apdu import decode_lengths
    from jcsim.errors import MalformedAPDUError

    name = instruction_name(raw[0], raw[1]) or f"INS {raw[1]:02X}"
    if raw[0] & 0x80 and raw[2:4] == b"\x02\x02":
        # P1 P2 = 02 02 is the Java Card RMI protocol version an INVOKE carries (JCRE §8.4.2);
        # its INS is whatever the applet chose (0x38 by default).
        name = "INVOKE (Java Card RMI)"
    try:
        lengths = decode_lengths(raw)
    except MalformedAPDUError:
        return f"{name} (inconsistent lengths)"
    parts = [name]
    if lengths.nc:
        parts.append(f"Lc={lengths.nc}")
    if lengths.le_present:
        parts.append(f"Le={lengths.ne}")
    if lengths.extended:
        parts.append("extended")
    return " ".join(parts)
