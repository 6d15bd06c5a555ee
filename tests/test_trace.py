"""``jcsim.trace``: the plain-text decoding the CLI colours and the plugin reports, and the
bounded logs of a ``TraceBook``."""

from __future__ import annotations

import re

from jcsim import Simulator
from jcsim.runtime.events import Exchange
from jcsim.trace import TraceBook, command_line, format_exchange, response_line


def test_lines_decode_commands_and_responses_as_the_cli_shows_them() -> None:
    assert str(command_line(bytes.fromhex("00A4040006F0000000010100"))) == \
        "C: 00 A4 04 00 06 F0 00 00 00 01 01 00   SELECT Lc=6 Le=256"
    assert str(command_line(bytes.fromhex("01B0000000"), 1, "contactless")) == \
        "C: 01 B0 00 00 00   READ BINARY Le=256  [channel 1, contactless]"
    assert str(response_line(bytes.fromhex("0102 6A82"))) == \
        "R: 01 02 6A 82   file or application not found"
    assert response_line(bytes.fromhex("6A82")).ok is False
    assert response_line(bytes.fromhex("6310")).ok is True
    assert str(response_line(b"")) == "R: (no response: the card lost power)"
    exchange = Exchange("contact", bytes.fromhex("00700000 01"), bytes.fromhex("01 9000"), 0)
    assert format_exchange(exchange).splitlines()[1] == "R: 01 90 00   no error"


def test_a_book_reports_only_the_cards_used_since_it_was_cleared_in_order_of_use() -> None:
    book = TraceBook()
    first, second = Simulator(), Simulator("T=0")
    book.watch(first)
    book.watch(second, "the second card")
    first.transmit("00 70 00 00 01")
    book.clear()
    assert book.render() == ""
    second.transmit("00 70 00 00 01")
    first.transmit("00 70 80 01")
    text = book.render()
    first_label = re.search(r"card 1 \(T=1, from tests/test_trace\.py:\d+\):", text)
    assert first_label and text.index("the second card:") < first_label.start()
    assert "00 70 00 00 01" in text.split("card 1")[0] and "00 70 80 01" in text
    book.forget(first)
    first.transmit("00 70 00 00 01")
    assert [log.label for log in book.used()] == ["the second card"]
    # (The plugin's own book, watching every card of this run, keeps its log.)
    assert [o for o in first.card.observers if getattr(o, "book", None) is book] == []


def test_a_log_keeps_the_last_exchanges_and_counts_the_ones_it_dropped() -> None:
    book = TraceBook(exchanges_kept=3, max_cards=2)
    sims = [Simulator() for _ in range(3)]
    for sim in sims:
        book.watch(sim)
    for n in range(5):
        sims[0].transmit(f"80 {n:02X} 00 00")
    sims[1].transmit("80 10 00 00")
    sims[2].transmit("80 20 00 00")
    text = book.render()
    assert text.startswith("(1 earlier cards not shown)")
    assert "card 1" not in text
    assert "card 2 (T=1, from tests/test_trace.py:" in text and "card 3 (T=1, " in text
    (log, *_) = book.used()
    assert [e.command[1] for e in log.entries] == [2, 3, 4] and log.dropped == 2
    assert "(2 earlier entries not shown)" in log.render()


def test_power_changes_asked_through_the_simulator_show_between_the_commands() -> None:
    book = TraceBook()
    sim = Simulator()
    book.watch(sim, "the card")
    sim.transmit("00 70 00 00 01")
    sim.power_off()
    atr = sim.power_on()
    sim.reset()
    sim.transmit("00 70 00 00 01")
    spaced = atr.hex(" ").upper()
    assert book.render().splitlines() == [
        "the card:",
        "  C: 00 70 00 00 01   MANAGE CHANNEL Le=1",
        "  R: 01 90 00   no error",
        "  -- power off",
        f"  -- power on, ATR {spaced}",
        f"  -- warm reset, ATR {spaced}",
        "  C: 00 70 00 00 01   MANAGE CHANNEL Le=1",
        "  R: 01 90 00   no error",
    ]
