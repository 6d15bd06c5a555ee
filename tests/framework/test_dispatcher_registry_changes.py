"""The Dispatcher while its services change its registry: the order of the calls is that of
the plain loop over the registry (the count read as each phase starts, each entry read as the
loop reaches it), which a reference dispatcher here writes out; the Dispatcher reads the
registry again only once a service has run, and must call the same services in each case."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.framework import APDU, Applet
from jcsim.framework.service import BasicService, Dispatcher

AID = "F0 00 00 00 7A 02"
NAMES = "abcd"
PHASES = ("in", "command", "out")
METHODS = {1: "processDataIn", 2: "processCommand", 3: "processDataOut"}

# (dispatcher kind, service name, phase) of each call; the script of the current example.
LOG: list[tuple[str, str, str]] = []
SCRIPT: dict[str, Any] = {}


class ReferenceDispatcher(Dispatcher):
    """The plain loop: for each phase, for index in range(count), read entry index."""

    def dispatch(self, command: APDU, phase: int) -> Any:
        try:
            for current in range(phase, 4):
                if current == 3 and command.getCurrentState() != APDU.STATE_OUTGOING:
                    break
                for index in range(self._count):
                    if self._phases[index] != current:
                        continue
                    if getattr(self._services[index], METHODS[current])(command):
                        break
        except Exception as exc:  # as Dispatcher.dispatch: the exception is returned
            return exc
        if command.getCurrentState() == APDU.STATE_OUTGOING:
            length = command.getBuffer()[4]
            command.setOutgoingLength(length)
            command.sendBytes(5, length)
        return None


class Changing(BasicService):
    """Logs its call, changes the registry as the script says, returns what it says."""

    def __init__(self, name: str, kind: str) -> None:
        self.name = name
        self.kind = kind

    def _run(self, phase: str, apdu: APDU) -> bool:
        LOG.append((self.kind, self.name, phase))
        done, changes = SCRIPT["actions"].get((self.name, phase), (False, ()))
        applet = SCRIPT[self.kind]
        for what, target, target_phase in changes:
            service = applet.services[target]
            if what == "add":
                try:
                    applet.dispatcher.addService(service, target_phase)
                except Exception:  # DISPATCH_TABLE_FULL: the same on both cards
                    LOG.append((self.kind, "full", phase))
            else:
                applet.dispatcher.removeService(service, target_phase)
        if done:
            self.setOutputLength(apdu, 0)
            return self.succeed(apdu)
        return False

    def processDataIn(self, apdu):
        return self._run("in", apdu)

    def processCommand(self, apdu):
        return self._run("command", apdu)

    def processDataOut(self, apdu):
        return self._run("out", apdu)


def _applet(kind: str, dispatcher_class: type) -> type:
    class RegistryApplet(Applet):
        def __init__(self) -> None:
            self.dispatcher = dispatcher_class(6)
            self.services = {name: Changing(name, kind) for name in NAMES}
            for name, phase in SCRIPT["registry"]:
                self.dispatcher.addService(self.services[name], phase)
            SCRIPT[kind] = self

        def process(self, apdu: APDU) -> None:
            if self.selectingApplet():
                return
            self.dispatcher.process(apdu)

    return RegistryApplet


entries = st.tuples(st.sampled_from(NAMES), st.integers(1, 3))
changes = st.tuples(st.sampled_from(["add", "remove"]), st.sampled_from(NAMES),
                    st.integers(1, 3))
actions = st.dictionaries(st.tuples(st.sampled_from(NAMES), st.sampled_from(PHASES)),
                          st.tuples(st.booleans(), st.lists(changes, max_size=2)), max_size=8)


@settings(max_examples=200, deadline=None)
@given(registry=st.lists(entries, max_size=6), script=actions,
       commands=st.integers(1, 3))
def test_the_services_are_called_as_by_the_plain_loop(registry, script, commands):
    LOG.clear()
    SCRIPT.clear()
    SCRIPT.update(registry=registry, actions=script)
    cards = {}
    for kind, dispatcher_class in (("new", Dispatcher), ("reference", ReferenceDispatcher)):
        sim = Simulator()
        sim.install(_applet(kind, dispatcher_class), AID)
        assert sim.select(AID).sw == 0x9000
        cards[kind] = sim
    for _ in range(commands):
        answers = {}
        for kind, sim in cards.items():
            response = sim.transmit(bytes.fromhex("8010000000"))
            answers[kind] = (response.data, response.sw)
        assert answers["new"] == answers["reference"]
    calls = {kind: [entry[1:] for entry in LOG if entry[0] == kind] for kind in cards}
    assert calls["new"] == calls["reference"]
    if any(phase < 3 for _, phase in registry):  # an input or command service always runs
        assert calls["new"]


# One service registered takes the Dispatcher's shortcut (no loop over the registry); these
# examples hold it to the plain loop for every phase, answer and change of the registry the
# service may make while it runs, including removing itself and adding back another.
single_service_registry = st.tuples(st.sampled_from(NAMES), st.integers(1, 3)).map(
    lambda entry: [entry])


@settings(max_examples=200, deadline=None)
@given(registry=single_service_registry, script=actions, commands=st.integers(1, 3))
def test_a_single_service_is_called_as_by_the_plain_loop(registry, script, commands):
    test_the_services_are_called_as_by_the_plain_loop.hypothesis.inner_test(
        registry, script, commands)
