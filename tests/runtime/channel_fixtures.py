"""Host-side helpers for the logical channel tests: install the recorder applets by name with one
shared call log, and read their REPORT answers."""

from __future__ import annotations

from typing import NamedTuple

from jcsim import Response, Simulator
from tests.runtime.channel_packages.multi import MultiRecorder
from tests.runtime.channel_packages.recorder import INS_REPORT, INS_TOUCH, Call
from tests.runtime.channel_packages.single import SingleRecorder

__all__ = [
    "AIDS",
    "UNKNOWN_AID",
    "Call",
    "Recorders",
    "Report",
    "install_recorders",
    "report",
    "touch",
]

# Two MultiSelectable applets of one package (M1, M2) and two applets of a package that is not
# MultiSelectable (S1, S2). Same length, different last byte: no AID is a prefix of another,
# so partial-AID matching never picks the wrong one.
AIDS = {
    "M1": "F0 00 00 00 0A 01",
    "M2": "F0 00 00 00 0A 02",
    "S1": "F0 00 00 00 0B 01",
    "S2": "F0 00 00 00 0B 02",
}
UNKNOWN_AID = "F0 00 00 00 0F 01"
CLASSES = {"M1": MultiRecorder, "M2": MultiRecorder, "S1": SingleRecorder, "S2": SingleRecorder}


class Recorders(NamedTuple):
    """The installed applets by name, and the log every one of them writes to."""

    log: list[Call]
    applets: dict[str, MultiRecorder | SingleRecorder]

    def marks(self) -> dict[str, int]:
        """Each applet's CLEAR_ON_DESELECT byte, read from the host."""
        return {name: applet.marks[0] for name, applet in self.applets.items()}


def install_recorders(sim: Simulator, names: tuple[str, ...] = ("M1", "M2", "S1", "S2"), *,
                      defaults: dict[str, str | bool] | None = None) -> Recorders:
    """Install the named recorders (``defaults`` maps a name to its ``default=`` argument) and
    give them one shared log."""
    log: list[Call] = []
    applets = {}
    for name in names:
        aid = sim.install(CLASSES[name], AIDS[name], default=(defaults or {}).get(name, False))
        applet = sim.card.registry.find(aid.value).instance
        applet.name = name
        applet.log = log
        applets[name] = applet
    return Recorders(log, applets)


class Report(NamedTuple):
    """What a recorder saw while processing REPORT or TOUCH."""

    assigned: int
    cla_channel: int
    marks: int
    protocol: int


def _parse(response: Response) -> Report:
    assert response.sw == 0x9000, f"expected 9000, got {response.sw:04X}"
    return Report(*response.data)


def report(sim: Simulator, channel: int = 0, *, interface: str = "contact") -> Report:
    return _parse(sim.transmit(bytes((0x80, INS_REPORT, 0, 0, 4)), channel, interface=interface))


def touch(sim: Simulator, channel: int = 0, *, interface: str = "contact") -> Report:
    return _parse(sim.transmit(bytes((0x80, INS_TOUCH, 0, 0, 4)), channel, interface=interface))
