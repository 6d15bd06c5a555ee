"""``java.rmi.Remote``, ``java.rmi.RemoteException``, and remote interfaces declared in Python.

A remote interface is a class deriving from ``Remote``, decorated with ``@remote_interface``,
whose methods carry Java types as annotations (``jcsim.rmi.types``)::

    @remote_interface(package="examples/purse")
    class Purse(Remote):
        MAX_AMOUNT = 400
        REQUEST_FAILED = 0x0102

        def debit(self, amount: jshort) -> jshort: ...
        def credit(self, amount: jshort) -> jshort: ...
        def getBalance(self) -> jshort: ...

Each method gets the JVM descriptor Java would give it (``debit(S)S``) and so its method
identifier (JCRE 3.0.5 §8.3.3). ``package`` is the Java package in internal form (``/``
separators; dots are accepted); it defaults to the Python module path. A class implementing
the interface derives from it (and usually from ``CardRemoteObject``) and may name its own
Java package and hash modifier as class keywords::

    class PurseImpl(CardRemoteObject, Purse, package="examples/purse"): ...

Python has no overloading, so Java's overloads get Python names of their own, each naming the
Java method it is with ``@java_method``; its id comes from the Java name and the full
descriptor, so the overloads have different ids (§8.3.3)::

        def debit(self, amount: jshort) -> jshort: ...
        @java_method("debit")
        def debitBytes(self, amount: jbyte[...]) -> jshort: ...   # Java's debit([B)S

The card dispatches each id to the Python method of that declaration; the host's proxies offer
both names. The card and the host share the declaration, as Java shares the interface's
``.class`` file: the card dispatches on the method ids, the host's proxies compute the same ids
(no rmic needed).
"""

from __future__ import annotations

import contextlib
import inspect
import weakref
from typing import Any

import attrs

from jcsim.lang import IOException
from jcsim.rmi.types import JavaType, jvoid
from jcsim.rmi.wire import REMOTE, method_id

__all__ = [
    "Remote",
    "RemoteClassInfo",
    "RemoteException",
    "RemoteMethod",
    "collect_methods",
    "declare_remote_class",
    "find_class_interfaces",
    "find_interface",
    "interface_methods",
    "interfaces_of",
    "is_remote_interface",
    "java_method",
    "java_name",
    "java_package",
    "remote_class_info",
    "remote_interface",
]


class RemoteException(IOException):
    """Mirrors ``java.rmi.RemoteException``: every remote method may throw it."""


class Remote:
    """Mirrors ``java.rmi.Remote``: the tag of interfaces whose methods the terminal may call.

    Class keywords ``package`` (the Java package, internal form) and ``hash_modifier`` (the
    anti-collision string of the method ids) describe an implementation class to the client.
    """

    def __init_subclass__(cls, *, package: str | None = None, hash_modifier: str | None = None,
                          **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if package is not None:
            type.__setattr__(cls, "_jc_java_package", _internal_form(package))
        if hash_modifier is not None:
            type.__setattr__(cls, "_jc_hash_modifier", str(hash_modifier))
        if not cls.__dict__.get("_jc_stub"):
            _CLASSES[(java_package(cls), cls.__name__)] = cls


type.__setattr__(Remote, "_jc_java_package", "java/rmi")


def _internal_form(package: str) -> str:
    package = package.replace(".", "/").strip("/")
    if not package:
        raise TypeError("a Java package name cannot be empty")
    return package


def java_package(cls: type) -> str:
    """The Java package of ``cls`` in internal form (its own ``package`` or its module path)."""
    return cls.__dict__.get("_jc_java_package") or cls.__module__.replace(".", "/")


def java_name(cls: type) -> str:
    """``examples/purse/Purse``: the internal form of the class's fully qualified name."""
    return f"{java_package(cls)}/{cls.__name__}"


def is_remote_interface(cls: Any) -> bool:
    """True for ``Remote`` and the classes declared with ``@remote_interface``."""
    return isinstance(cls, type) and (
        cls is Remote or bool(cls.__dict__.get("_jc_remote_interface")))


# Declared interfaces and implementation classes by (package, simple name), for the client.
_INTERFACES: weakref.WeakValueDictionary[tuple[str, str], type] = weakref.WeakValueDictionary()
_CLASSES: weakref.WeakValueDictionary[tuple[str, str], type] = weakref.WeakValueDictionary()
_DECLARED: dict[tuple[str, str], tuple[type, ...]] = {}


def java_method(name: str) -> Any:
    """Name the Java method a remote method declares when its Python name differs: how an
    interface declares Java overloads (``@java_method("debit") def debitBytes(...)``)."""
    if not name.isidentifier():
        raise TypeError(f"{name!r} is not a Java method name")

    def mark(function: Any) -> Any:
        function.__jc_java_name__ = name
        return function

    return mark


@attrs.frozen
class RemoteMethod:
    """One method of a remote interface: its Java name, Java parameter and return types, and
    the Python attribute that implements it (the Java name unless ``@java_method`` says)."""

    name: str
    params: tuple[JavaType, ...]
    returns: Any  # a JavaType (jvoid for void) or a remote interface class
    parameter_names: tuple[str, ...] = ()
    attribute: str = ""

    @property
    def python_name(self) -> str:
        return self.attribute or self.name

    @property
    def returns_remote(self) -> bool:
        return not isinstance(self.returns, JavaType)

    @property
    def wire_returns(self) -> JavaType:
        """The return type as the wire format sees it (``REMOTE`` for a reference)."""
        return REMOTE if self.returns_remote else self.returns

    @property
    def descriptor(self) -> str:
        """The JVM method descriptor: ``(S)S``, ``([B)V``, ``()Lexamples/purse/Purse;``."""
        args = "".join(p.descriptor for p in self.params)
        if self.returns_remote:
            return f"({args})L{java_name(self.returns)};"
        return f"({args}){self.returns.descriptor}"

    @property
    def signature(self) -> str:
        """``debit(S)S``: the name and descriptor the method id is computed over."""
        return self.name + self.descriptor

    def method_id(self, hash_modifier: str = "") -> int:
        return method_id(self.name, self.descriptor, hash_modifier)


def _method_from(cls: type, name: str, function: Any) -> RemoteMethod:
    where = f"{cls.__name__}.{name}"
    try:
        hints = inspect.get_annotations(function, eval_str=True,
                                        locals={cls.__name__: cls, **vars(cls)})
    except NameError:
        raise  # perhaps a forward reference: remote_interface retries at first use
    except Exception as exc:
        raise TypeError(f"{where}: cannot read the annotations: {exc}") from exc
    params = []
    names = []
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        if parameter.kind not in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            raise TypeError(f"{where}: a remote method takes plain positional parameters, "
                            f"not {parameter}")
        jtype = hints.get(parameter.name)
        if not isinstance(jtype, JavaType) or jtype.is_void:
            raise TypeError(f"{where}: annotate parameter {parameter.name!r} with a Java type "
                            "(jboolean, jbyte, jshort, jint or an array such as jbyte[...])")
        params.append(jtype)
        names.append(parameter.name)
    if "return" not in hints:
        raise TypeError(f"{where}: annotate the return type (-> None for void)")
    returns = hints["return"]
    if returns is None or returns is type(None):
        returns = jvoid
    if not isinstance(returns, JavaType) and not is_remote_interface(returns):
        raise TypeError(f"{where}: a remote method returns a Java type, None (void) or a "
                        f"remote interface, not {returns!r}")
    java = getattr(function, "__jc_java_name__", name)
    return RemoteMethod(java, tuple(params), returns, tuple(names),
                        "" if java == name else name)


def _resolve(cls: type) -> dict[str, RemoteMethod]:
    methods = {}
    for name, function in cls.__dict__.items():
        if inspect.isfunction(function) and not name.startswith("_"):
            methods[name] = _method_from(cls, name, function)
    type.__setattr__(cls, "_jc_methods", methods)
    return methods


def interface_methods(iface: type) -> dict[str, RemoteMethod]:
    """The methods ``iface`` itself declares (not those of the interfaces it extends)."""
    methods = iface.__dict__.get("_jc_methods")
    if methods is not None:
        return methods
    try:
        return _resolve(iface)
    except NameError as exc:
        raise TypeError(f"remote interface {iface.__name__}: an annotation names something "
                        f"undefined: {exc}") from exc


def remote_interface(cls: type | None = None, *, package: str | None = None) -> Any:
    """Declare ``cls`` a remote interface: ``@remote_interface`` or
    ``@remote_interface(package="examples/purse")``."""

    def declare(cls: type) -> type:
        if not isinstance(cls, type) or not issubclass(cls, Remote):
            raise TypeError("a remote interface is a class deriving from jcsim.rmi.Remote")
        for base in cls.__bases__:
            if not is_remote_interface(base):
                raise TypeError(f"remote interface {cls.__name__} may only extend Remote and "
                                f"other remote interfaces, not {base.__name__}")
        old_key = (java_package(cls), cls.__name__)
        if _CLASSES.get(old_key) is cls:
            del _CLASSES[old_key]
        if package is not None:
            type.__setattr__(cls, "_jc_java_package", _internal_form(package))
        type.__setattr__(cls, "_jc_remote_interface", True)
        type.__setattr__(cls, "_jc_methods", None)
        for name, function in cls.__dict__.items():
            if inspect.isfunction(function) and not name.startswith("_"):
                vars(function)["__jc_abstract__"] = True
        with contextlib.suppress(NameError):  # a forward reference: resolved at first use
            _resolve(cls)
        _INTERFACES[(java_package(cls), cls.__name__)] = cls
        return cls

    return declare if cls is None else declare(cls)


def interfaces_of(cls: type) -> tuple[type, ...]:
    """The remote interfaces ``cls`` implements, most derived first (``Remote`` excluded)."""
    return tuple(k for k in cls.__mro__ if k is not Remote and is_remote_interface(k))


@attrs.frozen
class RemoteClassInfo:
    """What the RMI service needs to know about a remote class: its Java names, interfaces,
    hash modifier and methods by id."""

    cls: type
    package: str
    class_name: str
    hash_modifier: str
    interfaces: tuple[type, ...]
    by_id: dict[int, RemoteMethod]
    by_name: dict[str, RemoteMethod]


_INFO: weakref.WeakKeyDictionary[type, RemoteClassInfo] = weakref.WeakKeyDictionary()


def collect_methods(interfaces: tuple[type, ...], where: str) -> dict[str, RemoteMethod]:
    """The methods of ``interfaces`` by Python name. Two declarations under one Python name
    with different Java signatures are a ``TypeError`` at ``where`` (one Python method cannot
    implement both: give one of them its own name with ``@java_method``)."""
    by_name: dict[str, RemoteMethod] = {}
    for iface in interfaces:
        for name, method in interface_methods(iface).items():
            known = by_name.get(name)
            if known is not None and known.signature != method.signature:
                raise TypeError(f"{where}: {known.signature} and {method.signature} are both "
                                f"declared as {name}: name one of them differently and mark it "
                                f"@java_method({method.name!r})")
            by_name.setdefault(name, method)
    return by_name


def remote_class_info(cls: type) -> RemoteClassInfo:
    """Build (once) the dispatch table of a class implementing remote interfaces; raises
    ``TypeError`` for a method it does not implement or for colliding method ids."""
    info = _INFO.get(cls)
    if info is not None:
        return info
    interfaces = interfaces_of(cls)
    by_name = collect_methods(interfaces, cls.__name__)
    hash_modifier = getattr(cls, "_jc_hash_modifier", "")
    by_id: dict[int, RemoteMethod] = {}
    for name, method in by_name.items():
        if getattr(getattr(cls, name, None), "__jc_abstract__", False):
            raise TypeError(f"{cls.__name__} implements {interfaces[0].__name__} but not "
                            f"{method.signature}")
        mid = method.method_id(hash_modifier)
        clash = by_id.get(mid)
        if clash is not None:
            raise TypeError(f"{cls.__name__}: {clash.signature} and {method.signature} have the "
                            f"same method id {mid:04X}; give the class a hash_modifier")
        by_id[mid] = method
    info = RemoteClassInfo(cls, java_package(cls), cls.__name__, hash_modifier, interfaces,
                           by_id, by_name)
    _INFO[cls] = info
    return info


def find_interface(package: str, name: str) -> type | None:
    """The declared remote interface ``package/name`` (internal form), if any."""
    return _INTERFACES.get((package, name))


def find_class_interfaces(package: str, name: str) -> tuple[type, ...] | None:
    """The remote interfaces of implementation class ``package/name``, from the class itself
    (when the host imported it) or from ``declare_remote_class``."""
    declared = _DECLARED.get((package, name))
    if declared is not None:
        return declared
    cls = _CLASSES.get((package, name))
    if cls is None:
        return None
    interfaces = interfaces_of(cls)
    return interfaces or None


def declare_remote_class(java_class: str, *interfaces: type) -> None:
    """Tell the client which remote interfaces class ``java_class`` (``"examples/purse/
    PurseImpl"``) implements, when the host does not import the class itself: the Python
    counterpart of the rmic stub the class format needs."""
    package, _, name = _internal_form(java_class).rpartition("/")
    if not package or not name:
        raise TypeError(f"name a class with its package: {java_class!r}")
    for iface in interfaces:
        if not is_remote_interface(iface) or iface is Remote:
            raise TypeError(f"{iface!r} is not a remote interface")
    _DECLARED[(package, name)] = tuple(interfaces)
