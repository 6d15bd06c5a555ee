"""Java Card packages in Python: the ``JAVACARD_PACKAGE`` declaration, derived AIDs for modules
that declare nothing, imports loaded with a package, and the AID clash (``jcsim.package``,
``Card.load_package``)."""

from __future__ import annotations

import hashlib
import sys
import types

import pytest

from jcsim import AID, InstallError, JavaCardPackage, PackageError, Simulator
from jcsim.package import package_of, resolve_module
from tests.runtime.firewall_packages import alpha, clash, cycle_a, gamma, missing_import, user
from tests.runtime.firewall_packages.nested import inner
from tests.runtime.firewall_packages.scripted import run
from tests.runtime.firewall_packages.undeclared import Plain

PKG = "tests.runtime.firewall_packages"
ALPHA = "F0 4A 43 53 41 01 01"
PLAIN = "F0 4A 43 53 50 01"


def names(sim: Simulator) -> list[str]:
    return [p.name for p in sim.packages()]


# --- the declaration -------------------------------------------------------------------------

def test_a_declared_package_shows_its_AID_version_and_imports_once_an_applet_is_installed() -> None:
    sim = Simulator(gp_open=True)
    sim.install(alpha.Alpha, ALPHA)
    info = {p.name: p for p in sim.packages()}[f"{PKG}.alpha"]
    assert info.aid == AID.from_hex("F04A435341")
    assert info.version == (1, 2)
    assert info.imports == ()
    assert sim.applets()[-1].package == AID.from_hex("F04A435341")
    assert sim.applets()[-1].applet_class == f"{PKG}.alpha:Alpha"


def test_the_declared_class_AID_is_used_and_an_undeclared_class_gets_one_derived_from_it() -> None:
    package = package_of(alpha.Alpha)
    assert package.class_aid(alpha.Alpha) == bytes.fromhex("F04A43534101")
    twin = package.class_aid(alpha.AlphaTwin)
    assert twin == bytes.fromhex("F04A435341") + hashlib.sha1(b"AlphaTwin").digest()[:2]


def test_a_module_that_declares_nothing_is_a_package_of_its_own_with_a_derived_AID() -> None:
    sim = Simulator(gp_open=True)
    sim.install(Plain, PLAIN)
    name = f"{PKG}.undeclared"
    expected = bytes.fromhex("F06A63736D") + hashlib.sha1(name.encode()).digest()[:4]
    info = {p.name: p for p in sim.packages()}[name]
    assert info.aid == AID(expected)
    assert info.version == (1, 0)
    # The foundation's simple applets keep working unchanged.
    assert sim.select(PLAIN).sw == 0x9000
    assert run(sim, PLAIN, lambda applet, apdu: 0x1234).data == b"\x12\x34"


def test_a_submodule_belongs_to_the_package_its_parent_declares() -> None:
    resolved = package_of(inner.Inner)
    assert resolved.name == f"{PKG}.nested"
    assert resolved.aid == bytes.fromhex("F04A43534E")
    assert resolved.version == (3, 4)
    assert resolved.class_aid(inner.Inner) == bytes.fromhex("F04A43534E49")
    assert inner in resolved.modules()


def test_a_declaration_takes_its_AID_as_hex_or_bytes_and_its_version_as_text_or_a_pair() -> None:
    by_text = JavaCardPackage(aid="F0 01 02 03 04", version="2.7")
    by_bytes = JavaCardPackage(aid=bytes.fromhex("F001020304"), version=(2, 7))
    assert by_text == by_bytes
    assert by_text.version == (2, 7)
    assert JavaCardPackage(aid="F001020304").version == (1, 0)


@pytest.mark.parametrize("aid", ["F0 01 02 03", "F0" * 17])
def test_a_package_AID_outside_5_to_16_bytes_is_refused(aid: str) -> None:
    with pytest.raises(PackageError, match="5 to 16 bytes"):
        JavaCardPackage(aid=aid)


def test_a_class_AID_outside_5_to_16_bytes_is_refused() -> None:
    with pytest.raises(PackageError, match="class AID of Wallet"):
        JavaCardPackage(aid="F001020304", applets={"Wallet": "F0 01"})


@pytest.mark.parametrize("version", ["256.0", (1, -1)])
def test_a_version_outside_0_to_255_is_refused(version: object) -> None:
    with pytest.raises(PackageError, match="major.minor"):
        JavaCardPackage(aid="F001020304", version=version)


def test_a_JAVACARD_PACKAGE_that_is_not_a_declaration_is_a_PackageError() -> None:
    module = types.ModuleType("jcsim_test_bad_declaration")
    module.JAVACARD_PACKAGE = {"aid": "F001020304"}  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    try:
        with pytest.raises(PackageError, match="is not a JavaCardPackage"):
            resolve_module(module.__name__)
    finally:
        del sys.modules[module.__name__]


# --- loading ---------------------------------------------------------------------------------

def test_installing_an_applet_loads_its_package_and_a_second_install_reuses_it() -> None:
    sim = Simulator(gp_open=True)
    assert f"{PKG}.alpha" not in names(sim)
    sim.install(alpha.Alpha, ALPHA)
    sim.install(alpha.AlphaTwin, "F0 4A 43 53 41 02 01")
    assert names(sim).count(f"{PKG}.alpha") == 1


def test_load_package_loads_a_package_without_an_applet_and_returns_its_AID() -> None:
    sim = Simulator(gp_open=True)
    assert sim.load_package(f"{PKG}.alpha") == bytes.fromhex("F04A435341")
    assert sim.load_package(f"{PKG}.alpha") == bytes.fromhex("F04A435341")
    assert names(sim).count(f"{PKG}.alpha") == 1
    assert [a.applet_class for a in sim.applets()] == ["jcsim.runtime.card_manager:CardManager"]


def test_load_package_of_a_module_that_cannot_be_imported_is_a_JCSimError() -> None:
    from jcsim import JCSimError

    with pytest.raises(JCSimError, match="cannot import"):
        Simulator(gp_open=True).load_package(f"{PKG}.no_such_module")


def test_the_packages_a_package_imports_are_loaded_with_it() -> None:
    sim = Simulator(gp_open=True)
    sim.install(user.User, "F0 4A 43 53 55 01")
    assert f"{PKG}.library" in names(sim)
    info = {p.name: p for p in sim.packages()}[f"{PKG}.user"]
    assert info.imports == (f"{PKG}.library",)
    # The imported package comes first, as a CAP file's imports must be on the card first.
    assert names(sim).index(f"{PKG}.library") < names(sim).index(f"{PKG}.user")


def test_a_package_importing_a_module_that_does_not_exist_is_not_loaded() -> None:
    sim = Simulator(gp_open=True)
    with pytest.raises(InstallError, match="no_such_module"):
        sim.install(missing_import.Orphan, "F0 4A 43 53 4D 01")
    assert f"{PKG}.missing_import" not in names(sim)


def test_packages_that_import_each_other_are_not_loaded() -> None:
    sim = Simulator(gp_open=True)
    with pytest.raises(InstallError, match="import each other"):
        sim.install(cycle_a.CycleA, "F0 4A 43 53 43 41 01")
    assert f"{PKG}.cycle_a" not in names(sim)


def test_a_package_whose_AID_is_taken_by_another_loaded_package_is_refused() -> None:
    sim = Simulator(gp_open=True)
    sim.install(alpha.Alpha, ALPHA)
    with pytest.raises(InstallError, match="already used by"):
        sim.install(clash.Clash, "F0 4A 43 53 41 09")
    assert f"{PKG}.clash" not in names(sim)
    # Either package loads on a card without the other.
    fresh = Simulator(gp_open=True)
    fresh.install(clash.Clash, "F0 4A 43 53 41 09")
    assert f"{PKG}.clash" in names(fresh)


def test_all_applets_of_a_package_must_agree_on_MultiSelectable() -> None:
    from tests.runtime.firewall_packages.scripted import Scripted

    class NotMulti(Scripted):
        pass

    NotMulti.__module__ = gamma.__name__  # a non-MultiSelectable class in package gamma
    sim = Simulator(gp_open=True)
    sim.install(gamma.Gamma, "F0 4A 43 53 47 01")
    with pytest.raises(InstallError, match="mixes MultiSelectable"):
        sim.install(NotMulti, "F0 4A 43 53 47 02")
