"""pytest-xdist: the cards of two workers are two cards."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("xdist")

COUNTING_TESTS = '''
import json
import os

import pytest
from jcsim import Simulator
from jcsim.framework import Applet, Util

AID = "F0 00 00 00 55 01"


class Counter(Applet):
    """Each command adds one to a persistent count and answers it."""

    def __init__(self):
        self.count = 0

    def process(self, apdu):
        if self.selectingApplet():
            return
        self.count = self.count + 1
        Util.setShort(apdu.getBuffer(), 0, self.count)
        apdu.setOutgoingAndSend(0, 2)


@pytest.fixture(scope="session")
def card():
    sim = Simulator()
    sim.install(Counter, AID)
    sim.select(AID)
    return sim


@pytest.mark.parametrize("n", range(12))
def test_count(card, n, worker_id):
    count = int.from_bytes(card.transmit("80 01 00 00 02").data, "big")
    with open(os.path.join(os.environ["COUNTS_DIR"], "counts.jsonl"), "a") as out:
        out.write(json.dumps([worker_id, os.getpid(), n, count]) + "\\n")
'''


def test_two_workers_each_count_on_their_own_card(pytester: pytest.Pytester,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTS_DIR", str(pytester.path))
    pytester.makepyfile(test_counting=COUNTING_TESTS)
    # --dist each: every test runs in both workers, so a card shared between them would count
    # to 24.
    result = pytester.runpytest_subprocess("-n", "2", "--dist", "each", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=24)
    rows = [json.loads(line) for line in
            (pytester.path / "counts.jsonl").read_text().splitlines()]
    by_worker: dict[str, list[int]] = {}
    pids: dict[str, set[int]] = {}
    for worker, pid, _n, count in rows:
        by_worker.setdefault(worker, []).append(count)
        pids.setdefault(worker, set()).add(pid)
    assert sorted(by_worker) == ["gw0", "gw1"]
    assert all(len(p) == 1 for p in pids.values()) and pids["gw0"] != pids["gw1"]
    for counts in by_worker.values():
        assert counts == list(range(1, 13))


def test_a_worker_s_failure_report_carries_the_trace_of_its_card(pytester: pytest.Pytester
                                                                 ) -> None:
    pytester.makepyfile(test_failing='''
def test_refused(simulator):
    assert simulator.transmit("00 70 80 05").sw == 0x9000
''')
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*- jcsim APDU trace (call) -*",
        "simulator fixture (T=1):",
        "  C: 00 70 80 05   MANAGE CHANNEL",
        "  R: 62 00   *",
    ])
