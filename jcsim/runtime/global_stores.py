"""Finding the static fields a package cannot keep per card: module variables its code rebinds.

A class attribute of an on-card class is a per-card static (``jcsim.framework.java_class``). A
module-level variable is one Python object for the whole process: a ``global x; x = ...`` (or
``module.x = ...``) in card code is shared by every simulated card, and neither journaled nor
rolled back by an abort or a tear. The same holds for an attribute assigned on a plain class
(not derived from ``Object``), whose metaclass cannot be changed after the fact. When a package
is loaded, ``check_package`` reads the bytecode of every function, method and nested function
of its modules and warns (``StaticFieldWarning``) once per variable per process, naming it and
the fix: a class attribute of an ``Object`` subclass.
"""

from __future__ import annotations

import dis
import types
import warnings
from collections.abc import Iterator
from typing import Any

from jcsim.errors import StaticFieldWarning
from jcsim.framework.java_class import JavaClass

__all__ = ["check_package", "global_stores"]

_warned: set[tuple[str, str]] = set()
# Module name -> (the module object scanned, what it stores): every card loads the same
# packages, and a module's code does not change while it stays imported.
_scanned: dict[str, tuple[types.ModuleType, list[str]]] = {}


def _codes_of(value: Any, module_name: str, seen: set[int]) -> Iterator[types.CodeType]:
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, (staticmethod, classmethod)):
        yield from _codes_of(value.__func__, module_name, seen)
    elif isinstance(value, property):
        for accessor in (value.fget, value.fset, value.fdel):
            if accessor is not None:
                yield from _codes_of(accessor, module_name, seen)
    elif isinstance(value, types.FunctionType):
        if value.__module__ == module_name:
            yield from _nested(value.__code__)
    elif isinstance(value, type) and value.__module__ == module_name:
        for member in vars(value).values():
            yield from _codes_of(member, module_name, seen)


def _nested(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _nested(constant)


def global_stores(module: types.ModuleType, package_modules: set[str]) -> list[str]:
    """The module-level names that ``module``'s functions rebind, as ``module.name``: global
    stores, and attribute stores on a module of the package or on a plain class of it."""
    found: dict[str, None] = {}
    seen: set[int] = set()
    namespace = vars(module)
    for value in list(namespace.values()):
        for code in _codes_of(value, module.__name__, seen):
            previous = None
            for instruction in dis.get_instructions(code):
                if instruction.opname in ("STORE_GLOBAL", "DELETE_GLOBAL"):
                    found[f"{module.__name__}.{instruction.argval}"] = None
                elif instruction.opname == "STORE_ATTR" and previous is not None and \
                        previous.opname == "LOAD_GLOBAL":
                    target = namespace.get(previous.argval)
                    if isinstance(target, types.ModuleType) and \
                            target.__name__ in package_modules:
                        found[f"{target.__name__}.{instruction.argval}"] = None
                    elif isinstance(target, type) and not isinstance(target, JavaClass) and \
                            target.__module__ in package_modules:
                        found[f"{target.__module__}.{target.__qualname__}."
                              f"{instruction.argval}"] = None
                previous = instruction
    return list(found)


def check_package(package: Any) -> list[str]:
    """Warn about each module variable ``package``'s code rebinds; returns their names."""
    modules = package.modules()
    names = {module.__name__ for module in modules}
    stores = []
    for module in modules:
        cached = _scanned.get(module.__name__)
        if cached is None or cached[0] is not module:
            cached = _scanned[module.__name__] = (module, global_stores(module, names))
        stores.extend(cached[1])
    for name in stores:
        if (package.name, name) in _warned:
            continue
        _warned.add((package.name, name))
        warnings.warn(
            f"card code of package {package.name} assigns {name}, which is one Python "
            "object for the whole process: it is shared by every simulated card and neither "
            "journaled nor rolled back by an abort or a tear. Make it a class attribute of an "
            "Object (or Applet) subclass and assign it as Class.name = value: such a static "
            "field is kept per card.", StaticFieldWarning, stacklevel=3)
    return stores
