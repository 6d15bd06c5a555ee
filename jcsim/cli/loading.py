"""Finding applet classes named ``module:Class`` on the command line."""

from __future__ import annotations

import importlib
import os
import sys

from jcsim.errors import JCSimError

__all__ = ["load_attribute", "load_class"]


def load_attribute(target: str, what: str = "Class") -> object:
    """Import ``module`` and return its attribute named after the colon; the working
    directory is searched too, as ``python -m`` would."""
    module_name, sep, name = target.partition(":")
    if not sep or not module_name or not name:
        raise JCSimError(f"expected module:{what}, not {target!r}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise JCSimError(f"cannot import {module_name!r}: {exc}") from exc
    try:
        return getattr(module, name)
    except AttributeError as exc:
        noun = "" if what == "Class" else f"{what} "
        raise JCSimError(f"module {module_name!r} has no {noun}{name!r}") from exc


def load_class(target: str) -> type:
    """``module:Class``, which must be a class."""
    cls = load_attribute(target)
    if not isinstance(cls, type):
        raise JCSimError(f"{target} is not a class")
    return cls
