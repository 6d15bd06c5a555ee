"""The HOTP sample: RFC 4226's test values, per-card statics, deletion, images, and a tear
sweep over every persistent write of a PUT, a CALCULATE and a DELETE."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.samples.hotp import BrokenHotpApplet, HotpApplet
from jcsim.samples.hotp.applet import MAX_CREDENTIALS
from jcsim.samples.hotp.host import AID, LIST, SELECT, calculate, delete, listing, otp, put
from jcsim.testing import TearSweepError, tear_sweep

# The vectors ship with the sample (its demo prints them).
RFC = json.loads(resources.files("jcsim.samples.hotp").joinpath("rfc4226.json").read_text())
SECRET = bytes.fromhex(RFC["secret"])


def card(applet: type = HotpApplet) -> Simulator:
    sim = Simulator()
    sim.install(applet, AID)
    assert sim.transmit(SELECT).sw == 0x9000
    return sim


def entries(sim: Simulator) -> list[tuple[bytes, int]]:
    response = sim.transmit(LIST)
    assert response.sw == 0x9000
    count, found = listing(response)
    assert count == len(found), f"the static count {count} but {len(found)} credentials"
    return found


def test_the_rfc_4226_test_values() -> None:
    sim = card()
    assert sim.transmit(put(b"rfc", SECRET, RFC["digits"])).sw == 0x9000
    for case in RFC["cases"]:
        response = sim.transmit(calculate(b"rfc"))
        assert response.sw == 0x9000
        assert response.data[1:5] == bytes.fromhex(case["truncated"])
        assert otp(response) == case["hotp"], f"count {case['count']}"
    assert entries(sim) == [(b"rfc", 10)]


@pytest.mark.parametrize("case", RFC["cases"], ids=lambda case: str(case["count"]))
def test_a_credential_put_with_a_counter_starts_there(case: dict[str, Any]) -> None:
    sim = card()
    assert sim.transmit(put(b"c", SECRET, 6, case["count"])).sw == 0x9000
    assert otp(sim.transmit(calculate(b"c"))) == case["hotp"]


def test_two_cards_in_one_process_keep_their_own_credentials() -> None:
    first, second = card(), card()
    first.transmit(put(b"a", SECRET))
    second.transmit(put(b"b", SECRET, 6, 5))
    first.transmit(calculate(b"a"))
    assert entries(first) == [(b"a", 1)]
    assert entries(second) == [(b"b", 5)]
    assert second.transmit(calculate(b"a")).sw == 0x6A82
    assert otp(second.transmit(calculate(b"b"))) == RFC["cases"][5]["hotp"]


def test_refusals() -> None:
    sim = card()
    assert sim.transmit(put(b"x", SECRET, 5)).sw == 0x6A80  # 5 digits
    assert sim.transmit(put(b"", SECRET)).sw == 0x6A80
    assert sim.transmit(put(b"x", b"")).sw == 0x6A80
    short_counter = put(b"x", SECRET)[5:] + b"\x00"  # a 1-byte counter
    assert sim.transmit(bytes([0x80, 0x01, 0, 0, len(short_counter)]) + short_counter).sw == \
        0x6A80
    assert sim.transmit(put(b"x", SECRET)).sw == 0x9000
    assert sim.transmit(put(b"x", SECRET)).sw == 0x6A89
    for index in range(1, MAX_CREDENTIALS):
        assert sim.transmit(put(bytes([index]), SECRET)).sw == 0x9000
    assert sim.transmit(put(b"more", SECRET)).sw == 0x6A84
    assert sim.transmit(calculate(b"none")).sw == 0x6A82
    assert sim.transmit(delete(b"none")).sw == 0x6A82
    assert sim.transmit("80 09 00 00").sw == 0x6D00


def test_delete_unlinks_the_credential_and_object_deletion_reclaims_it() -> None:
    sim = card()
    for name in (b"a", b"b", b"c"):
        sim.transmit(put(name, SECRET))
    used = sim.memory().persistent.used
    assert sim.transmit(delete(b"b")).sw == 0x9000
    assert entries(sim) == [(b"c", 0), (b"a", 0)]
    assert sim.memory().persistent.used < used
    assert otp(sim.transmit(calculate(b"a"))) == RFC["cases"][0]["hotp"]
    assert otp(sim.transmit(calculate(b"c"))) == RFC["cases"][0]["hotp"]


def test_an_image_keeps_the_credentials_in_statics(tmp_path: Path) -> None:
    sim = card()
    sim.transmit(put(b"rfc", SECRET))
    for _ in range(3):
        sim.transmit(calculate(b"rfc"))
    sim.save(tmp_path / "hotp.jcimg")
    loaded = Simulator.load(tmp_path / "hotp.jcimg")
    assert loaded.transmit(SELECT).sw == 0x9000
    assert entries(loaded) == [(b"rfc", 3)]
    assert otp(loaded.transmit(calculate(b"rfc"))) == RFC["cases"][3]["hotp"]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["put", "calculate", "delete"]),
                          st.sampled_from([b"a", b"b", b"c"])), max_size=15))
def test_the_applet_follows_a_model(steps: list[tuple[str, bytes]]) -> None:
    sim = card()
    model: dict[bytes, int] = {}
    order: list[bytes] = []
    for kind, name in steps:
        if kind == "put":
            response = sim.transmit(put(name, SECRET))
            assert response.sw == (0x6A89 if name in model else 0x9000)
            if name not in model:
                model[name] = 0
                order.insert(0, name)
        elif kind == "calculate":
            response = sim.transmit(calculate(name))
            if name in model:
                assert otp(response) == RFC["cases"][model[name]]["hotp"]
                model[name] += 1
            else:
                assert response.sw == 0x6A82
        else:
            assert sim.transmit(delete(name)).sw == (0x9000 if name in model else 0x6A82)
            if name in model:
                del model[name]
                order.remove(name)
    assert entries(sim) == [(name, model[name]) for name in order]


def consistent(sim: Simulator, point: Any) -> None:
        assert sim.transmit(SELECT).sw == 0x9000
        found = dict(entries(sim))  # the static count matches the static list
        assert set(found) in ({b"keep"}, {b"keep", b"new"}), found
        for name, counter in found.items():
            # Key and counter intact: the next value is RFC 4226's for that counter.
            assert counter <= 1
            assert otp(sim.transmit(calculate(name))) == RFC["cases"][counter]["hotp"]


SWEEP = [SELECT, put(b"new", SECRET), calculate(b"keep"), delete(b"new")]


def test_a_tear_at_any_write_of_put_calculate_or_delete_leaves_a_consistent_card() -> None:
    prepared = card()
    prepared.transmit(put(b"keep", SECRET))
    report = tear_sweep(prepared, SWEEP, consistent)
    assert len(report.points) > 10


def test_the_sweep_catches_a_put_whose_static_writes_are_not_in_one_transaction() -> None:
    prepared = card(BrokenHotpApplet)
    prepared.transmit(put(b"keep", SECRET))
    with pytest.raises(TearSweepError, match="static count 1 but 2 credentials"):
        tear_sweep(prepared, SWEEP, consistent)


def test_the_statics_demo_runs_to_the_end() -> None:
    from rich.console import Console

    from jcsim.cli.demo import run_demo

    console = Console(record=True, width=100)
    assert run_demo("statics", console, pause=False) == 0
    text = console.export_text()
    assert "755224" in text and "969429" in text
