"""Own-field reads compiled past the firewall hook (``jcsim.framework.self_access``): the
compiled methods answer exactly as written, keep their source lines, are left alone when the
source on disk is not what runs, and never open the firewall to another context."""

from __future__ import annotations

import importlib.util
import linecache
import sys
import traceback
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import CardTornError, Simulator
from jcsim.framework import APDU, ISO7816, Applet, JCSystem, Object, Util, self_access
from jcsim.samples.purse_tx import Purse
from tests.framework import self_access_cases
from tests.runtime.firewall_packages import beta
from tests.runtime.firewall_packages.scripted import SW_FIREWALL, CounterImpl, run
from tests.runtime.test_firewall import A, B, client_with_counter, make_card

CASES_FILE = Path(self_access_cases.__file__)


def load_copy(name: str, path: Path = CASES_FILE) -> types.ModuleType:
    """Another module made from ``path``: classes of its own, never compiled unless asked."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def rewritten(function: Any) -> bool:
    names = function.__code__.co_names
    return "__jcsim_fields__" in names or "__jcsim_getattr__" in names


@pytest.fixture(scope="module")
def twins() -> tuple[types.ModuleType, types.ModuleType]:
    compiled = load_copy("self_access_cases_compiled")
    written = load_copy("self_access_cases_written")
    assert self_access.compile_class(compiled.Cases) >= 12
    assert self_access.compile_class(compiled.Base) == 3  # __init__, base_total, secret
    scaled = compiled.make_scaled(3)
    assert self_access.compile_class(scaled) == 2
    # Another class from the same statement reuses the rewritten code.
    assert self_access.compile_class(compiled.make_scaled(5)) == 2
    return compiled, written


def outcome(call: Any) -> Any:
    try:
        return ("value", call())
    except Exception as exc:  # the exception's kind and arguments are part of the answer
        return ("raised", type(exc).__name__, exc.args)


def test_the_rewrite_reaches_fields_methods_mangled_names_and_decorated_methods(
        twins: Any) -> None:
    compiled, written = twins
    for name in ("plain", "method_call", "mangled", "missing", "raises", "bound",
                 "hidden_class_attribute"):
        assert rewritten(getattr(compiled.Cases, name)), name
        assert not rewritten(getattr(written.Cases, name)), name
    assert rewritten(compiled.Cases.decorated.__wrapped__)
    assert rewritten(compiled.Base.secret)
    # Reads in nested scopes and in a method that rebinds self keep the hooked path.
    assert not rewritten(compiled.Cases.nested)
    assert not rewritten(compiled.Cases.comprehension)
    assert not rewritten(compiled.Cases.rebinding)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(-300, 300), later_static=st.integers(0, 9))
def test_compiled_methods_answer_as_written(twins: Any, seed: int, later_static: int) -> None:
    compiled, written = twins
    for module in (compiled, written):
        module.Cases.ASSIGNED_LATER = later_static  # a class attribute given after compiling
    try:
        left, right = compiled.Cases(seed), written.Cases(seed)
        for name in self_access_cases.METHODS:
            assert outcome(getattr(left, name)) == outcome(getattr(right, name)), name
        assert outcome(lambda: left.rebinding(right)) == outcome(
            lambda: right.rebinding(left))
        assert left.writes(seed + 1) == right.writes(seed + 1)
        assert left.plain() == right.plain()
        assert compiled.make_scaled(3)(seed).scaled() == written.make_scaled(3)(seed).scaled()
    finally:
        for module in (compiled, written):
            type.__delattr__(module.Cases, "ASSIGNED_LATER")


def test_a_compiled_method_keeps_its_source_lines_in_tracebacks(twins: Any) -> None:
    compiled, _ = twins
    lines = CASES_FILE.read_text().splitlines()
    expected = next(n for n, line in enumerate(lines, 1) if "raise ValueError(self.seed)" in line)
    with pytest.raises(ValueError) as caught:
        compiled.Cases(4).raises()
    frame = traceback.extract_tb(caught.tb)[-1]
    assert (frame.filename, frame.lineno, frame.name) == (str(CASES_FILE), expected, "raises")
    assert compiled.Cases.documented.__doc__ == "A docstring stays the docstring."


def test_a_method_whose_source_changed_since_the_import_is_left_as_it_runs(
        tmp_path: Path) -> None:
    path = tmp_path / "changed_cases.py"
    path.write_text(CASES_FILE.read_text())
    module = load_copy("self_access_changed_cases", path)
    # The file changes on disk after the import: one method's constant differs.
    source = path.read_text().replace("return self.seed * 11", "return self.seed * 12")
    path.write_text(source)
    linecache.checkcache(str(path))
    assert self_access.compile_class(module.Cases) >= 10  # the unchanged methods
    assert not rewritten(module.Cases.documented)
    assert module.Cases(2).documented() == 22  # still the code that was imported
    assert rewritten(module.Cases.plain)


def test_a_debit_reads_the_purse_without_one_hooked_read(monkeypatch: pytest.MonkeyPatch) -> None:
    sim = Simulator()
    sim.install(Purse, "F00000003001")
    sim.select("F00000003001")
    hooked: list[str] = []
    checked = Object.__getattribute__

    def counting(self: Any, name: str) -> Any:
        if type(self) is Purse:
            hooked.append(name)
        return checked(self, name)

    monkeypatch.setattr(Object, "__getattribute__", counting)
    assert sim.transmit("80 30 00 00 02 00 05").sw == 0x9000
    monkeypatch.undo()
    assert hooked == []
    assert sim.applet_instance("F00000003001").balance == 995


def test_another_context_still_may_not_read_fields_or_call_methods_of_a_compiled_object(
        ) -> None:
    sim = make_card()
    client_with_counter(sim)  # Alpha holds Beta's CounterImpl
    assert rewritten(CounterImpl.add)
    sim.select(A)
    assert run(sim, A, lambda applet, apdu: applet.counter.total).sw == SW_FIREWALL
    # Through its Shareable interface the call runs in Beta's context, and its own reads pass.
    assert run(sim, A, lambda applet, apdu: applet.counter.add(3)).data == b"\x00\x03"
    assert run(sim, A, lambda applet, apdu: applet.counter.add(4)).data == b"\x00\x07"
    sim.select(B)
    assert run(sim, B, lambda applet, apdu: applet.shared.total).data == b"\x00\x07"
    assert beta.stash is None


def test_nothing_is_compiled_in_a_process_whose_cards_have_no_firewall(tmp_path: Path) -> None:
    import subprocess

    script = (
        "from jcsim import Simulator\n"
        "from jcsim.framework import self_access\n"
        "from jcsim.samples.purse_tx import Purse\n"
        "sim = Simulator(firewall=False)\n"
        "sim.install(Purse, 'F00000003001')\n"
        "print(self_access.enabled(), '__jcsim_fields__' in Purse.debit.__code__.co_names)\n"
        "sim = Simulator()\n"
        "sim.install(Purse, 'F00000003002')\n"
        "print(self_access.enabled(), '__jcsim_fields__' in Purse.debit.__code__.co_names)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.split() == ["False", "False", "True", "True"]


# --- writes -------------------------------------------------------------------------------------

class Ledger(Object):
    """Writes its own fields; ``Audited`` below writes them its own way."""

    def __init__(self) -> None:
        self.total = 0
        self.entries = 0

    def post(self, amount: int) -> int:
        self.total = self.total + amount
        self.entries = self.entries + 1
        return self.total


class Audited(Ledger):
    WRITTEN: list[str] = []

    def __setattr__(self, name: str, value: Any) -> None:
        Audited.WRITTEN.append(name)
        super().__setattr__(name, value)


class LedgerApplet(Applet):
    def __init__(self) -> None:
        self.ledger = Ledger()
        self.audited = Audited()

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buffer = apdu.getBuffer()
        ledger = self.audited if buffer[ISO7816.OFFSET_P1] else self.ledger
        abort = buffer[ISO7816.OFFSET_P2] == 1
        JCSystem.beginTransaction()
        total = ledger.post(buffer[ISO7816.OFFSET_P2])
        if abort:
            JCSystem.abortTransaction()
        else:
            JCSystem.commitTransaction()
        Util.setShort(buffer, 0, total)
        apdu.setOutgoingAndSend(0, 2)


def test_compiled_writes_go_through_the_journal_and_a_class_own_setattr() -> None:
    sim = Simulator()
    sim.install(LedgerApplet, "F00000005001")
    sim.select("F00000005001")
    assert rewritten(Ledger.post)
    applet = sim.applet_instance("F00000005001")
    assert sim.transmit("80 00 00 05").data == b"\x00\x05"
    assert (applet.ledger.total, applet.ledger.entries) == (5, 1)
    # Aborted: the journal rolls both writes back, as it would for hooked writes.
    assert sim.transmit("80 00 00 01").data == b"\x00\x06"
    assert (applet.ledger.total, applet.ledger.entries) == (5, 1)
    # A tear between the two writes of a committed transaction loses neither.
    sim.arm_tear(after_writes=1)
    with pytest.raises(CardTornError):
        sim.transmit("80 00 00 07")
    sim.power_on()
    assert (applet.ledger.total, applet.ledger.entries) == (5, 1)
    Audited.WRITTEN.clear()
    sim.select("F00000005001")
    assert sim.transmit("80 00 01 02").data == b"\x00\x02"
    assert Audited.WRITTEN == ["total", "entries"]


def test_a_class_that_fails_to_compile_keeps_the_hooked_accesses(
        monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_copy("self_access_cases_failing")

    def broken(cls: type) -> int:
        raise RuntimeError("a compiler failure")

    monkeypatch.setattr(self_access, "compile_class", broken)
    monkeypatch.setattr(self_access, "_enabled", True)
    self_access.prepare(module.Cases)  # logs, does not raise
    assert not rewritten(module.Cases.plain)
    assert module.Cases(3).plain() == 7
