"""Java Card RMI: remote interfaces and remote objects on the card, and their wire format.

The applet side (JCRE 3.0.5 ch. 8)::

    from jcsim.rmi import CardRemoteObject, Remote, UserException, jshort, remote_interface

    @remote_interface(package="examples/purse")
    class Purse(Remote):
        REQUEST_FAILED = 0x0102
        def debit(self, amount: jshort) -> jshort: ...

    class PurseImpl(CardRemoteObject, Purse, package="examples/purse"):
        def debit(self, amount):
            ...

Serve it with ``jcsim.framework.service.RMIService``; call it from the host with
``jcsim.rmi.client.JCRMIConnect``. ``jcsim.rmi.types`` has the Java types of the declarations,
``jcsim.rmi.wire`` the byte format both sides speak.
"""

from typing import Any

from jcsim.framework.exceptions import UserException
from jcsim.rmi.remote import (
    Remote,
    RemoteException,
    RemoteMethod,
    declare_remote_class,
    java_method,
    remote_interface,
)
from jcsim.rmi.types import JavaType, jboolean, jbyte, jint, jshort, jvoid

__all__ = [
    "CardRemoteObject",
    "JavaType",
    "Remote",
    "RemoteException",
    "RemoteMethod",
    "UserException",
    "declare_remote_class",
    "java_method",
    "jboolean",
    "jbyte",
    "jint",
    "jshort",
    "jvoid",
    "remote_interface",
]


def __getattr__(name: str) -> Any:
    # CardRemoteObject lives in javacard.framework.service, which imports this package's
    # modules: import it on first use to keep the import graph acyclic.
    if name == "CardRemoteObject":
        from jcsim.framework.service.card_remote_object import CardRemoteObject

        return CardRemoteObject
    raise AttributeError(f"module 'jcsim.rmi' has no attribute {name!r}")
