"""The applet firewall (JCRE ch. 6): each package is a context; fields, methods and array
elements of another context's objects raise ``SecurityException``; the APDU buffer, arrays made
outside card code and Shareable interface objects are the exceptions; calls through an SIO
switch context; the MultiSelectable rule; and ``Simulator(firewall=False)``
(``jcsim.framework.firewall``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from jcsim import AID, Simulator
from jcsim.framework import (
    ObjectArray,
    APDU,
    Applet,
    ByteArray,
    ISOException,
    JCSystem,
    Object,
    SecurityException,
    Util,
)
from tests.runtime.firewall_packages import alpha, beta, gamma
from tests.runtime.firewall_packages.scripted import (
    SW_FIREWALL,
    Box,
    CounterImpl,
    Scripted,
    Counter,
    run,
)

A = "F0 4A 43 53 41 01 01"
A2 = "F0 4A 43 53 41 02 01"
B = "F0 4A 43 53 42 01 01"
B_EVENTS = "F0 4A 43 53 42 0E 01"
G = "F0 4A 43 53 47 01"
R = "F0 4A 43 53 52 01"
SNOOP = "F0 4A 43 53 53 01"

# Made at import time, outside any card code: an array no context owns.
HOST_ARRAY = ByteArray(b"\x01\x02\x03")
# What Recorder.getShareableInterfaceObject saw (a static field of this test module's package).
SEEN: list[Any] = []


def key(aid: str) -> bytes:
    return bytes.fromhex(aid.replace(" ", ""))


class Recorder(Scripted):
    """A server that records how the JCRE called its getShareableInterfaceObject."""

    def getShareableInterfaceObject(self, clientAID: Any, parameter: int) -> Any:
        SEEN.append((clientAID, parameter, JCSystem.getAID(), JCSystem.getPreviousContextAID()))
        return self.__dict__.get("shared")


class Snoop(Applet):
    """Reads another context's field without catching anything: the card answers 6F00."""

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        buf[0] = beta.stash.value
        apdu.setOutgoingAndSend(0, 1)


@pytest.fixture(autouse=True)
def clean_module_state() -> Iterator[None]:
    yield
    alpha.stash = beta.stash = None
    SEEN.clear()
    HOST_ARRAY[0:3] = b"\x01\x02\x03"


def make_card(firewall: bool = True) -> Simulator:
    """Alpha, AlphaTwin, Beta and Gamma installed; nothing selected."""
    sim = Simulator(firewall=firewall)
    sim.install(alpha.Alpha, A)
    sim.install(alpha.AlphaTwin, A2)
    sim.install(beta.Beta, B)
    sim.install(gamma.Gamma, G)
    return sim


@pytest.fixture
def sim() -> Simulator:
    return make_card()


def in_beta(sim: Simulator, script: Any) -> Any:
    """Run ``script`` in Beta on channel 0 (Beta stays selected there)."""
    assert sim.select(B).sw == 0x9000
    return run(sim, B, script)


def share(applet: Any, apdu: Any) -> None:
    applet.shared = CounterImpl()


def take_counter(server: str) -> Any:
    def script(applet: Any, apdu: Any) -> int:
        aid = JCSystem.lookupAID(key(server), 0, len(key(server)))
        applet.counter = JCSystem.getAppletShareableInterfaceObject(aid, 1)
        return 0 if applet.counter is None else 1

    return script


def client_with_counter(sim: Simulator, server: str = B) -> None:
    """Alpha (selected on channel 0) holds ``server``'s Shareable counter in ``counter``."""
    assert sim.select(server).sw == 0x9000
    run(sim, server, share)
    assert sim.select(A).sw == 0x9000
    assert run(sim, A, take_counter(server)).data == b"\x00\x01"


# --- direct access across contexts --------------------------------------------------------------

def test_reading_a_field_of_another_contexts_object_raises_SecurityException(
        sim: Simulator) -> None:
    in_beta(sim, lambda applet, apdu: setattr(beta, "stash", Box(5)))
    # The static field itself is reachable from any package; the object it holds is not.
    sim.select(A)
    assert run(sim, A, lambda applet, apdu: beta.stash.value).sw == SW_FIREWALL
    # Its own context reads it.
    assert in_beta(sim, lambda applet, apdu: beta.stash.value).data == b"\x00\x05"


def test_writing_a_field_of_another_contexts_object_raises_SecurityException(
        sim: Simulator) -> None:
    in_beta(sim, lambda applet, apdu: setattr(beta, "stash", Box(5)))
    sim.select(A)
    assert run(sim, A, lambda applet, apdu: setattr(beta.stash, "value", 9)).sw == SW_FIREWALL
    assert in_beta(sim, lambda applet, apdu: beta.stash.value).data == b"\x00\x05"


def test_an_uncaught_SecurityException_answers_6F00() -> None:
    sim = make_card()
    sim.install(Snoop, SNOOP)
    in_beta(sim, lambda applet, apdu: setattr(beta, "stash", Box(5)))
    assert sim.select(SNOOP).sw == 0x9000
    assert sim.transmit("80 00 00 00 01").sw == 0x6F00


def test_calling_a_method_of_another_contexts_applet_raises_SecurityException(
        sim: Simulator) -> None:
    def poke(applet: Any, apdu: Any) -> None:
        sim.applet_instance(B).selectingApplet()

    sim.select(A)
    assert run(sim, A, poke).sw == SW_FIREWALL


@pytest.mark.parametrize("access", ["read", "write", "arrayCopy-from", "arrayCopy-to", "fill"])
def test_elements_of_another_contexts_array_raise_SecurityException(
        sim: Simulator, access: str) -> None:
    in_beta(sim, lambda applet, apdu: setattr(beta, "stash", ByteArray(b"\x0A\x0B")))
    mine = ByteArray(2)
    scripts = {
        "read": lambda applet, apdu: beta.stash[0],
        "write": lambda applet, apdu: beta.stash.__setitem__(0, 1),
        "arrayCopy-from": lambda applet, apdu: Util.arrayCopy(beta.stash, 0, mine, 0, 2),
        "arrayCopy-to": lambda applet, apdu: Util.arrayCopy(mine, 0, beta.stash, 0, 2),
        "fill": lambda applet, apdu: Util.arrayFillNonAtomic(beta.stash, 0, 2, 0),
    }
    sim.select(A)
    assert run(sim, A, scripts[access]).sw == SW_FIREWALL
    assert in_beta(sim, lambda applet, apdu: bytes(beta.stash[0:2])).data == b"\x0A\x0B"


def test_the_length_of_another_contexts_array_is_a_field_the_firewall_guards(
        sim: Simulator) -> None:
    in_beta(sim, lambda applet, apdu: setattr(beta, "stash", ByteArray(b"\x0A\x0B")))
    sim.select(A)
    assert run(sim, A, lambda applet, apdu: beta.stash.length).sw == SW_FIREWALL
    assert in_beta(sim, lambda applet, apdu: beta.stash.length).data == b"\x00\x02"


@pytest.mark.parametrize("make", [lambda: ByteArray(b"\x0A\x0B"), lambda: ObjectArray(2)],
                         ids=["byte[]", "Object[]"])
def test_len_of_another_contexts_array_is_guarded_like_length(sim: Simulator, make: Any) -> None:
    in_beta(sim, lambda applet, apdu: setattr(beta, "stash", make()))
    sim.select(A)
    assert run(sim, A, lambda applet, apdu: len(beta.stash)).sw == SW_FIREWALL
    assert in_beta(sim, lambda applet, apdu: len(beta.stash)).data == b"\x00\x02"


def test_len_of_another_contexts_array_is_open_with_the_firewall_off() -> None:
    sim = make_card(firewall=False)
    in_beta(sim, lambda applet, apdu: setattr(beta, "stash", ByteArray(3)))
    sim.select(A)
    assert run(sim, A, lambda applet, apdu: len(beta.stash)).data == b"\x00\x03"


@pytest.mark.parametrize("where", ["field", "array"])
@pytest.mark.parametrize("what", ["buffer", "apdu"])
def test_a_reference_to_the_APDU_or_its_buffer_cannot_be_stored(
        sim: Simulator, where: str, what: str) -> None:
    def keep(applet: Any, apdu: Any) -> None:
        value = apdu.getBuffer() if what == "buffer" else apdu
        if where == "field":
            applet.kept = value
        else:
            applet.refs = ObjectArray(1)
            applet.refs[0] = value

    sim.select(A)
    assert run(sim, A, keep).sw == SW_FIREWALL
    # A local reference is fine: only storing it is refused.
    assert run(sim, A, lambda applet, apdu: apdu.getBuffer().length).sw == 0x9000


def test_applets_of_one_package_share_a_context(sim: Simulator) -> None:
    sim.select(A)

    def build(applet: Any, apdu: Any) -> None:
        applet.mark = 1
        alpha.stash = Box(ByteArray(b"\x07"))

    run(sim, A, build)
    sim.select(A2)

    def use(applet: Any, apdu: Any) -> int:
        box = alpha.stash
        box.value[0] = 8
        box.value = ByteArray(b"\x09")
        # AlphaTwin reads a field of the Alpha instance itself: no firewall between them.
        return box.value[0] + sim.applet_instance(A).mark

    assert run(sim, A2, use).data == b"\x00\x0A"


def test_the_APDU_buffer_is_open_to_every_context_even_through_a_Shareable_call(
        sim: Simulator) -> None:
    client_with_counter(sim)

    def lend_buffer(applet: Any, apdu: Any) -> int:
        buf = apdu.getBuffer()
        buf[7] = 0x42
        return applet.counter.read(buf, 7)

    assert run(sim, A, lend_buffer).data == b"\x00\x42"


def test_an_array_made_outside_card_code_is_open_to_every_context(sim: Simulator) -> None:
    sim.select(A)
    assert run(sim, A, lambda applet, apdu: HOST_ARRAY.__setitem__(0, 0x11)).sw == 0x9000
    assert in_beta(sim, lambda applet, apdu: HOST_ARRAY[0]).data == b"\x00\x11"


def test_a_server_may_not_touch_an_array_its_client_passes_it(sim: Simulator) -> None:
    client_with_counter(sim)

    def lend_own_array(applet: Any, apdu: Any) -> int:
        return applet.counter.read(ByteArray(b"\x05"), 0)

    assert run(sim, A, lend_own_array).sw == SW_FIREWALL
    assert run(sim, A, lambda applet, apdu: applet.counter.read(HOST_ARRAY, 2)).data == \
        b"\x00\x03"


def test_the_host_reaches_every_object() -> None:
    sim = make_card()
    in_beta(sim, share)
    assert sim.applet_instance(B).shared.secret == 42


# --- Shareable interface objects -----------------------------------------------------------------

def test_getAppletShareableInterfaceObject_asks_the_server_in_its_own_context() -> None:
    sim = make_card()
    sim.install(Recorder, R)
    sim.select(R)
    run(sim, R, share)
    sim.select(A)
    assert run(sim, A, take_counter(R)).data == b"\x00\x01"
    assert SEEN == [(AID.from_hex(A), 1, AID.from_hex(R), AID.from_hex(A))]


def test_getAppletShareableInterfaceObject_is_null_for_an_absent_server_or_a_refusal(
        sim: Simulator) -> None:
    sim.select(B)
    run(sim, B, share)
    sim.select(A)
    assert run(sim, A, take_counter("F0 4A 43 53 42 99")).data == b"\x00\x00"  # not installed

    def other_parameter(applet: Any, apdu: Any) -> int:
        aid = JCSystem.lookupAID(key(B), 0, len(key(B)))
        return 0 if JCSystem.getAppletShareableInterfaceObject(aid, 2) is None else 1

    assert run(sim, A, other_parameter).data == b"\x00\x00"
    assert run(sim, A, lambda applet, apdu: int(
        JCSystem.getAppletShareableInterfaceObject(None, 1) is None)).data == b"\x00\x01"


class PlainCounter(Counter):
    """Implements the Shareable interface but is no on-card ``Object``: not a valid SIO."""

    def add(self, amount: int) -> int:
        return amount


class PlainObject(Object):
    """An on-card object that is not Shareable: not a valid SIO either."""


@pytest.mark.parametrize("made", [PlainCounter, PlainObject])
def test_an_SIO_that_is_not_a_shareable_on_card_object_is_refused_with_a_log_line(
        sim: Simulator, made: type, caplog: pytest.LogCaptureFixture) -> None:
    sim.select(B)
    run(sim, B, lambda applet, apdu: setattr(applet, "shared", made()))
    sim.select(A)
    with caplog.at_level("ERROR", logger="jcsim.firewall"):
        assert run(sim, A, take_counter(B)).sw == SW_FIREWALL
    [record] = [r for r in caplog.records if r.name == "jcsim.firewall"]
    assert made.__qualname__ in record.getMessage()
    assert "derive from Object" in record.getMessage()


def test_with_the_firewall_off_any_object_may_be_handed_out_as_an_SIO() -> None:
    sim = make_card(firewall=False)
    sim.select(B)
    run(sim, B, lambda applet, apdu: setattr(applet, "shared", PlainCounter()))
    sim.select(A)
    assert run(sim, A, take_counter(B)).data == b"\x00\x01"


def test_a_Shareable_method_runs_in_the_servers_context(sim: Simulator) -> None:
    client_with_counter(sim)

    def inside(applet: Any, apdu: Any) -> bytes:
        server, caller = applet.counter.context(), applet.counter.previous()
        return server.value + caller.value

    assert run(sim, A, inside).data == key(B) + key(A)
    assert run(sim, A, lambda applet, apdu: applet.counter.add(3)).data == b"\x00\x03"
    assert run(sim, A, lambda applet, apdu: applet.counter.add(4)).data == b"\x00\x07"


def test_the_context_is_restored_after_a_Shareable_call_returns(sim: Simulator) -> None:
    client_with_counter(sim)

    def after(applet: Any, apdu: Any) -> bytes:
        applet.counter.add(1)
        previous = JCSystem.getPreviousContextAID()
        return JCSystem.getAID().value + (b"JCRE" if previous is None else previous.value)

    assert run(sim, A, after).data == key(A) + b"JCRE"


def test_the_context_is_restored_after_the_server_throws(sim: Simulator) -> None:
    client_with_counter(sim)

    def catch(applet: Any, apdu: Any) -> bytes:
        try:
            applet.counter.fail(0x6A80)
        except ISOException as exc:
            reason = exc.getReason()
        previous = JCSystem.getPreviousContextAID()
        # The client's own objects are its own again.
        applet.after = Box(1)
        return (JCSystem.getAID().value + (b"JCRE" if previous is None else previous.value)
                + reason.to_bytes(2, "big"))

    assert run(sim, A, catch).data == key(A) + b"JCRE" + b"\x6A\x80"
    # Uncaught, the server's ISOException is the answer; the card carries on.
    assert run(sim, A, lambda applet, apdu: applet.counter.fail(0x6A84)).sw == 0x6A84
    assert run(sim, A, lambda applet, apdu: JCSystem.getAID().value).data == key(A)


def test_a_SecurityException_inside_the_server_restores_the_context(sim: Simulator) -> None:
    client_with_counter(sim)

    def catch(applet: Any, apdu: Any) -> bytes:
        try:
            applet.counter.read(ByteArray(1), 0)
        except SecurityException:
            pass
        return JCSystem.getAID().value

    assert run(sim, A, catch).data == key(A)


def test_only_methods_of_a_Shareable_interface_may_be_called_on_an_SIO(sim: Simulator) -> None:
    client_with_counter(sim)
    assert run(sim, A, lambda applet, apdu: applet.counter.reset()).sw == SW_FIREWALL
    assert run(sim, A, lambda applet, apdu: applet.counter.secret).sw == SW_FIREWALL
    assert run(sim, A, lambda applet, apdu: applet.counter.total).sw == SW_FIREWALL
    assert run(sim, A, lambda applet, apdu: setattr(applet.counter, "total", 9)).sw == \
        SW_FIREWALL
    assert run(sim, A, lambda applet, apdu: applet.counter.add(2)).data == b"\x00\x02"


def test_getPreviousContextAID_is_null_when_the_JCRE_called_the_applet(sim: Simulator) -> None:
    sim.select(A)
    assert run(sim, A, lambda applet, apdu: int(
        JCSystem.getPreviousContextAID() is None)).data == b"\x00\x01"


# --- the MultiSelectable rule --------------------------------------------------------------------

def test_no_call_into_a_non_multiselectable_server_active_on_another_channel(
        sim: Simulator) -> None:
    client_with_counter(sim)
    channel = sim.open_channel()
    assert sim.select(B, channel).sw == 0x9000
    assert run(sim, A, lambda applet, apdu: applet.counter.add(1)).sw == SW_FIREWALL
    assert run(sim, A, take_counter(B)).sw == SW_FIREWALL
    sim.close_channel(channel)
    assert run(sim, A, lambda applet, apdu: applet.counter.add(1)).data == b"\x00\x01"
    assert run(sim, A, take_counter(B)).data == b"\x00\x01"


def test_another_applet_of_the_servers_package_being_active_is_enough_to_refuse(
        sim: Simulator) -> None:
    sim.install(beta.BetaEvents, B_EVENTS)
    client_with_counter(sim)
    channel = sim.open_channel()
    assert sim.select(B_EVENTS, channel).sw == 0x9000
    assert run(sim, A, lambda applet, apdu: applet.counter.add(1)).sw == SW_FIREWALL


def test_a_multiselectable_server_active_on_another_channel_may_be_called(
        sim: Simulator) -> None:
    client_with_counter(sim, server=G)
    channel = sim.open_channel()
    assert sim.select(G, channel).sw == 0x9000
    assert run(sim, A, lambda applet, apdu: applet.counter.add(2)).data == b"\x00\x02"
    assert run(sim, A, take_counter(G)).data == b"\x00\x01"


# --- the switch ---------------------------------------------------------------------------------

def test_with_the_firewall_off_nothing_is_refused_and_Shareable_calls_switch_nothing() -> None:
    sim = make_card(firewall=False)
    in_beta(sim, lambda applet, apdu: setattr(beta, "stash", ByteArray(b"\x0A")))
    client_with_counter(sim)
    assert run(sim, A, lambda applet, apdu: beta.stash[0]).data == b"\x00\x0A"
    assert run(sim, A, lambda applet, apdu: sim.applet_instance(B).shared.secret).data == \
        b"\x00\x2A"
    assert run(sim, A, lambda applet, apdu: applet.counter.reset()).sw == 0x9000
    assert run(sim, A, lambda applet, apdu: applet.counter.read(ByteArray(b"\x05"), 0)).data == \
        b"\x00\x05"
    # No context switch: inside the SIO method the client's context is still the running one.
    assert run(sim, A, lambda applet, apdu: applet.counter.context().value).data == key(A)
    # The MultiSelectable rule is a firewall rule too.
    channel = sim.open_channel()
    assert sim.select(B, channel).sw == 0x9000
    assert run(sim, A, lambda applet, apdu: applet.counter.add(1)).data == b"\x00\x01"


def test_a_card_with_the_firewall_off_leaves_the_others_protected() -> None:
    open_card = make_card(firewall=False)
    closed_card = make_card(firewall=True)
    for card in (open_card, closed_card):
        in_beta(card, lambda applet, apdu: setattr(beta, "stash", Box(3)))
        card.select(A)
    assert run(open_card, A, lambda applet, apdu: beta.stash.value).data == b"\x00\x03"
    assert run(closed_card, A, lambda applet, apdu: beta.stash.value).sw == SW_FIREWALL
