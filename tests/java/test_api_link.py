"""The one Java Card API: every public method that jcsim's Java API source declares, on a class
that jcsim implements in Python, links to a Python method of the same name (a Java call to it
runs jcsim's implementation)."""

from __future__ import annotations

import inspect

import pytest

from jcsim.framework import Applet
from jcsim.java.classfile import ACC_PROTECTED, ACC_PUBLIC, parse_class
from jcsim.java.classes import parse_descriptor
from jcsim.java.loader import api_class
from jcsim.x.framework.tlv._overload import Overloaded
from tests.java.conftest import find_javac

# java.lang.Object's methods are answered by the interpreter itself for objects without them.
LINKED_BY_THE_INTERPRETER = {"java/lang/Object.equals(Ljava/lang/Object;)Z"}


def test_every_api_method_of_an_implemented_class_has_its_python_method() -> None:
    from jcsim.java import javac

    find_javac()
    root = javac.api_classes_dir()
    checked = 0
    missing = []
    mismatched = []
    for path in sorted(root.rglob("*.class")):
        classfile = parse_class(path.read_bytes())
        pyclass = api_class(classfile.name)
        if pyclass is None or not classfile.access & ACC_PUBLIC:
            continue
        for method in classfile.methods:
            if method.name.startswith("<") or not method.access & (ACC_PUBLIC | ACC_PROTECTED):
                continue
            checked += 1
            where = f"{classfile.name}.{method.name}{method.descriptor}"
            if not hasattr(pyclass, method.name) and where not in LINKED_BY_THE_INTERPRETER:
                missing.append(where)
                continue
            raw = inspect.getattr_static(pyclass, method.name, None)
            if isinstance(raw, Overloaded):
                # One attribute for a static and an instance overload (BERTag.size() and
                # size(bArray, bOff)): the instance form is the one of its own arity.
                arity = len(parse_descriptor(method.descriptor)[0])
                if (arity == raw._arity) == method.static:
                    mismatched.append(where)
                continue
            python_static = isinstance(raw, (staticmethod, classmethod))
            # A Java static that jcsim defines on the instance is only linkable on Applet
            # (it asks about the running applet); the other way round never is.
            if method.static != python_static and not (
                    method.static and issubclass(pyclass, Applet)):
                mismatched.append(where)
    assert checked > 200
    assert missing == []
    assert mismatched == []


@pytest.mark.parametrize(("name", "expected"), [
    ("javacard/framework/APDU", "APDU"), ("javacard/security/KeyBuilder", "KeyBuilder"),
    ("javacardx/crypto/Cipher", "Cipher"), ("javacardx/apdu/ExtendedLength", "ExtendedLength"),
    ("java/lang/ArithmeticException", "ArithmeticException"), ("java/rmi/Remote", "Remote"),
    ("javacard/framework/service/Dispatcher", "Dispatcher")])
def test_api_names_resolve_to_jcsim_classes(name: str, expected: str) -> None:
    assert api_class(name).__name__ == expected
    assert api_class("javacard/framework/_jcre") is None
    assert api_class("com/example/NotTheAPI") is None
