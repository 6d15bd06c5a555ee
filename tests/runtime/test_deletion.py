"""Applet and package deletion through the host API (``sim.delete_applet``,
``sim.delete_package``): the rules of the programming notes and JCRE ch. 11, each shown refusing
and succeeding, ``AppletEvent.uninstall``, and all-or-nothing package-with-applets deletion
(``jcsim.runtime.deletion.delete``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from jcsim import AID, DeletionRefusedError, JCSimError, Simulator
from jcsim.framework import ByteArray, JCSystem
from tests.runtime.firewall_packages import alpha, beta, gamma, tools, user
from tests.runtime.firewall_packages.library import Ledger
from tests.runtime.firewall_packages.scripted import (
    UNINSTALL,
    UNINSTALLED,
    Box,
    CounterImpl,
    run,
)

A = "F0 4A 43 53 41 01 01"
A2 = "F0 4A 43 53 41 02 01"
B = "F0 4A 43 53 42 01 01"
EV1 = "F0 4A 43 53 42 0E 01"
EV2 = "F0 4A 43 53 42 0E 02"
G = "F0 4A 43 53 47 01"
U = "F0 4A 43 53 55 01"
ALPHA_PKG = "F0 4A 43 53 41"
BETA_PKG = "F0 4A 43 53 42"
PKG = "tests.runtime.firewall_packages"


def key(aid: str) -> bytes:
    return bytes.fromhex(aid.replace(" ", ""))


@pytest.fixture(autouse=True)
def clean_module_state() -> Iterator[None]:
    yield
    alpha.stash = beta.stash = None
    UNINSTALL.clear()
    UNINSTALLED.clear()


def applet_aids(sim: Simulator) -> list[AID]:
    return [a.aid for a in sim.applets()]


def package_names(sim: Simulator) -> list[str]:
    return [p.name for p in sim.packages()]


def request(applet: Any, apdu: Any) -> None:
    JCSystem.requestObjectDeletion()


def share_counter(sim: Simulator, server: str, client: str) -> None:
    """``client`` (selected on channel 0 afterwards) keeps the Shareable object of ``server``
    in its field ``counter``. Leaves nothing selected but ``client``."""
    sim.select(server)
    run(sim, server, lambda applet, apdu: setattr(applet, "shared", CounterImpl()))
    sim.select(client)

    def take(applet: Any, apdu: Any) -> None:
        aid = JCSystem.lookupAID(key(server), 0, len(key(server)))
        applet.counter = JCSystem.getAppletShareableInterfaceObject(aid, 1)
        assert applet.counter is not None

    assert run(sim, client, take).sw == 0x9000


def deselect_all(sim: Simulator) -> None:
    """Select the card manager on the basic channel: no test applet stays active."""
    assert sim.select("A000000151000000").sw == 0x9000


# --- host API basics -------------------------------------------------------------------------

def test_deleting_an_applet_that_is_not_there_is_refused_as_not_found() -> None:
    sim = Simulator()
    with pytest.raises(DeletionRefusedError) as info:
        sim.delete_applet(A)
    assert info.value.reason == "not-found"
    with pytest.raises(DeletionRefusedError) as info:
        sim.delete_package(ALPHA_PKG)
    assert info.value.reason == "not-found"


def test_DeletionRefusedError_is_a_JCSimError_and_a_ValueError() -> None:
    assert issubclass(DeletionRefusedError, JCSimError)
    assert issubclass(DeletionRefusedError, ValueError)


def test_a_deleted_applet_is_gone_its_AID_is_free_and_its_package_stays() -> None:
    sim = Simulator()
    sim.install(alpha.Alpha, A)
    sim.delete_applet(A)
    assert AID.from_hex(A) not in applet_aids(sim)
    assert sim.select(A).sw == 0x6999
    assert f"{PKG}.alpha" in package_names(sim)
    sim.install(alpha.AlphaTwin, A)  # the AID can be given to a new instance
    assert sim.select(A).sw == 0x9000


def test_deleting_an_applet_gives_back_all_its_memory() -> None:
    sim = Simulator()
    before = sim.memory()
    sim.install(alpha.Alpha, A)
    sim.select(A)

    def build(applet: Any, apdu: Any) -> None:
        applet.data = ByteArray(500)
        applet.box = Box(JCSystem.makeTransientShortArray(10, JCSystem.CLEAR_ON_DESELECT))
        applet.ram = JCSystem.makeTransientByteArray(64, JCSystem.CLEAR_ON_RESET)

    run(sim, A, build)
    assert sim.memory() != before
    deselect_all(sim)
    sim.delete_applet(A)
    assert sim.memory() == before


# --- applet deletion: active ------------------------------------------------------------------

@pytest.mark.parametrize(("channel", "interface"), [(0, "contact"), (2, "contact"),
                                                    (0, "contactless")])
def test_an_applet_active_on_any_channel_is_not_deleted(channel: int, interface: str) -> None:
    sim = Simulator()
    sim.install(alpha.Alpha, A)
    if channel:
        sim.transmit(bytes((0x00, 0x70, 0x00, channel)), interface=interface)
    assert sim.select(A, channel, interface=interface).sw == 0x9000
    with pytest.raises(DeletionRefusedError, match="active on"):
        sim.delete_applet(A)
    assert sim.select(A, channel, interface=interface).sw == 0x9000  # still there
    if channel:
        sim.close_channel(channel, interface=interface)
    else:
        sim.select("A000000151000000", interface=interface)
    sim.delete_applet(A)
    assert AID.from_hex(A) not in applet_aids(sim)


def test_an_applet_is_not_deleted_while_another_applet_of_its_context_is_active() -> None:
    sim = Simulator()
    sim.install(gamma.Gamma, G)
    sim.install(gamma.Gamma, "F0 4A 43 53 47 02")
    assert sim.select("F0 4A 43 53 47 02").sw == 0x9000
    with pytest.raises(DeletionRefusedError, match="context being deleted"):
        sim.delete_applet(G)
    deselect_all(sim)
    sim.delete_applet(G)


# --- applet deletion: references from outside ---------------------------------------------------

def test_an_applet_whose_object_another_applet_holds_is_not_deleted_until_it_lets_go() -> None:
    sim = Simulator()
    sim.install(beta.Beta, B)
    sim.install(alpha.Alpha, A)
    share_counter(sim, server=B, client=A)
    with pytest.raises(DeletionRefusedError, match="referenced from outside"):
        sim.delete_applet(B)
    run(sim, A, lambda applet, apdu: setattr(applet, "counter", None))
    sim.delete_applet(B)


def test_an_applet_whose_object_a_static_field_holds_is_not_deleted_until_it_is_cleared() -> None:
    sim = Simulator()
    sim.install(alpha.Alpha, A)
    sim.install(beta.Beta, B)
    sim.select(A)
    # A static field of another package refers to an object alpha owns.
    run(sim, A, lambda applet, apdu: setattr(beta, "stash", Box()))
    deselect_all(sim)
    with pytest.raises(DeletionRefusedError, match="referenced from outside"):
        sim.delete_applet(A)
    beta.stash = None
    sim.delete_applet(A)


def test_a_static_field_of_the_applets_own_package_also_blocks_its_deletion() -> None:
    sim = Simulator()
    sim.install(alpha.Alpha, A)
    sim.select(A)
    run(sim, A, lambda applet, apdu: setattr(alpha, "stash", ByteArray(4)))
    deselect_all(sim)
    with pytest.raises(DeletionRefusedError):
        sim.delete_applet(A)
    # Deleting the package with its applet deletes the static field with it.
    sim.delete_package(ALPHA_PKG, with_applets=True)
    assert f"{PKG}.alpha" not in package_names(sim)


def test_references_between_the_applets_deleted_together_do_not_block_the_deletion() -> None:
    sim = Simulator()
    sim.install(alpha.Alpha, A)
    sim.install(alpha.AlphaTwin, A2)
    sim.select(A)
    run(sim, A, lambda applet, apdu: setattr(applet, "box", Box()))
    # AlphaTwin keeps Alpha's box: same package, so no firewall stands between them.
    sim.select(A2)
    run(sim, A2, lambda applet, apdu: setattr(applet, "borrowed", sim.applet_instance(A).box))
    deselect_all(sim)
    with pytest.raises(DeletionRefusedError):
        sim.delete_applet(A)  # AlphaTwin stays, and holds the box
    sim.delete_package(ALPHA_PKG, with_applets=True)


# --- AppletEvent.uninstall -------------------------------------------------------------------

def test_uninstall_is_called_in_the_applets_context_before_it_is_removed() -> None:
    sim = Simulator()
    sim.install(beta.BetaEvents, EV1)
    seen: list[Any] = []
    UNINSTALL[key(EV1)] = lambda applet: seen.append(
        (JCSystem.getAID(), sim.applet_instance(EV1) is applet))
    sim.delete_applet(EV1)
    assert UNINSTALLED == [key(EV1)]
    assert seen == [(AID.from_hex(EV1), True)]
    assert AID.from_hex(EV1) not in applet_aids(sim)


def test_an_exception_thrown_by_uninstall_is_ignored() -> None:
    sim = Simulator()
    sim.install(beta.BetaEvents, EV1)

    def fail(applet: Any) -> None:
        raise RuntimeError("uninstall went wrong")

    UNINSTALL[key(EV1)] = fail
    sim.delete_applet(EV1)
    assert AID.from_hex(EV1) not in applet_aids(sim)


def test_uninstall_runs_before_the_checks_so_it_can_release_what_blocks_the_deletion() -> None:
    sim = Simulator()
    sim.install(beta.BetaEvents, EV1)
    sim.select(EV1)
    run(sim, EV1, lambda applet, apdu: setattr(alpha, "stash", Box()))
    deselect_all(sim)

    def release(applet: Any) -> None:
        alpha.stash = None

    UNINSTALL[key(EV1)] = release
    sim.delete_applet(EV1)
    assert AID.from_hex(EV1) not in applet_aids(sim)


def test_uninstall_is_called_even_when_the_deletion_is_then_refused() -> None:
    sim = Simulator()
    sim.install(beta.BetaEvents, EV1)
    sim.select(EV1)
    with pytest.raises(DeletionRefusedError):
        sim.delete_applet(EV1)
    assert UNINSTALLED == [key(EV1)]
    assert AID.from_hex(EV1) in applet_aids(sim)


def test_a_transaction_uninstall_leaves_open_is_aborted() -> None:
    sim = Simulator()
    sim.install(beta.BetaEvents, EV1)
    sim.install(alpha.Alpha, A)

    def begin(applet: Any) -> None:
        JCSystem.beginTransaction()

    UNINSTALL[key(EV1)] = begin
    sim.delete_applet(EV1)
    sim.select(A)
    assert run(sim, A, lambda applet, apdu: JCSystem.getTransactionDepth()).data == b"\x00\x00"


# --- package deletion --------------------------------------------------------------------------

def test_a_package_with_applet_instances_is_deleted_only_with_them() -> None:
    sim = Simulator()
    sim.install(alpha.Alpha, A)
    with pytest.raises(DeletionRefusedError, match="instance of a class"):
        sim.delete_package(ALPHA_PKG)
    assert AID.from_hex(A) in applet_aids(sim)
    sim.delete_package(ALPHA_PKG, with_applets=True)
    assert AID.from_hex(A) not in applet_aids(sim)
    assert f"{PKG}.alpha" not in package_names(sim)


def test_a_package_without_instances_is_deleted_alone() -> None:
    sim = Simulator()
    sim.load_package(f"{PKG}.alpha")
    sim.delete_package(ALPHA_PKG)
    assert f"{PKG}.alpha" not in package_names(sim)
    sim.install(alpha.Alpha, A)  # and it can be loaded again
    assert f"{PKG}.alpha" in package_names(sim)


def test_a_package_another_package_imports_is_not_deleted_until_the_importer_goes() -> None:
    sim = Simulator()
    sim.install(user.User, U)
    with pytest.raises(DeletionRefusedError, match="imports"):
        sim.delete_package("F0 4A 43 53 4C")
    sim.delete_package("F0 4A 43 53 55", with_applets=True)
    sim.delete_package("F0 4A 43 53 4C")
    assert f"{PKG}.library" not in package_names(sim)


def test_a_package_is_not_deleted_while_a_reachable_object_of_its_classes_exists() -> None:
    sim = Simulator()
    sim.load_package(f"{PKG}.tools")
    sim.install(alpha.Alpha, A)
    sim.select(A)
    before = sim.memory()
    run(sim, A, lambda applet, apdu: setattr(applet, "token", tools.Token()))
    with pytest.raises(DeletionRefusedError, match="object of a class of"):
        sim.delete_package("F0 4A 43 53 54")
    # Once nothing reaches it, the token is garbage: it goes with its package (JCRE
    # §11.3.4.2), no object deletion request needed.
    run(sim, A, lambda applet, apdu: setattr(applet, "token", None))
    sim.delete_package("F0 4A 43 53 54")
    assert f"{PKG}.tools" not in package_names(sim)
    assert sim.memory().objects == before.objects
    assert sim.memory().persistent.used == before.persistent.used + 4  # the field "token"


def test_an_imported_librarys_objects_keep_the_library_after_the_importer_is_gone() -> None:
    sim = Simulator()
    sim.install(user.User, U)
    sim.install(alpha.Alpha, A)
    sim.select(A)
    run(sim, A, lambda applet, apdu: setattr(applet, "ledger", Ledger()))
    deselect_all(sim)
    sim.delete_package("F0 4A 43 53 55", with_applets=True)
    with pytest.raises(DeletionRefusedError, match="object of a class of"):
        sim.delete_package("F0 4A 43 53 4C")


def test_deleting_a_package_with_its_applets_is_all_or_nothing() -> None:
    sim = Simulator()
    sim.install(alpha.Alpha, A)
    sim.install(alpha.AlphaTwin, A2)
    sim.install(beta.Beta, B)
    share_counter(sim, server=A2, client=B)  # beta holds an object of one of alpha's applets
    deselect_all(sim)
    before = (sim.memory(), applet_aids(sim), package_names(sim))
    with pytest.raises(DeletionRefusedError, match="referenced from outside"):
        sim.delete_package(ALPHA_PKG, with_applets=True)
    assert (sim.memory(), applet_aids(sim), package_names(sim)) == before
    assert sim.select(A).sw == 0x9000  # Alpha, which nothing held, was not deleted either
    deselect_all(sim)
    sim.select(B)
    run(sim, B, lambda applet, apdu: setattr(applet, "counter", None))
    deselect_all(sim)
    sim.delete_package(ALPHA_PKG, with_applets=True)
    assert AID.from_hex(A) not in applet_aids(sim)
    assert AID.from_hex(A2) not in applet_aids(sim)


def test_deleting_a_package_with_its_applets_calls_each_uninstall_and_ignores_failures() -> None:
    sim = Simulator()
    sim.install(beta.BetaEvents, EV1)
    sim.install(beta.BetaEvents, EV2)
    sim.install(beta.Beta, B)

    def fail(applet: Any) -> None:
        raise RuntimeError("uninstall went wrong")

    UNINSTALL[key(EV1)] = fail
    before = sim.memory().persistent.used
    sim.delete_package(BETA_PKG, with_applets=True)
    assert sorted(UNINSTALLED) == sorted([key(EV1), key(EV2)])
    assert not {AID.from_hex(EV1), AID.from_hex(EV2), AID.from_hex(B)} & set(applet_aids(sim))
    assert sim.memory().persistent.used < before


def test_a_package_with_an_active_applet_is_not_deleted() -> None:
    sim = Simulator()
    sim.install(alpha.Alpha, A)
    sim.select(A)
    with pytest.raises(DeletionRefusedError, match="active on"):
        sim.delete_package(ALPHA_PKG, with_applets=True)
    deselect_all(sim)
    sim.delete_package(ALPHA_PKG, with_applets=True)


def test_object_deletion_still_works_for_the_contexts_left_after_a_deletion() -> None:
    sim = Simulator()
    sim.install(alpha.Alpha, A)
    sim.install(beta.Beta, B)
    sim.delete_applet(B)
    sim.select(A)
    run(sim, A, lambda applet, apdu: ByteArray(20))
    before = sim.memory().persistent.used
    run(sim, A, request)
    assert before - sim.memory().persistent.used == 28
