"""The host's half of Java Card RMI: ``JCRMIConnect``, card accessors and remote proxies.

Mirrors ``com.sun.javacard.rmiclientlib`` (``JCRMIConnect``, ``CardAccessor``) with PEP 8
names, as the Java Card programming notes' ``PurseClient`` uses it::

    from jcsim.rmi.client import JCRMIConnect, SimulatorCardAccessor

    connection = JCRMIConnect(SimulatorCardAccessor(sim))
    connection.select_applet(PURSE_AID)                 # remote_ref_with_class
    purse = connection.get_initial_reference()          # a proxy implementing Purse
    purse.credit(20)

A remote reference becomes a proxy: an instance of a class generated from the remote
interfaces it implements (``isinstance(purse, Purse)`` holds, its constants are there), whose
methods marshal an INVOKE and unmarshal the answer. With ``REF_WITH_CLASS_NAME`` the card names
the object's class and the proxy gets that class's remote interfaces (from the class itself if
the host imported it, or from ``jcsim.rmi.declare_remote_class``: the rmic stub's role); with
``REF_WITH_INTERFACE_NAMES`` the card names the interfaces, looked up among the declared ones.

What the card throws comes back raised: an instance of ``CardExceptionError`` that is also an
instance of the Java class (``except UserException as e: e.getReason()``), carrying
``java_type``, ``reason`` and ``subclass``. An error response raises ``RemoteInvocationError``;
bytes that do not follow the protocol raise ``JCRMIProtocolError``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import attrs

from jcsim.apdu import parse_hex
from jcsim.framework.aid import AID
from jcsim.rmi import wire
from jcsim.rmi.errors import (
    CardExceptionError,
    JCRMIError,
    JCRMIProtocolError,
    RemoteArgumentError,
    RemoteInvocationError,
    UnknownRemoteTypeError,
    exception_class,
)
from jcsim.rmi.accessors import (
    CardAccessError,
    CardAccessor,
    ForwardingCardAccessor,
    PCSCCardAccessor,
    SimulatorCardAccessor,
)
from jcsim.rmi.remote import (
    Remote,
    RemoteMethod,
    collect_methods,
    find_class_interfaces,
    find_interface,
)
from jcsim.rmi.wire import (
    ClassRef,
    ErrorResponse,
    ExceptionResponse,
    InterfacesRef,
    NormalResponse,
    RefFormat,
    WireFormatError,
)

__all__ = [
    "CardAccessError",
    "CardAccessor",
    "CardExceptionError",
    "ForwardingCardAccessor",
    "Invocation",
    "JCRMIConnect",
    "JCRMIError",
    "JCRMIProtocolError",
    "PCSCCardAccessor",
    "RefFormat",
    "RemoteArgumentError",
    "RemoteInvocationError",
    "RemoteRef",
    "RemoteStub",
    "SimulatorCardAccessor",
    "UnknownRemoteTypeError",
    "exception_class",
    "proxy_class",
]


# --- references and proxies --------------------------------------------------------------------


@attrs.frozen(eq=False)
class RemoteRef:
    """What a proxy knows of its remote object: the connection, the descriptor, the session."""

    connection: JCRMIConnect
    descriptor: ClassRef | InterfacesRef
    session: int

    @property
    def object_id(self) -> int:
        return self.descriptor.object_id

    @property
    def hash_modifier(self) -> str:
        return self.descriptor.hash_modifier

    def invoke(self, method: RemoteMethod, args: tuple[Any, ...]) -> Any:
        return self.connection.invoke(self, method, args)


class RemoteStub:
    """The base of every proxy class: a remote object on the card, seen from the host."""

    _jc_stub = True

    def __init__(self, ref: RemoteRef) -> None:
        self._remote_ref = ref

    @property
    def remote_ref(self) -> RemoteRef:
        return self._remote_ref

    def __repr__(self) -> str:
        ref = self._remote_ref
        names = "/".join(k.__name__ for k in type(self).__mro__[1:]
                         if k.__dict__.get("_jc_remote_interface"))
        if isinstance(ref.descriptor, ClassRef):
            where = f" of class {ref.descriptor.java_name}"
        else:
            where = ""
        return f"<{names} proxy: remote object {ref.object_id:04X}{where}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RemoteStub):
            return NotImplemented
        mine, theirs = self._remote_ref, other._remote_ref
        return (mine.connection is theirs.connection and mine.session == theirs.session
                and mine.object_id == theirs.object_id)

    def __hash__(self) -> int:
        ref = self._remote_ref
        return hash((id(ref.connection), ref.session, ref.object_id))


def _stub_method(method: RemoteMethod) -> Callable[..., Any]:
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    parameters += [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                   for name in method.parameter_names]
    signature = inspect.Signature(parameters)
    arity = len(method.parameter_names)

    def call(self: RemoteStub, *args: Any, **kwargs: Any) -> Any:
        if kwargs or len(args) != arity:  # all positional, the usual call, needs no binding
            try:
                args = signature.bind(self, *args, **kwargs).args[1:]
            except TypeError as exc:
                raise RemoteArgumentError(f"{method.signature}: {exc}") from None
        return self._remote_ref.invoke(method, args)

    call.__name__ = call.__qualname__ = method.python_name
    vars(call)["__signature__"] = signature  # what inspect.signature reports
    call.__doc__ = f"Invoke {method.signature} on the card."
    return call


@functools.cache
def proxy_class(interfaces: tuple[type, ...]) -> type:
    """The proxy class for objects implementing ``interfaces``: a subclass of ``RemoteStub``
    and of each interface, whose remote methods invoke the card."""
    bases = tuple(i for i in interfaces
                  if not any(o is not i and issubclass(o, i) for o in interfaces))
    namespace: dict[str, Any] = {"_jc_stub": True, "__module__": __name__}
    for name, method in collect_methods(interfaces, "proxy").items():
        namespace[name] = _stub_method(method)
    name = "_".join(b.__name__ for b in bases) + "_Stub"
    return type(name, (RemoteStub, *bases), namespace)


@attrs.frozen
class Invocation:
    """One remote call, as ``JCRMIConnect(on_invoke=...)`` reports it."""

    method: RemoteMethod
    object_id: int
    args: tuple[Any, ...]
    command: bytes
    response: bytes
    outcome: NormalResponse | ExceptionResponse | ErrorResponse


_UNDECODED = object()


_Direct = tuple[tuple[tuple[int, int, int, int], ...], Callable[[bytes], Any]]


def _direct_plan(method: RemoteMethod) -> _Direct | None:
    """For a method taking bytes, shorts and ints and returning void or one of those: the
    (lowest, highest, mask, width) of each parameter, and the decoder of a normal response
    (``_UNDECODED`` for any other answer); None for other methods."""
    returns = method.returns
    if (method.returns_remote or returns.is_array or returns.code == "Z"
            or any(p.is_array or p.code not in ("B", "S", "I") for p in method.params)):
        return None
    # As JavaType.accepts and the codec: a signed or unsigned reading, two's complement.
    layout = tuple((-(1 << (8 * p.width - 1)), (1 << (8 * p.width)) - 1,
                    (1 << (8 * p.width)) - 1, p.width) for p in method.params)
    if returns.is_void:
        normal = bytes((wire.NORMAL_TAG,))
        return layout, lambda data: None if data == normal else _UNDECODED
    size = 1 + returns.width
    tag = wire.NORMAL_TAG

    def decode(data: bytes) -> Any:
        # A byte, short or int is its two's complement: int.from_bytes(signed=True) casts as
        # the JavaType does.
        if len(data) != size or data[0] != tag:
            return _UNDECODED
        return int.from_bytes(data[1:], "big", signed=True)

    return layout, decode


def _aid(aid: Any) -> bytes:
    if isinstance(aid, AID):
        return aid.value
    if isinstance(aid, str):
        return parse_hex(aid)
    return bytes(aid)


class JCRMIConnect:
    """A Java Card RMI session with one applet, through a ``CardAccessor``.

    ``channel`` is the logical channel the commands use (0..19); ``on_invoke`` is called with
    an ``Invocation`` after every remote call (traces, demos). ``extended_length=True`` sends
    INVOKE as an extended APDU (Le ``00 00``), for an applet implementing ``ExtendedLength``
    whose answers or parameters pass 255 bytes; under T=0 the GET RESPONSE loop reads long
    answers to short commands too.
    """

    REF_WITH_CLASS_NAME = RefFormat.CLASS
    REF_WITH_INTERFACE_NAMES = RefFormat.INTERFACES

    def __init__(self, card_accessor: CardAccessor, *, channel: int = 0,
                 on_invoke: Callable[[Invocation], Any] | None = None,
                 extended_length: bool = False) -> None:
        self.card_accessor = card_accessor
        self.channel = channel
        self.extended_length = extended_length
        self.on_invoke = on_invoke
        self.invoke_ins: int | None = None
        self.ref_format = RefFormat.CLASS
        self.version: tuple[int, int] | None = None
        self.select_response: wire.SelectResponse | None = None
        self._initial: NormalResponse | ErrorResponse | None = None
        self._session = 0
        # (id of a RemoteMethod, hash modifier) -> (that method, its id, its direct plan or
        # None): a SHA-1 and the codec's dispatch per call spared
        self._method_ids: dict[tuple[int, str], tuple[RemoteMethod, int, _Direct | None]] = {}

    def _exchange(self, command: bytes, what: str | RemoteMethod) -> bytes:
        """The response data to ``command``; ``what`` names the command in an error (a method:
        its INVOKE, named only if there is an error)."""
        response = self.card_accessor.exchange_apdu(command)
        if len(response) < 2 or response[-2:] != b"\x90\x00":
            if isinstance(what, RemoteMethod):
                what = f"INVOKE {what.signature}"
            if len(response) < 2:
                raise JCRMIProtocolError(f"{what}: the card answered {len(response)} bytes")
            sw = int.from_bytes(response[-2:], "big")
            raise JCRMIProtocolError(f"{what}: the card answered {sw:04X}", sw)
        return response[:-2]

    def select_applet(self, aid: Any, ref_format: RefFormat = REF_WITH_CLASS_NAME) -> None:
        """SELECT the applet (P2 b5 asks for ``ref_format``) and read its RMI data. A new
        selection ends the previous session: its proxies no longer reach their objects."""
        fmt = RefFormat(ref_format)
        aid_bytes = _aid(aid)
        try:
            command = wire.encode_select(aid_bytes, fmt, self.channel)
        except WireFormatError as exc:
            raise RemoteArgumentError(str(exc)) from None
        data = self._exchange(command, f"SELECT {aid_bytes.hex().upper()}")
        try:
            select = wire.decode_fci(data, fmt)
        except WireFormatError as exc:
            raise JCRMIProtocolError(f"the SELECT response is not Java Card RMI data: {exc}")\
                from exc
        if select.version[0] != wire.RMI_VERSION[0]:
            raise JCRMIProtocolError(f"the card speaks Java Card RMI {select.version[0]}."
                                     f"{select.version[1]}, not 2.x")
        self.select_response = select
        self.version = select.version
        self.invoke_ins = select.invoke_ins
        self.ref_format = fmt
        self._initial = select.initial_ref
        self._session += 1

    def get_initial_reference(self) -> Any:
        """A proxy for the applet's initial remote object (None for a null reference)."""
        if self._initial is None:
            raise JCRMIError("select an applet first: select_applet(aid)")
        if isinstance(self._initial, ErrorResponse):
            raise RemoteInvocationError(self._initial.detail, "initial reference")
        return self.proxy_for(self._initial.value)

    def proxy_for(self, descriptor: ClassRef | InterfacesRef | None) -> Any:
        """The proxy for a reference descriptor of the current session."""
        if descriptor is None:
            return None
        if isinstance(descriptor, ClassRef):
            interfaces = find_class_interfaces(descriptor.package, descriptor.class_name)
            if interfaces is None:
                raise UnknownRemoteTypeError(
                    f"no remote class {descriptor.java_name} is known on this host: import its "
                    "module, declare it with jcsim.rmi.declare_remote_class, or select with "
                    "REF_WITH_INTERFACE_NAMES")
        else:
            found = []
            for package, name in descriptor.interfaces:
                iface = find_interface(package, name)
                if iface is None:
                    raise UnknownRemoteTypeError(
                        f"no remote interface {package}/{name} is declared on this host")
                found.append(iface)
            interfaces = tuple(found) or (Remote,)
        return proxy_class(tuple(interfaces))(RemoteRef(self, descriptor, self._session))

    def invoke(self, ref: RemoteRef, method: RemoteMethod, args: tuple[Any, ...]) -> Any:
        """Marshal ``method(*args)`` on ``ref``'s object into an INVOKE and unmarshal the
        answer: the value, a proxy, or an exception raised here."""
        if self.invoke_ins is None:
            raise JCRMIError("select an applet first: select_applet(aid)")
        descriptor = ref.descriptor
        key = (id(method), descriptor.hash_modifier)
        known = self._method_ids.get(key)
        if known is None or known[0] is not method:
            known = self._method_ids[key] = (method, method.method_id(descriptor.hash_modifier),
                                             _direct_plan(method))
        direct = known[2]
        if (direct is not None and self.on_invoke is None and not self.extended_length
                and 0 <= self.channel <= 3 and len(args) == len(direct[0])):
            # Primitive parameters, a primitive or void answer (getBalance(), debit(20)): the
            # INVOKE and the answer as wire.encode_invoke and wire.decode_response make them,
            # without their dispatch; a value out of range, or any other answer, goes the
            # general way.
            params = b""
            for value, (lowest, highest, mask, width) in zip(args, direct[0], strict=True):
                if type(value) is not int or not lowest <= value <= highest:
                    break
                params += (value & mask).to_bytes(width, "big")
            else:
                object_id, method_id = descriptor.object_id, known[1]
                command = bytes((0x80 | self.channel, self.invoke_ins, 2, 2, 4 + len(params),
                                 object_id >> 8, object_id & 0xFF, method_id >> 8,
                                 method_id & 0xFF)) + params + b"\x00"
                data = self._exchange(command, method)
                value = direct[1](data)
                if value is not _UNDECODED:
                    return value
                return self._outcome(ref, method, args, command, data)
        try:
            params = wire.encode_params(method.params, args)
            command = wire.encode_invoke(ref.object_id, known[1], params, ins=self.invoke_ins,
                                         channel=self.channel, extended=self.extended_length)
        except WireFormatError as exc:
            raise RemoteArgumentError(f"{method.signature}: {exc}") from None
        data = self._exchange(command, method)
        return self._outcome(ref, method, args, command, data)

    def _outcome(self, ref: RemoteRef, method: RemoteMethod, args: tuple[Any, ...],
                 command: bytes, data: bytes) -> Any:
        """The value of an INVOKE's response ``data``, or the exception it means, raised."""
        try:
            outcome = wire.decode_response(data, method.wire_returns, self.ref_format)
        except WireFormatError as exc:
            raise JCRMIProtocolError(f"INVOKE {method.signature}: {exc}") from exc
        if self.on_invoke is not None:
            self.on_invoke(Invocation(method, ref.object_id, tuple(args), command,
                                      data + b"\x90\x00", outcome))
        if isinstance(outcome, ExceptionResponse):
            raise exception_class(outcome.type_code)(outcome, method)
        if isinstance(outcome, ErrorResponse):
            raise RemoteInvocationError(outcome.detail, f"INVOKE {method.signature}")
        if method.returns_remote:
            return self.proxy_for(outcome.value)
        return outcome.value

    def close(self) -> None:
        """Close the card accessor."""
        self.card_accessor.close()
