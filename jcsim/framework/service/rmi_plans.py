"""The plans of the direct INVOKE (``RMIService._direct_call``): for a method whose parameters
are bytes, shorts or ints and whose result is one of those, a boolean or void, where each
parameter lies in the INVOKE data and how the result becomes a normal response (JCRE 3.0.5
§8.3.4-8.3.5), made once per method of a remote class."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jcsim.rmi import wire
from jcsim.rmi.remote import remote_class_info
from jcsim.rmi.types import JavaType, jvoid

__all__ = ["direct_plan"]

# A direct call: the method's attribute, (type, offset, width) of each parameter in the INVOKE
# data, the data's length, the result's encoder. By method id, by class (None: not direct).
_Plan = tuple[str, list[tuple[JavaType, int, int]], int, Callable[[Any], bytes | None]]
# A plain dict, as RMIService's functools.cache of its steps: remote classes live as long as their
# modules (a weak dictionary's lookup would cost a Python call on every INVOKE).
_PLANS: dict[type, dict[int, _Plan | None]] = {}


def direct_plan(cls: type, method_id: int) -> _Plan | None:
    """How to call method ``method_id`` of ``cls`` directly: its attribute name, where its
    parameters lie in the INVOKE data, and the encoder of its result; None when the method is
    unknown or passes anything but ``byte``, ``short``, ``int`` (parameters) or those,
    ``boolean`` and ``void`` (result)."""
    plans = _PLANS.get(cls)
    if plans is None:
        plans = _PLANS[cls] = {}
    try:
        return plans[method_id]
    except KeyError:
        pass
    plan: _Plan | None = None
    method = remote_class_info(cls).by_id.get(method_id)
    encode = None if method is None or method.returns_remote else _result_encoder(method.returns)
    if (method is not None and encode is not None
            and all(p.element is None and p.code in ("B", "S", "I") for p in method.params)):
        layout, offset = [], 4
        for jtype in method.params:
            layout.append((jtype, offset, jtype.width))
            offset += jtype.width
        plan = (method.python_name, layout, offset, encode)
    plans[method_id] = plan
    return plan


_NORMAL_VOID = bytes((wire.NORMAL_TAG,))
_NORMAL_TRUE = bytes((wire.NORMAL_TAG, 1))
_NORMAL_FALSE = bytes((wire.NORMAL_TAG, 0))


def _result_encoder(returns: JavaType) -> Callable[[Any], bytes | None] | None:
    """The normal response for a returned value as ``_marshal`` makes it, or None for a value
    ``_marshal`` refuses (it then says why); None for a type the direct INVOKE leaves alone."""
    if returns is jvoid:
        return lambda _result: _NORMAL_VOID
    if returns.element is not None:
        return None
    if returns.code == "Z":
        return lambda result: ((_NORMAL_TRUE if result else _NORMAL_FALSE)
                               if isinstance(result, bool) else None)
    if returns.code not in ("B", "S", "I"):
        return None
    width = returns.width
    mask = (1 << (8 * width)) - 1
    tag = _NORMAL_VOID

    def encode(result: Any) -> bytes | None:
        if type(result) is not int:
            return None
        return tag + (result & mask).to_bytes(width, "big")

    return encode
