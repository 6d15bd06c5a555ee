"""Loading Java classes from directories and jars into Python classes (JVM spec SE 8 §5.3).

``JavaClasspath`` finds class files by name, reads them (``classfile``), refuses what Java Card
forbids (``checker``), loads superclasses and interfaces first, and builds the Python class of
each Java class (``classes``). Names in the Java Card API (``javacard.*``, ``javacardx.*``,
``java.lang``, ``java.io``, ``java.rmi``) always resolve to jcsim's Python implementation, also
when a class path holds class files of the API: there is one Java Card API.

Each Java package becomes a Java Card package, one firewall context: a synthetic module named
``java.<package>`` declares it (``JAVACARD_PACKAGE``), with the AID given in ``package_aids`` or
derived from the Java package name exactly as jcsim derives one for an undeclared Python module.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from jcsim.framework.card_object import Object
from jcsim.java.checker import check_class
from jcsim.java.classes import LoadedClass, JavaMethod, field_attribute, to_java
from jcsim.java.classfile import MAX_CLASS_BYTES, JavaClassError, parse_class, read_jar
from jcsim.java.interpreter import execute
from jcsim.java.linker import JavaLinkError, Linker, mangled
from jcsim.java.remote import declare_remote_methods, remote_namespace
from jcsim.package import DECLARATION_NAME, JavaCardPackage, derived_aid

__all__ = ["JavaClasspath"]

MAX_DIRECTORY_CLASSES = 10_000

# Internal package prefix -> the modules holding jcsim's classes of that Java package.
_API_PACKAGES: dict[str, tuple[str, ...]] = {
    "javacard/framework/": ("jcsim.framework",),
    "javacard/framework/service/": ("jcsim.framework.service",),
    "javacard/security/": ("jcsim.security",),
    "javacardx/crypto/": ("jcsim.crypto",),
    "javacardx/apdu/": ("jcsim.framework",),
    "javacardx/apdu/util/": ("jcsim.x.apdu.util",),
    "javacardx/framework/util/": ("jcsim.x.framework.util",),
    "javacardx/framework/util/intx/": ("jcsim.x.framework.util.intx",),
    "javacardx/framework/tlv/": ("jcsim.x.framework.tlv",),
    "javacardx/framework/string/": ("jcsim.x.framework.string",),
    "javacardx/framework/math/": ("jcsim.x.framework.math",),
    "javacardx/external/": ("jcsim.x.external",),
    "javacardx/biometry/": ("jcsim.x.biometry",),
    "java/lang/": ("jcsim.lang",),
    "java/io/": ("jcsim.lang",),
    "java/rmi/": ("jcsim.rmi",),
}
_API_SPECIAL = {"java/lang/Object": Object}


def api_class(internal_name: str) -> type | None:
    """jcsim's Python class for a class of the Java Card API, or None."""
    special = _API_SPECIAL.get(internal_name)
    if special is not None:
        return special
    package, _, simple = internal_name.rpartition("/")
    modules = _API_PACKAGES.get(package + "/")
    if modules is None or simple.startswith("_"):
        return None
    outer, *nested = simple.split("$")  # Signature$OneShot is Signature.OneShot
    for module_name in modules:
        found = getattr(importlib.import_module(module_name), outer, None)
        for name in nested:
            found = getattr(found, name, None)
        if isinstance(found, type):
            return found
    return None


def _is_api_name(internal_name: str) -> bool:
    return internal_name.startswith(("java/", "javax/", "javacard/", "javacardx/"))


class JavaClasspath(Mapping[str, type]):
    """Java classes from directories and jars: ``classpath["com.example.Wallet"]`` is the
    Python class to give ``Simulator.install``.

    ``package_aids`` maps Java package names (``"com.example"``) to their AIDs (hex or bytes);
    ``applet_aids`` maps class names to class AIDs. Raises ``JavaClassError`` for a class file
    that cannot be read or that uses what Java Card forbids.
    """

    _serial = 0

    def __init__(self, paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *,
                 package_aids: Mapping[str, Any] | None = None,
                 applet_aids: Mapping[str, Any] | None = None) -> None:
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        JavaClasspath._serial += 1
        self.serial = JavaClasspath._serial
        self.paths = [os.fspath(p) for p in paths]
        # Java package names with dots (a name in internal form, with slashes, is accepted).
        self.package_aids = {k.replace("/", "."): v for k, v in (package_aids or {}).items()}
        self.applet_aids = dict(applet_aids or {})
        self._sources: dict[str, Any] = {}
        for path in self.paths:
            self._scan(path)
        self.loaded: dict[str, LoadedClass] = {}
        self._loading: set[str] = set()
        self.java_types: set[type] = set()
        self.linker = Linker(self)
        self._modules: dict[str, str] = {}

    # --- finding class files -------------------------------------------------------------------

    def _scan(self, path: str) -> None:
        if os.path.isdir(path):
            count = 0
            for root, _dirs, files in os.walk(path):
                for file_name in files:
                    if not file_name.endswith(".class"):
                        continue
                    count += 1
                    if count > MAX_DIRECTORY_CLASSES:
                        raise JavaClassError(f"{path}: more than {MAX_DIRECTORY_CLASSES} classes")
                    full = os.path.join(root, file_name)
                    internal = os.path.relpath(full, path)[:-len(".class")].replace(os.sep, "/")
                    self._sources.setdefault(internal, full)
        elif os.path.isfile(path):
            for internal, data in read_jar(path).items():
                self._sources.setdefault(internal, data)
        else:
            raise JavaClassError(f"class path entry {path} is neither a directory nor a jar")

    def _read(self, internal_name: str) -> bytes:
        source = self._sources[internal_name]
        if isinstance(source, bytes):
            return source
        if os.path.getsize(source) > MAX_CLASS_BYTES:
            raise JavaClassError(f"{source} is larger than {MAX_CLASS_BYTES} bytes")
        with open(source, "rb") as stream:
            return stream.read(MAX_CLASS_BYTES + 1)

    # --- the Mapping interface -----------------------------------------------------------------

    def __getitem__(self, java_name: str) -> type:
        internal = java_name.replace(".", "/")
        if internal not in self._sources:
            raise KeyError(java_name)
        return self.load(internal).pyclass

    def __iter__(self) -> Iterator[str]:
        return (name.replace("/", ".") for name in sorted(self._sources))

    def __len__(self) -> int:
        return len(self._sources)

    # --- resolution ----------------------------------------------------------------------------

    def resolve(self, internal_name: str) -> Any:
        """The loaded ``LoadedClass`` for a class of the class path, or jcsim's Python class for
        a class of the Java Card API."""
        loaded = self.loaded.get(internal_name)
        if loaded is not None:
            return loaded
        if _is_api_name(internal_name):
            found = api_class(internal_name)
            if found is None:
                raise JavaLinkError(f"{internal_name.replace('/', '.')} is not part of jcsim's "
                                    "Java Card API")
            return found
        if internal_name in self._sources:
            return self.load(internal_name)
        raise JavaLinkError(f"class {internal_name.replace('/', '.')} is not on the class path")

    def python_class(self, internal_name: str) -> type:
        target = self.resolve(internal_name)
        return target.pyclass if isinstance(target, LoadedClass) else target

    def load(self, internal_name: str) -> LoadedClass:
        loaded = self.loaded.get(internal_name)
        if loaded is not None:
            return loaded
        if internal_name in self._loading:
            raise JavaClassError("a class is its own superclass or superinterface",
                                 class_name=internal_name.replace("/", "."))
        self._loading.add(internal_name)
        try:
            classfile = parse_class(self._read(internal_name), internal_name.replace("/", "."))
            if classfile.name != internal_name:
                raise JavaClassError(f"the file of {internal_name} holds {classfile.name}",
                                     class_name=internal_name.replace("/", "."))
            check_class(classfile)
            superclass = self.resolve(classfile.super_name) if classfile.super_name else Object
            interfaces = tuple(self.resolve(i) for i in classfile.interfaces)
            jclass = LoadedClass(self, classfile, superclass, interfaces)
            jclass.package_name = self._module_for(classfile.java_name.rpartition(".")[0])
            jclass.pyclass = self._build(jclass)
        finally:
            self._loading.discard(internal_name)
        self.loaded[internal_name] = jclass
        # After registration: a remote method may return this interface or one returning it.
        declare_remote_methods(jclass, jclass.pyclass)
        return jclass

    # --- packages ------------------------------------------------------------------------------

    def load_package(self, java_package: str) -> str:
        """Load every class of ``java_package`` (``"com.example.wallet"``) and return the name
        of its package module, for ``Simulator.load_package``: the card manager's INSTALL
        then finds its applet classes by class AID, as for a loaded CAP file."""
        prefix = java_package.replace(".", "/") + "/"
        names = [n for n in self._sources if n.startswith(prefix) and "/" not in n[len(prefix):]]
        if not names:
            raise JavaLinkError(f"no class of package {java_package} on the class path")
        for name in sorted(names):
            self.load(name)
        return self._modules[java_package]

    def _module_for(self, java_package: str) -> str:
        name = self._modules.get(java_package)
        if name is not None:
            return name
        aid = self.package_aids.get(java_package)
        declaration = JavaCardPackage(
            aid=aid if aid is not None else derived_aid(java_package),
            applets={k.rpartition(".")[2]: v for k, v in self.applet_aids.items()
                     if k.rpartition(".")[0] == java_package})
        name = f"java.{java_package}"
        existing = sys.modules.get(name)
        if existing is not None and getattr(existing, DECLARATION_NAME, None) != declaration:
            name = f"java_classpath{self.serial}.{java_package}"
        module = types.ModuleType(name, f"Java package {java_package}")
        setattr(module, DECLARATION_NAME, declaration)
        sys.modules[name] = module
        self._modules[java_package] = name
        return name

    # --- Python classes ------------------------------------------------------------------------

    def _build(self, jclass: LoadedClass) -> type:
        superclass = jclass.superclass
        base = superclass.pyclass if isinstance(superclass, LoadedClass) else superclass
        interface_classes = [i.pyclass if isinstance(i, LoadedClass) else i
                             for i in jclass.interfaces]
        if jclass.is_interface:
            bases = tuple(interface_classes) or (object,)
        else:
            bases = (base, *[i for i in interface_classes if not issubclass(base, i)])
        java_package, _, simple = jclass.java_name.rpartition(".")
        namespace: dict[str, Any] = {
            "__module__": self._module_for(java_package),
            "__qualname__": simple,
            "__doc__": f"The Java class {jclass.java_name}.",
            "_jv_class": jclass,
            **remote_namespace(jclass, bases),
        }
        own_methods = {m.name for m in jclass.methods.values()}
        inherited = set().union(*(set(vars(k)) for b in bases for k in b.__mro__))
        for field in jclass.fields.values():
            if field.static:
                continue
            # A field keeps its Java name as the attribute unless that name is taken: by a
            # method (Java allows a field and a method of one name), by anything the Python
            # bases define (jcsim's own attributes, or a superclass field this one hides).
            attribute = field_attribute(field.name)
            if attribute in own_methods or attribute in inherited:
                attribute = "_jf_" + field.name
            if attribute in inherited:
                attribute = f"_jf_{jclass.name.replace('/', '_').replace('$', '_')}_{field.name}"
            jclass.field_attributes[field.name] = attribute
            namespace[attribute] = None if field.descriptor[0] in "L[" else 0
        fields = set(jclass.field_attributes.values()) | {
            attribute for k in jclass.java_supers()[1:] for attribute in
            k.field_attributes.values()}
        cell: list[type] = []
        by_name: dict[str, list[JavaMethod]] = {}
        constructors = []
        for method in jclass.methods.values():
            if method.name == "<clinit>":
                continue
            if method.name == "<init>":
                constructors.append(method)
                continue
            namespace[mangled(method.name, method.descriptor)] = _java_entry(method)
            # The plain alias is for Python callers; a name a field holds stays the field's.
            if method.name[:1] != "_" and method.name not in fields:
                by_name.setdefault(method.name, []).append(method)
        for name, methods in by_name.items():
            namespace[name] = _python_alias(name, methods, cell)
        if constructors:
            namespace["__init__"] = _python_constructor(constructors)
        try:
            pyclass = type(simple, bases, namespace)
        except TypeError as exc:
            raise JavaClassError(f"cannot build the class: {exc}",
                                 class_name=jclass.java_name) from exc
        if namespace.get("_jc_remote_interface"):
            from jcsim.rmi.remote import _INTERFACES

            # Known to the host's RMI client by its Java name, as @remote_interface does.
            _INTERFACES[(namespace["_jc_java_package"], simple)] = pyclass
        cell.append(pyclass)
        self.java_types.add(pyclass)
        # Card images name a class module:qualname and find it in its (already loaded) module.
        setattr(sys.modules[namespace["__module__"]], simple, pyclass)
        return pyclass


def _java_entry(method: JavaMethod) -> Any:
    """The Python method a Java call reaches under the mangled name (Java values in and out)."""
    pad = method.pad
    if method.static:
        jclass = method.jclass
        init = jclass.statics if jclass.needs_initialization() else None

        def static_entry(*args: Any) -> Any:
            if init is not None:
                init()
            return execute(method, [*args, *pad])
        return staticmethod(static_entry)

    def entry(self: Any, *args: Any) -> Any:
        return execute(method, [self, *args, *pad])
    entry.__name__ = method.name
    return entry


def _converters(method: JavaMethod) -> list[Any]:
    return [to_java(kind) for kind in method.args]


def _python_alias(name: str, methods: list[JavaMethod], cell: list[type]) -> Any:
    """The plain-name method Python code calls: converts values and picks an overload by the
    number of arguments, falling back to the Python base class for other counts."""
    static = all(m.static for m in methods)
    by_count = {len(m.args): (m, _converters(m)) for m in methods if m.static == static}

    def run(method: JavaMethod, converters: list[Any], receiver: Any, args: tuple) -> Any:
        values = [c(a) if c is not None and a is not None else a
                  for c, a in zip(converters, args, strict=True)]
        if method.static:
            jclass = method.jclass
            if jclass.needs_initialization():
                jclass.statics()
            result = execute(method, [*values, *method.pad])
        else:
            result = execute(method, [receiver, *values, *method.pad])
        return bool(result) if method.returns == "Z" else result

    if static:
        def static_alias(*args: Any) -> Any:
            found = by_count.get(len(args))
            if found is None:
                raise TypeError(f"{name}() takes {sorted(by_count)} arguments, not {len(args)}")
            return run(found[0], found[1], None, args)
        static_alias.__name__ = name
        return staticmethod(static_alias)

    def alias(self: Any, *args: Any) -> Any:
        found = by_count.get(len(args))
        if found is None:
            return getattr(super(cell[0], self), name)(*args)
        return run(found[0], found[1], self, args)
    alias.__name__ = name
    return alias


def _python_constructor(constructors: list[JavaMethod]) -> Any:
    by_count = {len(m.args): (m, _converters(m)) for m in constructors}

    def constructor(self: Any, *args: Any) -> None:
        found = by_count.get(len(args))
        if found is None:
            raise TypeError(f"no constructor of {type(self).__name__} takes {len(args)} "
                            "arguments")
        method, converters = found
        values = [c(a) if c is not None and a is not None else a
                  for c, a in zip(converters, args, strict=True)]
        execute(method, [self, *values, *method.pad])
    constructor.__name__ = "__init__"
    return constructor
