"""The pytest plugin, run on small test files with pytest's own ``pytester``: the APDU trace
in failure reports, the ``jcsim`` marker, and the ``pcsc_card`` fixture's skip."""

from __future__ import annotations

import re

import pytest

ECHO_TESTS = '''
import pytest
from jcsim import Simulator
from jcsim.samples.echo.echo import Echo

AID = "F0 00 00 00 01 01"


@pytest.mark.jcsim(applets=[(Echo, AID)])
def test_a_greeting(simulator):
    simulator.select(AID)
    assert simulator.transmit("80 02 00 00 00").sw == 0x9000


@pytest.mark.jcsim(applets=[(Echo, AID)])
def test_an_unknown_instruction(simulator):
    simulator.select(AID)
    other = Simulator("T=0")
    other.transmit("00 70 00 00 01")
    assert simulator.transmit("80 7E 00 00 00").sw == 0x9000, "the card refused"
'''


@pytest.fixture
def echo_tests(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_echo_card=ECHO_TESTS)
    return pytester


def test_a_failing_test_reports_the_decoded_trace_of_every_card_it_used(echo_tests):
    result = echo_tests.runpytest_inprocess()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*- jcsim APDU trace (call) -*",
        "simulator fixture (T=1):",
        "  C: 00 A4 04 00 06 F0 00 00 00 01 01 00   SELECT Lc=6 Le=256",
        "  R: 90 00   no error",
        "  C: 80 7E 00 00 00   *",
        "  R: 6D 00   instruction code not supported or invalid",
        "",
        "card * (T=0, from test_echo_card.py:*):",
        "  C: 00 70 00 00 01   MANAGE CHANNEL*",
        "  R: 01 90 00   no error",
        "*short test summary*",
    ])
    # Only the failing test's cards: the passing test's greeting is in no report.
    assert "80 02 00 00 00" not in result.stdout.str()


def test_trace_all_attaches_the_trace_to_passing_tests_and_none_to_no_test(echo_tests):
    everything = echo_tests.runpytest_inprocess("--jcsim-trace=all", "-rP")
    everything.assert_outcomes(passed=1, failed=1)
    assert everything.stdout.str().count("jcsim APDU trace (call)") == 2
    everything.stdout.fnmatch_lines(["*C: 80 02 00 00 00   *", "*R: 48 65 6C 6C 6F*90 00*"])

    nothing = echo_tests.runpytest_inprocess("--jcsim-trace=none")
    nothing.assert_outcomes(passed=1, failed=1)
    assert "jcsim APDU trace" not in nothing.stdout.str()
    nothing.stdout.fnmatch_lines(["*AssertionError: the card refused*"])


def test_the_trace_mode_can_be_set_in_the_ini_file_and_bad_modes_are_refused(echo_tests):
    echo_tests.makeini("[pytest]\njcsim_trace = none\n")
    quiet = echo_tests.runpytest_inprocess()
    quiet.assert_outcomes(passed=1, failed=1)
    assert "jcsim APDU trace" not in quiet.stdout.str()

    echo_tests.makeini("[pytest]\njcsim_trace = sometimes\n")
    refused = echo_tests.runpytest_inprocess()
    assert refused.ret == pytest.ExitCode.USAGE_ERROR
    refused.stderr.fnmatch_lines(["*jcsim_trace is one of fail, all, none, not 'sometimes'*"])


def test_the_jcsim_marker_configures_the_simulator_fixture(pytester: pytest.Pytester):
    pytester.makepyfile('''
import pytest
from jcsim.framework import Applet

class Quiet(Applet):
    def process(self, apdu):
        pass

pytestmark = pytest.mark.jcsim(protocol="T=0", apdu_buffer_size=1024)


@pytest.mark.jcsim(firewall=False, atr="3B 80 80 01 01",
                   applets=[(Quiet, "F0 00 00 00 42 01", {"default": True}),
                            (Quiet, "F0 00 00 00 42 02")])
def test_configured(simulator):
    assert simulator.protocol == "T=0"
    assert simulator.card.apdu_buffer_size == 1024
    assert simulator.card.firewall is False
    assert simulator.atr == bytes.fromhex("3B 80 80 01 01")
    assert [a.aid.value.hex() for a in simulator.applets()][-2:] == [
        "f00000004201", "f00000004202"]
    assert simulator.applets()[-2].default_on == ("contact", "contactless")
    simulator.reset()  # a default applet is selected at each reset
    assert simulator.selected().value.hex() == "f00000004201"


@pytest.mark.jcsim(protocol="T=1")
def test_the_closest_marker_wins(simulator):
    assert simulator.protocol == "T=1"
    assert simulator.card.apdu_buffer_size == 1024


@pytest.mark.parametrize("simulator", ["T=1"], indirect=True)
def test_an_indirect_parameter_picks_the_protocol(simulator):
    assert simulator.protocol == "T=1"


@pytest.mark.jcsim(procotol="T=1")
def test_a_misspelt_keyword(simulator):
    pass


@pytest.mark.jcsim(applets=[Quiet])
def test_a_bad_applet_entry(simulator):
    pass
''')
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=3, errors=2)
    result.stdout.fnmatch_lines([
        "*test_a_misspelt_keyword: the jcsim marker has no keyword procotol; it takes applets "
        "and the Simulator's: *apdu_buffer_size*protocol*",
        "*test_a_bad_applet_entry: each entry of the jcsim marker's applets is (class, aid) or "
        "(class, aid, options), not <class *Quiet'>",
    ])


def test_pcsc_card_skips_saying_what_is_missing(pytester: pytest.Pytester):
    pytester.makeconftest('''
from pathlib import Path
import jcsim.pcscd

jcsim.pcscd.VPCD_DRIVER = Path("/nowhere/libifdvpcd.so")
''')
    pytester.makepyfile('''
def test_through_pcsc(pcsc_card):
    raise AssertionError("never runs")
''')
    result = pytester.runpytest_inprocess("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines([
        "SKIPPED * serving a card through PC/SC needs pcscd, vpcd and pyscard, and this machine "
        "lacks: /nowhere/libifdvpcd.so (Debian package vsmartcard-vpcd)"])


PLANTED_BUG = '''
from hypothesis import given, settings
from jcsim import Simulator
from jcsim import strategies as jst
from jcsim.framework import ISO7816, Applet, ByteArray, Util

AID = "F0 00 00 00 77 01"


class Store(Applet):
    """INS 10 keeps the command data: into a 64-byte array, without checking Lc (the bug)."""

    def __init__(self):
        self.kept = ByteArray(64)

    def process(self, apdu):
        if self.selectingApplet():
            return
        length = apdu.setIncomingAndReceive()
        Util.arrayCopy(apdu.getBuffer(), ISO7816.OFFSET_CDATA, self.kept, 0, length)


@settings(database=None, derandomize=True, max_examples=200)
@given(jst.command_apdus(["3S", "4S"], cla=0x80, ins=0x10))
def test_storing_never_fails(command):
    sim = Simulator()
    sim.install(Store, AID)
    sim.select(AID)
    assert sim.transmit(command).sw == 0x9000
'''


def test_the_strategies_find_a_planted_bug_and_print_a_runnable_example(
        pytester: pytest.Pytester):
    pytester.makepyfile(test_store=PLANTED_BUG)
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    # Hypothesis shrinks to the smallest data that overflows the 64-byte array.
    found = re.search(r"command=CommandAPDU\(cla=0x80, ins=0x10, p1=0x00, p2=0x00, "
                      r"data=bytes.fromhex\('([0-9a-f]*)'\), ne=(None|1), extended=False\)",
                      output)
    assert found, output
    assert len(bytes.fromhex(found.group(1))) == 65
    # The failing example's card is in the trace: the answer was the uncaught exception's.
    result.stdout.fnmatch_lines(["*R: 6F 00   *"])


TEAR_UNSAFE = '''
from jcsim import Simulator
from jcsim.framework import ISO7816, Applet, Util
from jcsim.testing import assert_tear_safe

AID = "F0 00 00 00 12 01"
SELECT = "00 A4 04 00 06 F0 00 00 00 12 01 00"


class Transfer(Applet):
    """INS 10 moves P2 units from ``left`` to ``right`` with no transaction (the bug)."""

    def __init__(self):
        self.left = 100
        self.right = 0

    def process(self, apdu):
        if self.selectingApplet():
            return
        buffer = apdu.getBuffer()
        if buffer[ISO7816.OFFSET_INS] == 0x10:
            self.left = self.left - buffer[ISO7816.OFFSET_P2]
            self.right = self.right + buffer[ISO7816.OFFSET_P2]
        else:
            Util.setShort(buffer, 0, self.left)
            Util.setShort(buffer, 2, self.right)
            apdu.setOutgoingAndSend(0, 4)


def conserved(sim):
    sim.select(AID)
    data = sim.transmit("80 20 00 00 04").data
    left, right = int.from_bytes(data[:2], "big"), int.from_bytes(data[2:], "big")
    assert left + right == 100, f"left {left} + right {right} != 100"


def test_a_transfer_survives_tears():
    sim = Simulator()
    sim.install(Transfer, AID)
    assert_tear_safe(sim, [SELECT, "80 10 00 05"], conserved)
'''


def test_the_tear_helper_names_the_command_and_the_write_it_tore_after(
        pytester: pytest.Pytester):
    pytester.makepyfile(test_transfer=TEAR_UNSAFE)
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "E *jcsim.testing.TearSweepError: the invariant conserved() failed after a tear",
        "E *  command 2 of 2: 80 10 00 05   INS 10",
        "E *  power cut just after persistent write 1 of 2, to Transfer.left",
        "E *  left 95 + right 0 != 100",
    ])
