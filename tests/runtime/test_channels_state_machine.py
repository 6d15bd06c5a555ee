"""The logical channel runtime held against a small model (hypothesis ``RuleBasedStateMachine``).

Hypothesis opens, closes and selects on random channels of both interfaces, from random origin
channels, with applets that sometimes refuse selection, and resets the card now and then. After
every step the card must agree with the model on:

- the open channels of each interface;
- the applet selected on each of the 40 channels;
- the select / deselect calls made so far, in order, with the boolean each one got (None for the
  plain form) and the assigned and CLA channels seen inside the call;
- the CLEAR_ON_DESELECT byte of every applet.

The model is written from the JCRE 3.0.5 procedures (§4.6.1 MANAGE CHANNEL OPEN, §4.6.2 SELECT
FILE, §4.7 deselection, §4.7.1 MANAGE CHANNEL CLOSE, §4.8 other commands) and not from the
runtime's code: a dictionary of channels and a list of calls.
"""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from jcsim import Simulator
from tests.runtime.channel_fixtures import AIDS, UNKNOWN_AID, Call, install_recorders

INTERFACES = ("contact", "contactless")
NAMES = tuple(AIDS)  # M1, M2 (MultiSelectable package), S1, S2 (plain package)
DEFAULTS = {"M1": "contact", "S1": "contactless"}
PROTOCOL = {"contact": 0x01, "contactless": 0x81}

channels = st.integers(0, 19)
# P2 of MANAGE CHANNEL: mostly a channel number, sometimes one beyond 19.
p2_values = st.integers(0, 22).map(lambda n: n if n < 20 else (20, 0x7F, 0xFF)[n - 20])
interfaces = st.sampled_from(INTERFACES)


def package(name: str) -> str:
    return name[0]  # "M" or "S"


def multiselectable(name: str) -> bool:
    return package(name) == "M"


class ChannelModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.sim = Simulator("T=1")
        self.recorders = install_recorders(self.sim, defaults=DEFAULTS)
        # The model. ``selected`` maps (interface, channel) to an applet name, for open channels.
        self.open: dict[str, set[int]] = {iface: {0} for iface in INTERFACES}
        self.selected: dict[tuple[str, int], str | None] = {}
        self.calls: list[Call] = []
        self.marks = dict.fromkeys(NAMES, 0)
        self.refusing = dict.fromkeys(NAMES, False)
        # The simulator was powered (and its defaults selected) before the applets existed;
        # a reset now gives both the card and the model their starting state.
        self.sim.reset()
        self.recorders.log.clear()
        self._model_reset()
        self.calls.clear()

    # --- the model ---------------------------------------------------------------------------

    def _active_elsewhere(self, name: str, here: tuple[str, int]) -> tuple[bool, bool]:
        """(this instance active on another channel, its package active on another channel),
        over both interfaces."""
        others = [who for where, who in self.selected.items() if where != here and who]
        return name in others, any(package(who) == package(name) for who in others)

    def _clear_package(self, name: str) -> None:
        for other in NAMES:
            if package(other) == package(name):
                self.marks[other] = 0

    def _model_select(self, name: str, where: tuple[str, int], cla: int) -> bool:
        """§4.6.1 steps 9-10 / §4.6.2 steps 6-7: the channel's old applet is already gone."""
        same, package_active = self._active_elsewhere(name, where)
        if not package_active:
            self._clear_package(name)  # a new, zeroed CLEAR_ON_DESELECT segment
        argument = same if multiselectable(name) and package_active else None
        self.calls.append(Call(name, "select", argument, where[1], cla))
        if self.refusing[name]:
            self.selected[where] = None
            return False
        self.selected[where] = name
        self.marks[name] += 1  # the recorder counts each accepted selection
        return True

    def _model_deselect(self, where: tuple[str, int], cla: int) -> None:
        """§4.7: deselect the channel's applet, if any; it always succeeds."""
        name = self.selected.get(where)
        if name is None:
            return
        self.selected[where] = None
        same, package_active = self._active_elsewhere(name, where)
        argument = same if multiselectable(name) and package_active else None
        self.calls.append(Call(name, "deselect", argument, where[1], cla))
        if not package_active:
            self._clear_package(name)

    def _may_activate(self, name: str, where: tuple[str, int]) -> bool:
        return multiselectable(name) or not self._active_elsewhere(name, where)[1]

    def _close(self, iface: str, channel: int) -> None:
        self.open[iface].discard(channel)
        self.selected.pop((iface, channel), None)

    def _model_reset(self) -> None:
        """§4.2: everything closes and both kinds of transient memory are cleared, with no
        deselect() calls; then each interface's basic channel gets its default applet."""
        self.open = {iface: {0} for iface in INTERFACES}
        self.selected = {}
        self.marks = dict.fromkeys(NAMES, 0)
        for iface in INTERFACES:
            default = next(name for name, where in DEFAULTS.items() if where == iface)
            if self._may_activate(default, (iface, 0)):
                self._model_select(default, (iface, 0), 0)

    # --- rules -------------------------------------------------------------------------------

    def _draw_channel(self, data: st.DataObject, iface: str, values: st.SearchStrategy[int],
                      label: str) -> int:
        # Mostly (two times in three) one of the channels open right now: uniformly random
        # numbers would mostly name closed channels, and the commands that succeed would be rare.
        open_now = st.sampled_from(sorted(self.open[iface]))
        return data.draw(st.one_of(open_now, open_now, values), label=label)

    @rule(iface=interfaces, channel=channels, applet=st.sampled_from(NAMES + ("unknown",)))
    def select(self, iface: str, channel: int, applet: str) -> None:
        target = applet
        aid = UNKNOWN_AID if target == "unknown" else AIDS[target]
        sw = self.sim.select(aid, channel, interface=iface).sw
        where = (iface, channel)
        self.open[iface].add(channel)  # SELECT opens a closed channel (§4.6.2 step 3)
        if target == "unknown":
            # No AID match: the channel's applet gets the SELECT as a command (the recorder
            # answers 6A82 to it); with none, 6999.
            expected = 0x6A82 if self.selected.get(where) else 0x6999
        elif not self._may_activate(target, where):
            expected = 0x6985
        else:
            self._model_deselect(where, channel)
            expected = 0x9000 if self._model_select(target, where, channel) else 0x6999
        assert sw == expected, f"SELECT {target} on {where}: {sw:04X}, model says {expected:04X}"

    @rule(iface=interfaces, touch=st.booleans(), data=st.data())
    def command(self, iface: str, touch: bool, data: st.DataObject) -> None:
        channel = self._draw_channel(data, iface, channels, "channel")
        # REPORT (INS 10) or TOUCH (INS 11), which adds one to the applet's CLEAR_ON_DESELECT byte.
        ins = 0x11 if touch else 0x10
        response = self.sim.transmit(bytes((0x80, ins, 0, 0, 4)), channel, interface=iface)
        where = (iface, channel)
        if channel not in self.open[iface]:
            assert response.sw == 0x6881
        elif self.selected.get(where) is None:
            assert response.sw == 0x6999
        else:
            name = self.selected[where]
            self.marks[name] += touch
            expected = bytes((channel, channel, self.marks[name], PROTOCOL[iface]))
            assert (response.data, response.sw) == (expected, 0x9000)

    @rule(iface=interfaces, p2=p2_values, le_is_1=st.booleans(), data=st.data())
    def manage_channel_open(self, iface: str, p2: int, le_is_1: bool,
                            data: st.DataObject) -> None:
        origin = self._draw_channel(data, iface, channels, "origin")
        command = bytes((0x00, 0x70, 0x00, p2)) + (b"\x01" if le_is_1 else b"")
        response = self.sim.transmit(command, origin, interface=iface)
        answer, sw = self._model_open(iface, origin, p2, le_is_1)
        assert (response.data, response.sw) == (answer, sw), \
            f"OPEN {p2} from {origin} on {iface}: {response!r}, model says {answer!r} {sw:04X}"

    def _model_open(self, iface: str, origin: int, p2: int, le_is_1: bool) -> tuple[bytes, int]:
        """§4.6.1, in the order of its checks."""
        if p2 > 19:
            return b"", 0x6A81
        if origin not in self.open[iface]:
            return b"", 0x6881
        if p2 == 0:
            if not le_is_1:
                return b"", 0x6C01
            free = [n for n in range(1, 20) if n not in self.open[iface]]
            if not free:
                return b"", 0x6A81
            new = free[0]
        elif p2 in self.open[iface]:
            return b"", 0x6A86
        else:
            new = p2
        self.open[iface].add(new)
        if origin == 0:
            candidate = next((name for name, where in DEFAULTS.items() if where == iface), None)
        else:
            candidate = self.selected.get((iface, origin))
        answer = bytes((new,)) if p2 == 0 else b""
        if candidate is None:
            return answer, 0x9000
        if not self._may_activate(candidate, (iface, new)):
            self._close(iface, new)
            return b"", 0x6985
        if not self._model_select(candidate, (iface, new), origin):
            self._close(iface, new)
            return b"", 0x6999
        return answer, 0x9000

    @rule(iface=interfaces, data=st.data())
    def manage_channel_close(self, iface: str, data: st.DataObject) -> None:
        origin = self._draw_channel(data, iface, channels, "origin")
        p2 = self._draw_channel(data, iface, p2_values, "p2")
        sw = self.sim.transmit(bytes((0x00, 0x70, 0x80, p2)), origin, interface=iface).sw
        # §4.7.1, in the order of its checks.
        if p2 > 19:
            expected = 0x6A81
        elif origin not in self.open[iface]:
            expected = 0x6881
        elif p2 == 0:
            expected = 0x6A81
        elif p2 not in self.open[iface]:
            expected = 0x6200
        else:
            self._model_deselect((iface, p2), origin)
            self._close(iface, p2)
            expected = 0x9000
        assert sw == expected, \
            f"CLOSE {p2} from {origin} on {iface}: {sw:04X}, model says {expected:04X}"

    @rule(name=st.sampled_from(NAMES), refusing=st.booleans())
    def set_refusal(self, name: str, refusing: bool) -> None:
        self.recorders.applets[name].refuse = refusing
        self.refusing[name] = refusing

    @rule()
    def reset(self) -> None:
        self.sim.reset()
        self._model_reset()

    # --- invariants --------------------------------------------------------------------------

    @invariant()
    def open_channels_agree(self) -> None:
        for iface in INTERFACES:
            assert self.sim.open_channels(interface=iface) == sorted(self.open[iface])

    @invariant()
    def selected_applets_agree(self) -> None:
        for iface in INTERFACES:
            for channel in range(20):
                name = self.selected.get((iface, channel))
                aid = self.sim.selected(channel, interface=iface)
                wanted = None if name is None else bytes.fromhex(AIDS[name])
                assert (None if aid is None else aid.value) == wanted, (iface, channel)

    @invariant()
    def call_logs_agree(self) -> None:
        assert self.recorders.log == self.calls

    @invariant()
    def clear_on_deselect_contents_agree(self) -> None:
        assert self.recorders.marks() == self.marks


ChannelModel.TestCase.settings = settings(max_examples=60, stateful_step_count=40,
                                          deadline=None)
test_channels_against_the_model = ChannelModel.TestCase
