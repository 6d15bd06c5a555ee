"""Finding applet classes named ``module:Class`` on the command line."""

from __future__ import annotations

import importlib
import os
import sys

from jcsim.errors import JCSimError

__all__ = ["load_class"]


def load_class(target: str) -> type:
    """Import ``module`` and return its attribute ``Class``; the working directory is searched
    too, as ``python -m`` would."""
    module_name, sep, class_name = target.partition(":")
    if not sep or not module_name or not class_name:
        raise JCSimError(f"expected module:Class, not {target!r}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise JCSimError(f"cannot import {module_name!r}: {exc}") from exc
    try:
        cls = getattr(module, class_name)
    except AttributeError as exc:
        raise JCSimError(f"module {module_name!r} has no {class_name!r}") from exc
    if not isinstance(cls, type):
        raise JCSimError(f"{target} is not a class")
    return cls
