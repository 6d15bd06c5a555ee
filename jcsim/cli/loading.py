"""Finding applet classes named on the command line: ``module:Class`` is a Python class, a
dotted name without a colon (``com.example.wallet.Wallet``) a Java class of ``--classpath``."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

from jcsim.errors import JCSimError

__all__ = ["is_java_name", "load_attribute", "load_class", "open_classpath"]


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


def is_java_name(target: str) -> bool:
    """True for a Java class name (``pkg.Class``): no colon."""
    return ":" not in target


def open_classpath(paths: list[str] | None) -> Any:
    """The ``JavaClasspath`` of ``--classpath`` entries, or None without any."""
    if not paths:
        return None
    from jcsim.java import JavaClasspath

    return JavaClasspath(paths)


def load_class(target: str, classpath: Any = None) -> type:
    """``module:Class``, which must be a class, or a Java class name found on ``classpath``."""
    if is_java_name(target):
        if classpath is None:
            raise JCSimError(f"{target} names a Java class: give --classpath DIR_OR_JAR "
                             "(or name a Python class as module:Class)")
        try:
            return classpath[target]
        except KeyError:
            raise JCSimError(f"no Java class {target} on the class path "
                             f"({', '.join(classpath.paths)})") from None
    cls = load_attribute(target)
    if not isinstance(cls, type):
        raise JCSimError(f"{target} is not a class")
    return cls
