"""A scriptable applet: ``process`` runs ``SCRIPTS[<this applet's AID>](applet, apdu)``.

A script may return an int (sent as a big-endian short), bytes (sent as they are) or None.
A ``SecurityException`` that escapes the script is answered ``SW_FIREWALL`` (6F5E): the
applet catches it the way a Java applet would, so tests can tell a firewall refusal from any
other failure (6F00). Objects the script creates belong to the applet that runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jcsim import Response, Simulator
from jcsim.framework import (
    APDU,
    Applet,
    AppletEvent,
    ISOException,
    JCSystem,
    MultiSelectable,
    Object,
    SecurityException,
    Shareable,
    Util,
)

SW_FIREWALL = 0x6F5E

Script = Callable[[Any, APDU], Any]

# AID bytes -> the script its applet runs next. Functions are not objects the card tracks, so
# this table keeps nothing alive for object deletion.
SCRIPTS: dict[bytes, Script] = {}
# AID bytes -> what uninstall() should do (a script taking the applet), for AppletEvent tests.
UNINSTALL: dict[bytes, Callable[[Any], Any]] = {}
# AID bytes of the applets whose uninstall() ran, in order.
UNINSTALLED: list[bytes] = []


def reply(apdu: APDU, result: Any) -> None:
    if result is None:
        return
    buf = apdu.getBuffer()
    if isinstance(result, int):
        Util.setShort(buf, 0, result)
        apdu.setOutgoingAndSend(0, 2)
    else:
        data = bytes(result)
        buf[0:len(data)] = data
        apdu.setOutgoingAndSend(0, len(data))


class ScriptedBehaviour:
    """What every scripted applet does; mixed into one ``Applet`` subclass per package."""

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():  # type: ignore[attr-defined]
            return
        script = SCRIPTS.get(JCSystem.getAID().value)
        if script is None:
            ISOException.throwIt(0x6D00)
        try:
            result = script(self, apdu)
        except SecurityException:
            ISOException.throwIt(SW_FIREWALL)
        reply(apdu, result)

    def getShareableInterfaceObject(self, clientAID: Any, parameter: int) -> Any:
        # The script stores what it shares in the field ``shared``.
        return self.__dict__.get("shared") if parameter == 1 else None


class Scripted(ScriptedBehaviour, Applet):
    """A scripted applet that is not MultiSelectable."""


class MultiScripted(ScriptedBehaviour, Applet, MultiSelectable):
    """A scripted applet that is MultiSelectable."""

    def select(self, appInstAlreadyActive: bool | None = None) -> bool:
        return True

    def deselect(self, appInstStillActive: bool | None = None) -> None:
        return None


class UninstallingScripted(ScriptedBehaviour, Applet, AppletEvent):
    """A scripted applet that implements AppletEvent."""

    def uninstall(self) -> None:
        aid = JCSystem.getAID().value
        UNINSTALLED.append(aid)
        action = UNINSTALL.get(aid)
        if action is not None:
            action(self)


# --- objects for scripts to make ------------------------------------------------------------

class Box(Object):
    """An on-card object with one field."""

    def __init__(self, value: Any = None) -> None:
        self.value = value


class Counter(Shareable):
    """A Shareable interface: only these methods may be called across the firewall."""

    def add(self, n: int) -> int: ...

    def previous(self) -> Any: ...

    def fail(self, sw: int) -> None: ...

    def read(self, array: Any, index: int) -> int: ...

    def context(self) -> Any: ...


class CounterImpl(Object, Counter):
    """A Shareable object: its fields and its other methods stay behind the firewall."""

    def __init__(self) -> None:
        self.total = 0
        self.secret = 42

    def add(self, n: int) -> int:
        self.total = self.total + n
        return self.total

    def previous(self) -> Any:
        return JCSystem.getPreviousContextAID()

    def fail(self, sw: int) -> None:
        ISOException.throwIt(sw)

    def read(self, array: Any, index: int) -> int:
        return array[index]

    def context(self) -> Any:
        return JCSystem.getAID()

    def reset(self) -> None:
        """Not part of ``Counter``: a client may not call it."""
        self.total = 0


# --- host side ------------------------------------------------------------------------------

def run(sim: Simulator, aid: str | bytes, script: Script, channel: int = 0) -> Response:
    """Register ``script`` for the applet ``aid``, send it one command on ``channel`` (the
    applet must be selected there) and return the response."""
    key = bytes.fromhex(aid.replace(" ", "")) if isinstance(aid, str) else bytes(aid)
    SCRIPTS[key] = script
    try:
        return sim.transmit("80 10 00 00 00", channel)
    finally:
        SCRIPTS.pop(key, None)
