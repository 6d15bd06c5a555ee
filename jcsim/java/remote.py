"""Java Card RMI for Java classes: a Java interface extending ``java.rmi.Remote`` becomes a
remote interface of ``jcsim.rmi`` whose methods (and so method ids, JCRE 3.0.5 §8.3.3) come
from the Java descriptors in its class file, and every Java class names its Java package for
the RMI service and client (``_jc_java_package``)."""

from __future__ import annotations

from typing import Any

from jcsim.java.classes import LoadedClass, parse_descriptor
from jcsim.java.classfile import JavaClassError
from jcsim.rmi.remote import Remote, RemoteMethod, is_remote_interface
from jcsim.rmi.types import JavaType, jboolean, jbyte, jint, jshort, jvoid

__all__ = ["declare_remote_methods", "remote_namespace"]

_PRIMITIVES = {"Z": jboolean, "B": jbyte, "S": jshort, "I": jint, "V": jvoid}


def _java_type(descriptor: str, where: str) -> JavaType:
    if descriptor in _PRIMITIVES:
        return _PRIMITIVES[descriptor]
    if descriptor[:1] == "[" and descriptor[1:] in ("Z", "B", "S", "I"):
        return _PRIMITIVES[descriptor[1:]][...]
    raise JavaClassError(f"a remote method cannot pass {descriptor}", class_name=where)


def remote_namespace(jclass: LoadedClass, bases: tuple[type, ...]) -> dict[str, Any]:
    """The class attributes that make ``jclass``'s Python class known to ``jcsim.rmi``."""
    namespace: dict[str, Any] = {
        "_jc_java_package": jclass.name.rpartition("/")[0] or jclass.name}
    if jclass.is_interface and any(issubclass(b, Remote) for b in bases):
        namespace["_jc_remote_interface"] = True
        namespace["_jc_methods"] = None  # declare_remote_methods fills it in
    return namespace


def declare_remote_methods(jclass: LoadedClass, pyclass: type) -> None:
    """The remote methods of a Java remote interface, once its Python class exists (a method
    may return the interface itself)."""
    if not pyclass.__dict__.get("_jc_remote_interface"):
        return
    methods = {}
    for method in jclass.methods.values():
        if method.static or method.name.startswith("<"):
            continue
        args, returns = parse_descriptor(method.descriptor)
        where = f"{jclass.java_name}.{method.name}"
        if returns[:1] == "L":
            target = pyclass if returns[1:-1] == jclass.name else \
                jclass.loader.python_class(returns[1:-1])
            if not is_remote_interface(target):
                raise JavaClassError(f"a remote method returns a remote interface or a "
                                     f"primitive, not {returns}", class_name=where)
            result: Any = target
        else:
            result = _java_type(returns, where)
        # Class files keep no parameter names of an interface method: arg0, arg1, ...
        methods[method.name] = RemoteMethod(
            method.name, tuple(_java_type(a, where) for a in args), result,
            tuple(f"arg{i}" for i in range(len(args))))
    type.__setattr__(pyclass, "_jc_methods", methods)
