"""The two flavours of RAM over HTTP as data: ``PROFILES["gp-amd-b"]`` and
``PROFILES["openscdp"]``.

Every difference lives here: content types, the X-Admin-Protocol value, what the first POST
carries, where tag 80 goes in a response template and how it is written, how the session is
carried (X-Admin-Next-URI, or one URL and a cookie), which tags each template may hold, whether
a template runs to its end whatever the status words, and whether the client can close.
Sources: shared/spec/ram-over-http.md (§1.1-1.3, §2.3).
"""

from __future__ import annotations

import attrs

from jcsim.remote.errors import RemoteUsageError
from jcsim.remote.templates import (
    TAG_BAD_FORMAT,
    TAG_C_APDU,
    TAG_CLOSE,
    TAG_ERROR_ACTION,
    TAG_EXECUTED,
    TAG_IMMEDIATE_ACTION,
    TAG_NOTIFY,
    TAG_R_APDU,
    TAG_RESET,
    TAG_SCRIPT_CHAINING,
)

__all__ = ["PROFILES", "Profile", "get_profile"]


@attrs.frozen
class Profile:
    """Everything that differs between the two flavours, as data."""

    name: str
    request_content_type: str   # client -> server, when the POST has a body
    script_content_type: str    # server -> client, with a command template
    protocol: str               # X-Admin-Protocol sent by the client and by jcsim's server
    initiation: bool            # the first POST carries E8 (OpenSCDP) or no body (Amd B)
    count_last: bool            # tag 80 after the R-APDUs (OpenSCDP) or first (Amd B)
    signed_count: bool          # tag 80 as a minimal signed integer (CardContact's C client)
    session_carrier: str        # "cookie": one URL and a cookie; "next-uri": X-Admin-Next-URI
    runs_all: bool              # run every item whatever the status words
    has_close: bool             # E1 exists: the client can close the session itself
    command_tags: frozenset[int]
    response_tags: frozenset[int]

    def stops_after(self, sw: int) -> bool:
        """Whether a template stops after a C-APDU answered with ``sw``.

        OpenSCDP clients run every item. For Amendment B, TS 102 226 §5.2.1.1 ends processing
        at 62F1; the wider rule applied here, stop at the first status word that is neither a
        normal ending (9000, 61xx, 91xx) nor a warning (62xx, 63xx), is the usual reading of
        the specification and was not found verbatim.
        """
        if self.runs_all:
            return False
        sw1 = sw >> 8
        if sw == 0x62F1:
            return True
        return not (sw == 0x9000 or sw1 in (0x61, 0x91, 0x62, 0x63))


PROFILES: dict[str, Profile] = {
    "gp-amd-b": Profile(
        name="gp-amd-b",
        request_content_type="application/vnd.globalplatform.card-content-mgt-response;version=1.0",
        script_content_type="application/vnd.globalplatform.card-content-mgt;version=1.0",
        protocol="globalplatform-remote-admin/1.0",
        initiation=False, count_last=False, signed_count=False, session_carrier="next-uri",
        runs_all=False, has_close=False,
        command_tags=frozenset({TAG_C_APDU, TAG_IMMEDIATE_ACTION, TAG_ERROR_ACTION,
                                TAG_SCRIPT_CHAINING}),
        response_tags=frozenset({TAG_R_APDU, TAG_EXECUTED, TAG_BAD_FORMAT, TAG_IMMEDIATE_ACTION,
                                 TAG_SCRIPT_CHAINING}),
    ),
    "openscdp": Profile(
        name="openscdp",
        request_content_type="application/org.openscdp-content-mgt-response;version=1.0",
        script_content_type="application/org.openscdp-content-mgt;version=1.0",
        protocol="openscdp-remote-admin/1.0",
        initiation=True, count_last=True, signed_count=True, session_carrier="cookie",
        runs_all=True, has_close=True,
        command_tags=frozenset({TAG_C_APDU, TAG_RESET, TAG_NOTIFY, TAG_CLOSE}),
        response_tags=frozenset({TAG_R_APDU, TAG_EXECUTED, TAG_RESET, TAG_CLOSE}),
    ),
}


def get_profile(name: str | Profile) -> Profile:
    """The profile called ``name`` (``"openscdp"`` or ``"gp-amd-b"``); raises
    ``RemoteUsageError`` (a ``ValueError``) for any other name."""
    if isinstance(name, Profile):
        return name
    try:
        return PROFILES[name]
    except KeyError:
        raise RemoteUsageError(f"unknown profile {name!r}: use 'openscdp' or 'gp-amd-b'") from None
