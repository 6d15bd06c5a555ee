"""The firewall's fast paths answer what its general check answers.

Array element methods (``jcsim.framework.arrays``) and ``Util``'s array reads and writes pass an
access at once when the array has no owner, no card code runs on the thread or the owner's own
context runs, and call ``firewall.check_array`` otherwise. For every running context, array
owner, array type and access, the access raises ``SecurityException`` exactly when
``check_array`` does, which is exactly when the JCRE 3.0.5 section 6.1 rules say so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import product
from typing import Any

import pytest

from jcsim import Simulator
from jcsim.framework import (
    BooleanArray,
    ByteArray,
    IntArray,
    ObjectArray,
    SecurityException,
    ShortArray,
    Util,
    _jcre,
    firewall,
)
from tests.runtime.firewall_packages import alpha, beta

A = "F0 4A 43 53 41 01 01"
A2 = "F0 4A 43 53 41 02 01"
B = "F0 4A 43 53 42 01 01"

# name -> (maker, a value the array takes)
ARRAYS: dict[str, tuple[Callable[[], Any], Any]] = {
    "byte": (lambda: ByteArray(4), 7),
    "short": (lambda: ShortArray(4), 300),
    "int": (lambda: IntArray(4), 70000),
    "boolean": (lambda: BooleanArray(4), True),
    "object": (lambda: ObjectArray(4), None),
}


def _read(array: Any, value: Any) -> Any:
    return array[1]


def _write(array: Any, value: Any) -> Any:
    array[2] = value


def _length(array: Any, value: Any) -> Any:
    return array.length


def _len(array: Any, value: Any) -> Any:
    return len(array)


def _slice(array: Any, value: Any) -> Any:
    return array[0:2]


def _get_short(array: Any, value: Any) -> Any:
    return Util.getShort(array, 1)


def _set_short(array: Any, value: Any) -> Any:
    return Util.setShort(array, 1, 0x1234)


def _array_copy(array: Any, value: Any) -> Any:
    return Util.arrayCopy(b"\x05\x06", 0, array, 2, 2)


ACCESSES = {"read": _read, "write": _write, "length": _length, "len": _len, "slice": _slice,
            "Util.getShort": _get_short, "Util.setShort": _set_short,
            "Util.arrayCopy": _array_copy}


@pytest.fixture(scope="module")
def card() -> Iterator[tuple[Any, dict[str, Any]]]:
    sim = Simulator(firewall=True)
    sim.install(alpha.Alpha, A)
    sim.install(alpha.AlphaTwin, A2)
    sim.install(beta.Beta, B)

    def owner_of(aid: str) -> Any:
        return object.__getattribute__(sim.applet_instance(aid), "__dict__")["_jc_owner"]

    contexts = {"none": None, "alpha": owner_of(A), "alpha twin": owner_of(A2),
                "beta": owner_of(B)}
    yield sim.card, contexts


def _outcome(action: Callable[..., Any], *args: Any) -> bool:
    """True when ``action(*args)`` passes the firewall, False when it raises SecurityException."""
    try:
        action(*args)
    except SecurityException:
        return False
    return True


CONTEXTS = ["none", "alpha", "alpha twin", "beta"]


def test_array_accesses_agree_with_the_general_check(card: tuple[Any, dict[str, Any]]) -> None:
    # Every combination (a few thousand, each a few microseconds): exhaustive, not sampled.
    jcre, contexts = card
    checked = 0
    for context, owner, kind, access, bound, enforced in product(
            CONTEXTS, CONTEXTS, sorted(ARRAYS), sorted(ACCESSES), (False, True), (False, True)):
        if access.startswith("Util.") and kind != "byte":
            continue  # Util's methods take byte arrays
        make, value = ARRAYS[kind]
        array = make()
        array._owner = contexts[owner]
        previous = _jcre.bind(jcre if bound else None)
        saved = jcre.context, jcre.firewall
        jcre.context, jcre.firewall = contexts[context], enforced
        try:
            fast = _outcome(ACCESSES[access], array, value)
            general = _outcome(firewall.check_array, array)
        finally:
            jcre.context, jcre.firewall = saved
            _jcre.unbind(previous)
        running, owning = contexts[context], contexts[owner]
        expected = (owning is None or not bound or running is None or not enforced
                    or running.package is owning.package)
        assert fast == general == expected, (context, owner, kind, access, bound, enforced)
        checked += 1
    assert checked == 4 * 4 * 2 * 2 * (len(ARRAYS) * 5 + 3)
