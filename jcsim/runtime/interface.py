"""I/O interfaces and their logical channels (JCRE §4.1, §4.2).

A card has a contact interface and may have a contactless one. Each has its own protocol, its
own APDU object, 20 logical channels (0 is the basic channel, always open while powered) and its
own default applet. A channel remembers its selected applet and, under T=0, the part of a
response still waiting for GET RESPONSE (or a 6Cxx re-issue).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from jcsim.framework.apdu import APDU
from jcsim.runtime.registry import AppletRecord

if TYPE_CHECKING:
    from jcsim.runtime.gp.session import SecureSession

__all__ = ["CHANNEL_COUNT", "CONTACT", "CONTACTLESS", "Interface", "LogicalChannel"]

CHANNEL_COUNT = 20
CONTACT = "contact"
CONTACTLESS = "contactless"


@attrs.define(eq=False)
class LogicalChannel:
    number: int
    is_open: bool = False
    selected: AppletRecord | None = None
    # T=0: response bytes (data + SW) still to fetch with GET RESPONSE.
    pending: bytes | None = None
    # T=0: (header, expected P3, response data, SW) awaiting a re-issue after 6Cxx.
    reissue: tuple[bytes, int, bytes, int] | None = None
    # The GlobalPlatform secure channel session open on this channel (runtime/gp), if any.
    secure_session: SecureSession | None = None

    def close(self) -> None:
        self.secure_session = None
        self.is_open = False
        self.selected = None
        self.pending = None
        self.reissue = None


@attrs.define(eq=False)
class Interface:
    """One I/O interface of the card. Its APDU object (and so its buffer, the largest part of
    an idle card) is made when the interface first carries a command: a card used through one
    interface never allocates the other's."""

    name: str
    protocol: int  # APDU.getProtocol(): media | type
    atr: bytes
    apdu_buffer_size: int
    channels: list[LogicalChannel] = attrs.field(
        factory=lambda: [LogicalChannel(n) for n in range(CHANNEL_COUNT)])
    _apdu: APDU | None = attrs.field(default=None, init=False)
    # T=0 (rather than T=1 or T=CL): read for every command, so kept rather than computed.
    t0: bool = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.t0 = self.protocol & 0x0F == 0

    @property
    def apdu(self) -> APDU:
        apdu = self._apdu
        if apdu is None:
            apdu = self._apdu = APDU(self.apdu_buffer_size, self.protocol)
        return apdu

    def close_all(self) -> None:
        for channel in self.channels:
            channel.close()
