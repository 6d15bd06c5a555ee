"""Declaring remote interfaces in Python: descriptors, method ids, hash modifiers, mistakes
caught early, and how the client finds the interfaces a reference names."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.framework import Applet
from jcsim.framework.service import CardRemoteObject, Dispatcher, RMIService
from jcsim.rmi import (
    Remote,
    declare_remote_class,
    java_method,
    jboolean,
    jbyte,
    jint,
    jshort,
    jvoid,
    remote_interface,
)
from jcsim.rmi.client import JCRMIConnect, SimulatorCardAccessor, UnknownRemoteTypeError
from jcsim.rmi.remote import interface_methods, java_name, remote_class_info
from jcsim.rmi.types import JavaType
from jcsim.rmi.wire import ClassRef, InterfacesRef, method_id
from jcsim.samples.purse import Purse, PurseImpl


@remote_interface(package="com.example.bank")
class Account(Remote):
    def setNumber(self, number: jbyte[...]) -> None: ...
    def getNumber(self) -> jbyte[...]: ...
    def flags(self, a: jboolean, b: jboolean[...]) -> jint[...]: ...
    def next(self) -> Account: ...
    def anything(self) -> Remote: ...
    def nothing(self) -> jvoid: ...


def test_annotations_become_jvm_descriptors():
    methods = interface_methods(Account)
    assert methods["setNumber"].signature == "setNumber([B)V"
    assert methods["getNumber"].signature == "getNumber()[B"
    assert methods["flags"].signature == "flags(Z[Z)[I"
    assert methods["next"].signature == "next()Lcom/example/bank/Account;"
    assert methods["anything"].signature == "anything()Ljava/rmi/Remote;"
    assert methods["nothing"].signature == "nothing()V"
    assert java_name(Account) == "com/example/bank/Account"


def test_the_purse_methods_have_the_ids_sha1_gives_them():
    info = remote_class_info(PurseImpl)
    assert {m.signature: mid for mid, m in info.by_id.items()} == {
        "debit(S)S": 0x4469, "credit(S)S": 0xD494, "getBalance()S": 0xECA8}
    assert (info.package, info.class_name, info.interfaces) == ("examples/purse", "PurseImpl",
                                                                 (Purse,))


def test_java_types_cast_like_java_and_name_themselves():
    assert jshort(70000) == 4464 and jbyte(200) == -56 and jint(1 << 31) == -(1 << 31)
    assert jboolean(5) is True
    assert repr(jbyte[...]) == "jbyte[...]" and jbyte[:] == jbyte[...]
    assert jint[...].descriptor == "[I" and jshort.descriptor == "S"
    with pytest.raises(TypeError):
        jbyte[...][...]
    with pytest.raises(TypeError):
        jvoid[...]


@pytest.mark.parametrize("source", [
    "def f(self, x) -> jshort: ...",
    "def f(self, x: int) -> jshort: ...",
    "def f(self, x: jvoid) -> jshort: ...",
    "def f(self): ...",
    "def f(self) -> int: ...",
    "def f(self, *xs: jshort) -> jshort: ...",
    "def f(self, *, x: jshort) -> jshort: ...",
])
def test_a_method_without_java_types_is_refused_when_declared(source):
    namespace: dict = {}
    exec(source, {"jshort": jshort, "jvoid": jvoid}, namespace)
    body = {"f": namespace["f"], "__module__": __name__}
    with pytest.raises(TypeError):
        remote_interface(type("Bad", (Remote,), body))


def test_an_interface_may_not_extend_a_class():
    with pytest.raises(TypeError):
        @remote_interface
        class Bad(PurseImpl):
            pass


def test_a_class_that_misses_a_method_cannot_be_exported():
    class Lazy(CardRemoteObject, Purse):
        def debit(self, amount):
            return 0

    with pytest.raises(TypeError, match="credit"):
        Lazy()


def test_colliding_method_ids_need_a_hash_modifier_which_changes_every_id():
    from jcsim.rmi.remote import RemoteMethod

    @remote_interface(package="tests/rmi/collide")
    class Two(Remote):
        def a(self) -> jshort: ...

    info_plain = remote_class_info(type("Plain", (Two,), {"a": lambda self: 0}))
    modified = type("Modified", (Two,), {"a": lambda self: 0, "__module__": __name__},
                    hash_modifier="X")
    info_mod = remote_class_info(modified)
    method = interface_methods(Two)["a"]
    assert info_plain.by_id == {method.method_id(""): method}
    assert info_mod.by_id == {method.method_id("X"): method}
    assert RemoteMethod("a", (), jshort).method_id("X") != RemoteMethod("a", (), jshort).method_id()


def test_two_methods_with_one_id_are_refused(monkeypatch):
    from jcsim.rmi import remote

    @remote_interface(package="tests/rmi/clash")
    class Clash(Remote):
        def a(self) -> jshort: ...
        def b(self) -> jshort: ...

    monkeypatch.setattr(remote.RemoteMethod, "method_id", lambda self, hm="": 0x1234)
    with pytest.raises(TypeError, match="hash_modifier"):
        remote_class_info(type("Impl", (Clash,), {"a": lambda s: 0, "b": lambda s: 0}))


def test_two_signatures_under_one_python_name_are_refused_with_the_fix():
    @remote_interface(package="tests/rmi/over")
    class One(Remote):
        def f(self, x: jshort) -> jshort: ...

    @remote_interface(package="tests/rmi/over")
    class Other(Remote):
        def f(self, x: jint) -> jint: ...

    with pytest.raises(TypeError, match=r"java_method\('f'\)"):
        remote_class_info(type("Both", (One, Other), {"f": lambda self, x: x}))


def test_an_overload_named_with_java_method_gets_the_id_of_its_java_signature():
    @remote_interface(package="tests/rmi/over")
    class One(Remote):
        def f(self, x: jshort) -> jshort: ...

    @remote_interface(package="tests/rmi/over")
    class Other(Remote):
        @java_method("f")
        def fInt(self, x: jint) -> jint: ...

    info = remote_class_info(type("Both", (One, Other), {"f": lambda self, x: x,
                                                         "fInt": lambda self, x: -x}))
    assert {m.signature for m in info.by_id.values()} == {"f(S)S", "f(I)I"}
    assert info.by_id[method_id("f", "(I)I")].python_name == "fInt"
    assert info.by_id[method_id("f", "(S)S")].python_name == "f"


def test_java_method_takes_a_java_identifier():
    with pytest.raises(TypeError):
        java_method("not a name")


@remote_interface(package="tests/rmi/hosted")
class Hosted(Remote):
    def ping(self, value: jshort) -> jshort: ...


class _HostedImpl(CardRemoteObject, Hosted, package="tests/rmi/hosted", hash_modifier="hm"):
    def ping(self, value):
        return value + 1


class HostedApplet(Applet):
    def __init__(self):
        self.dispatcher = Dispatcher(1)
        self.dispatcher.addService(RMIService(_HostedImpl()), Dispatcher.PROCESS_COMMAND)

    def process(self, apdu):
        self.dispatcher.process(apdu)


HOSTED_AID = "F0 00 00 00 79 01"


def test_the_hash_modifier_travels_in_the_reference_and_the_client_uses_it():
    sim = Simulator()
    sim.install(HostedApplet, HOSTED_AID)
    for fmt in (JCRMIConnect.REF_WITH_CLASS_NAME, JCRMIConnect.REF_WITH_INTERFACE_NAMES):
        connection = JCRMIConnect(SimulatorCardAccessor(sim))
        connection.select_applet(HOSTED_AID, fmt)
        assert connection.select_response.initial_ref.value.hash_modifier == "hm"
        assert connection.get_initial_reference().ping(41) == 42


def test_the_class_format_needs_the_class_or_a_declaration_of_it(monkeypatch):
    from jcsim.rmi import remote

    sim = Simulator()
    sim.install(HostedApplet, HOSTED_AID)
    connection = JCRMIConnect(SimulatorCardAccessor(sim))
    connection.select_applet(HOSTED_AID)
    # A host that never imported the implementation class:
    monkeypatch.setattr(remote, "_CLASSES", {})
    with pytest.raises(UnknownRemoteTypeError, match="declare_remote_class"):
        connection.get_initial_reference()
    declare_remote_class("tests.rmi.hosted._HostedImpl", Hosted)
    try:
        assert connection.get_initial_reference().ping(1) == 2
    finally:
        remote._DECLARED.clear()


def test_the_interfaces_format_needs_each_interface_declared(monkeypatch):
    from jcsim.rmi import remote

    sim = Simulator()
    sim.install(HostedApplet, HOSTED_AID)
    connection = JCRMIConnect(SimulatorCardAccessor(sim))
    connection.select_applet(HOSTED_AID, JCRMIConnect.REF_WITH_INTERFACE_NAMES)
    monkeypatch.setattr(remote, "_INTERFACES", {})
    with pytest.raises(UnknownRemoteTypeError, match="tests/rmi/hosted/Hosted"):
        connection.get_initial_reference()


def test_proxies_for_the_same_object_are_equal_and_show_what_they_are():
    sim = Simulator()
    sim.install(HostedApplet, HOSTED_AID)
    connection = JCRMIConnect(SimulatorCardAccessor(sim))
    connection.select_applet(HOSTED_AID)
    first, second = connection.get_initial_reference(), connection.get_initial_reference()
    assert first == second and hash(first) == hash(second)
    assert "Hosted proxy" in repr(first) and "tests/rmi/hosted/_HostedImpl" in repr(first)
    descriptor = connection.select_response.initial_ref.value
    assert isinstance(descriptor, ClassRef) and not isinstance(descriptor, InterfacesRef)


def test_a_java_type_is_a_value():
    assert JavaType("short", "S", 2) == jshort


@remote_interface(package="tests/rmi/forward")
class Early(Remote):
    def later(self) -> Later: ...


@remote_interface(package="tests/rmi/forward")
class Later(Remote):
    def ping(self) -> jshort: ...


def test_a_return_type_declared_further_down_the_module_resolves_at_first_use():
    assert interface_methods(Early)["later"].signature == "later()Ltests/rmi/forward/Later;"
