"""The warning at package load about module variables card code rebinds
(``jcsim.runtime.global_stores``)."""

from __future__ import annotations

import itertools
import sys
import textwrap
import types
import warnings
from collections.abc import Iterator

import pytest

from jcsim import Simulator, StaticFieldWarning
from jcsim.runtime.global_stores import global_stores

_numbers = itertools.count()

SOURCE = '''
from jcsim import JavaCardPackage
from jcsim.framework import Applet, Object

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 57 {n:02X}")

counter = 0
LIMIT = 5


class Plain:
    hits = 0


class Good(Object):
    total = 0


class Leaky(Applet):
    @staticmethod
    def install(bArray, bOffset, bLength):
        Leaky().register()

    def process(self, apdu):
        global counter
        counter += 1
        Plain.hits = Plain.hits + 1
        Good.total = Good.total + LIMIT

        def nested():
            global buffer
            buffer = None

        nested()
'''


@pytest.fixture
def module() -> Iterator[types.ModuleType]:
    """A fresh package module each time (the warning is given once per variable per process)."""
    number = next(_numbers)
    name = f"jcsim_leaky_{number}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(textwrap.dedent(SOURCE.replace("{n:02X}", f"{number:02X}")), name, "exec"),
         vars(module))
    yield module
    del sys.modules[name]


def test_the_scan_finds_global_stores_nested_ones_and_plain_class_attributes(
        module: types.ModuleType) -> None:
    name = module.__name__
    assert sorted(global_stores(module, {name})) == sorted(
        [f"{name}.counter", f"{name}.buffer", f"{name}.Plain.hits"])


def test_loading_the_package_warns_once_naming_the_variable_and_the_fix(
        module: types.ModuleType) -> None:
    with pytest.warns(StaticFieldWarning) as record:
        Simulator().install(module.Leaky, "F0 4A 43 53 57 00 01")
    messages = [str(w.message) for w in record]
    assert len(messages) == 3
    assert any(f"{module.__name__}.counter" in m for m in messages)
    assert all("class attribute of an Object" in m for m in messages)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Simulator().install(module.Leaky, "F0 4A 43 53 57 00 01")  # once per process


def test_a_package_that_keeps_statics_in_classes_loads_without_warning() -> None:
    from tests.runtime.static_fields.keeper import Keeper

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Simulator().install(Keeper, "F0 4A 43 53 53 01 01")
