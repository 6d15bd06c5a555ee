"""The pytest plugin jcsim registers (entry point ``pytest11``).

Fixtures:

- ``simulator``: a fresh, powered ``jcsim.Simulator`` per test, T=1 unless configured. The
  ``jcsim`` marker configures it, on a test, a class or a module::

      @pytest.mark.jcsim(protocol="T=0", firewall=False, atr="3B 80 80 01 01",
                         apdu_buffer_size=1024, applets=[(Purse, "F0 00 00 00 01 01"),
                         (Wallet, WALLET_AID, {"default": True, "params": "01 02"})])
      def test_purse(simulator): ...

  ``applets`` lists ``(class, aid)`` or ``(class, aid, options)`` entries, installed in order
  (``options`` are ``Simulator.install``'s keywords); the other keywords are the
  ``Simulator``'s. The closest marker wins for each keyword. Indirect parametrization still
  picks the protocol: ``@pytest.mark.parametrize("simulator", ["T=0", "T=1"], indirect=True)``.
- ``pcsc_card``, ``jcsim_pcscd``: that card served through a real pcscd (``jcsim.pytest_pcsc``,
  ``jcsim.pcscd``), shared by the pytest-xdist workers of a run one test at a time.

Traces: every card a test uses (made by a fixture or by the test itself) is recorded, and when
the test fails its decoded APDU trace is a section of the failure report, like captured output.
``--jcsim-trace=all`` attaches it to every test (pytest shows passed tests' sections with
``-rP``), ``--jcsim-trace=none`` records nothing.
"""

from __future__ import annotations

import inspect
from collections.abc import Generator, Mapping
from typing import Any

import pytest

from jcsim.pytest_pcsc import jcsim_pcsc_stack, jcsim_pcscd, pcsc_card
from jcsim.simulator import Simulator, watch_new_simulators
from jcsim.trace import TraceBook

__all__ = ["jcsim_pcsc_stack", "jcsim_pcscd", "pcsc_card", "simulator"]

TRACE_MODES = ("fail", "all", "none")
SECTION = "jcsim APDU trace"
_book_key = pytest.StashKey[TraceBook]()
_stop_key = pytest.StashKey[Any]()
_reported_key = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("jcsim", "jcsim simulated cards")
    group.addoption("--jcsim-trace", choices=TRACE_MODES, default=None, dest="jcsim_trace",
                    help="attach the decoded APDU trace of the cards a test used to its report: "
                         "when it fails (fail, the default), always (all) or never (none)")
    parser.addini("jcsim_trace", "default for --jcsim-trace (fail, all or none)",
                  default="fail")


def trace_mode(config: pytest.Config) -> str:
    mode = config.getoption("jcsim_trace") or config.getini("jcsim_trace")
    if mode not in TRACE_MODES:
        raise pytest.UsageError(f"jcsim_trace is one of {', '.join(TRACE_MODES)}, not {mode!r}")
    return str(mode)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "jcsim(protocol=, firewall=, atr=, apdu_buffer_size=, applets=[(cls, aid), "
        "...], ...): configure the card of the simulator fixture")
    if trace_mode(config) == "none":
        return
    book = TraceBook()
    config.stash[_book_key] = book
    config.stash[_stop_key] = watch_new_simulators(book.watch)


def pytest_unconfigure(config: pytest.Config) -> None:
    stop = config.stash.get(_stop_key, None)
    if stop is not None:
        stop()
        del config.stash[_stop_key]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    book = item.config.stash.get(_book_key, None)
    if book is not None:
        book.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    book = item.config.stash.get(_book_key, None)
    if book is None or item.stash.get(_reported_key, False):
        return report
    mode = trace_mode(item.config)
    if report.failed or (mode == "all" and report.when == "call"):
        text = book.render()
        if text:
            report.sections.append((f"{SECTION} ({report.when})", text))
            item.stash[_reported_key] = True
    return report


# --- the simulator fixture ---------------------------------------------------------------------

_CARD_OPTIONS = frozenset(inspect.signature(Simulator).parameters)


def marker_options(node: pytest.Item) -> dict[str, Any]:
    """The ``jcsim`` markers' keywords on ``node``, the closest marker winning for each."""
    options: dict[str, Any] = {}
    for marker in node.iter_markers("jcsim"):
        if marker.args:
            pytest.fail(f"{node.nodeid}: the jcsim marker takes keywords only "
                        f"(protocol=, applets=, ...), not {marker.args!r}", pytrace=False)
        for key, value in marker.kwargs.items():
            options.setdefault(key, value)
    unknown = set(options) - _CARD_OPTIONS - {"applets"}
    if unknown:
        pytest.fail(
            f"{node.nodeid}: the jcsim marker has no keyword {', '.join(sorted(unknown))}; "
            f"it takes applets and the Simulator's: {', '.join(sorted(_CARD_OPTIONS))}",
            pytrace=False)
    return options


def install_applets(sim: Simulator, applets: Any, where: str) -> None:
    """Install the marker's ``applets`` entries on ``sim``, in order."""
    for entry in applets:
        if not isinstance(entry, tuple | list) or len(entry) not in (2, 3) or (
                len(entry) == 3 and not isinstance(entry[2], Mapping)):
            pytest.fail(f"{where}: each entry of the jcsim marker's applets is "
                        f"(class, aid) or (class, aid, options), not {entry!r}", pytrace=False)
        applet_class, aid, *rest = entry
        sim.install(applet_class, aid, **(dict(rest[0]) if rest else {}))


@pytest.fixture
def simulator(request: pytest.FixtureRequest) -> Simulator:
    """A fresh simulated card with power: T=1 unless a ``jcsim`` marker or an indirect
    parameter ("T=0" or "T=1") says otherwise; the marker's applets installed."""
    options = marker_options(request.node)
    applets = options.pop("applets", ())
    if hasattr(request, "param"):
        options["protocol"] = request.param
    sim = Simulator(**options)
    book = request.config.stash.get(_book_key, None)
    if book is not None:
        book.relabel(sim, f"simulator fixture ({sim.protocol})")
    install_applets(sim, applets, request.node.nodeid)
    return sim
