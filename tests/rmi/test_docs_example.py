"""The Java Card RMI example of docs/rmi.md runs as printed (under another Java package, so it
does not replace the purse sample's declarations in the client's registry)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jcsim import Simulator
from jcsim.framework import UserException
from jcsim.rmi.remote import interface_methods
from jcsim.rmi.wire import method_id

RMI_PAGE = Path(__file__).resolve().parents[2] / "docs" / "rmi.md"


def rmi_blocks() -> list[str]:
    text = RMI_PAGE.read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.DOTALL)


def test_the_docs_rmi_example_declares_serves_and_calls_a_purse():
    card_side, host_side = rmi_blocks()[:2]
    namespace: dict = {"__name__": "readme_example"}
    exec(card_side.replace("examples/purse", "readme/purse"), namespace)
    sim = Simulator()
    aid = "F0 52 45 41 44 4D"
    sim.install(namespace["PurseApplet"], aid)
    namespace.update(sim=sim, aid=aid)
    with pytest.raises(UserException) as caught:
        exec(host_side, namespace)
    assert caught.value.getReason() == 0x0102
    assert namespace["purse"].remote_ref.descriptor.package == "readme/purse"


def test_the_docs_overload_example_gives_each_overload_its_own_id():
    overloads = rmi_blocks()[2]
    namespace: dict = {"__name__": "readme_overloads"}
    exec(overloads.replace("examples/wallet", "readme/wallet"), namespace)
    methods = interface_methods(namespace["Wallet"])
    assert {m.signature for m in methods.values()} == {"debit(S)S", "debit([B)S"}
    assert methods["debitBytes"].method_id() == method_id("debit", "([B)S")
    assert methods["debit"].method_id() != methods["debitBytes"].method_id()
