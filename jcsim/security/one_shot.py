"""The ``OneShot`` classes of Java Card 3.0.5: ``Signature.OneShot``, ``MessageDigest.OneShot``,
``InitializedMessageDigest.OneShot``, ``RandomData.OneShot`` and ``javacardx.crypto``'s
``Cipher.OneShot``.

Theory of operation. ``open`` returns a JCRE-owned temporary entry point object (JCRE 3.0.5
§6.2.1) that delegates to an engine of the requested algorithm configured for one use; an
algorithm the engine classes lack raises NO_SUCH_ALGORITHM, as ``getInstance`` does. An instance
is *open* from ``open`` until the first of: ``close()``; the return of the applet entry point
method that opened it (``process``, ``select``, ...) back to the JCRE; a card reset or tear. A
closed instance answers every call but ``close`` (which then does nothing) with
``CryptoException.ILLEGAL_USE``. An instance is bound to the context that opened it: a call from
another context raises ``SecurityException``. ``update`` always raises ILLEGAL_USE: a OneShot
computes over one buffer in one ``sign`` / ``verify`` / ``doFinal`` call. Nothing of a OneShot
is persistent, so it never writes persistent memory and takes no part in a transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jcsim.framework import _jcre
from jcsim.framework.exceptions import CryptoException
from jcsim.lang import SecurityException

if TYPE_CHECKING:
    from jcsim.crypto.cipher import Cipher

__all__ = [
    "InitializedMessageDigestOneShot", "MessageDigestOneShot", "RandomDataOneShot",
    "SignatureOneShot", "cipher_one_shot",
]


class _OneShot:
    """What every OneShot class shares: open / closed state, owner context, delegation."""

    def _jc_open(self, delegate: Any) -> None:
        self._delegate = delegate
        self._is_open = True
        jcre = _jcre.active_or_none()
        self._owner = getattr(jcre, "context", None)
        if jcre is not None:
            _jcre.hold_temporary(jcre, self)

    def _live(self) -> Any:
        """The delegate, after the checks every method makes first."""
        jcre = _jcre.active_or_none()
        context = getattr(jcre, "context", None)
        if self._owner is not None and context is not None and \
                getattr(context, "package", context) is not getattr(self._owner, "package",
                                                                    self._owner):
            raise SecurityException("a OneShot belongs to the context that opened it")
        if not self._is_open:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        return self._delegate

    def _jc_release(self) -> None:
        """The JCRE takes the instance back (entry point return, reset)."""
        self._is_open = False
        self._delegate = None

    def close(self) -> None:
        """Release this instance to the JCRE; does nothing if already closed."""
        if self._is_open:
            self._live()
            self._jc_release()

    def update(self, *args: Any) -> None:
        """Not supported by a OneShot: always ILLEGAL_USE."""
        self._live()
        raise CryptoException(CryptoException.ILLEGAL_USE)

    def getAlgorithm(self) -> int:
        return self._live().getAlgorithm()

    # The OneShot is never an on-card field value, and the engine state mixin of its Java super
    # class must not hook it to the card: it keeps none.
    def _jc_attach(self) -> None:
        return None

    def _jc_power_up(self) -> None:
        self._jc_release()


def _delegating(*names: str):
    """Methods that check the instance and pass the call to the delegate."""
    def build(name: str):
        def method(self: _OneShot, *args: Any) -> Any:
            return getattr(self._live(), name)(*args)
        method.__name__ = name
        method.__doc__ = f"As the delegate engine's ``{name}``, on an open instance."
        return method
    return {name: build(name) for name in names}


def _make(base: type, name: str, *methods: str) -> type[_OneShot]:
    cls = type(name, (_OneShot, base), {"__module__": __name__, **_delegating(*methods)})
    cls.__qualname__ = f"{base.__name__}.OneShot"
    return cls


def opener(cls: type[_OneShot], factory: Any) -> staticmethod:
    """The static ``open`` of OneShot class ``cls``, whose delegate ``factory`` makes."""
    def open(*args: Any) -> Any:
        one_shot = object.__new__(cls)
        # The delegate is the JCRE's, made for this one use: not an object of the caller's
        # context, not counted in its memory, gone when the instance closes.
        previous = _jcre.bind(None)
        try:
            delegate = factory(*args)
        finally:
            _jcre.unbind(previous)
        one_shot._jc_open(delegate)
        return one_shot
    open.__doc__ = f"An open ``{cls.__qualname__}`` for the algorithm; NO_SUCH_ALGORITHM if " \
                   "it is not supported."
    return staticmethod(open)


def cipher_one_shot(cipher_class: type[Cipher]) -> type[_OneShot]:
    """``Cipher.OneShot`` (built by ``jcsim.crypto``, which sits above this package)."""
    cls = _make(cipher_class, "CipherOneShot", "init", "doFinal", "getCipherAlgorithm",
                "getPaddingAlgorithm")
    type.__setattr__(cls, "open",
                     opener(cls, lambda c, p: cipher_class.getInstance(c, p, False)))
    return cls


def _build() -> tuple[type[_OneShot], type[_OneShot], type[_OneShot], type[_OneShot]]:
    from jcsim.security.message_digest import InitializedMessageDigest, MessageDigest
    from jcsim.security.random_data import RandomData
    from jcsim.security.signature import Signature

    signature = _make(Signature, "SignatureOneShot", "init", "sign", "verify",
                      "signPreComputedHash", "verifyPreComputedHash", "setInitialDigest",
                      "getMessageDigestAlgorithm", "getCipherAlgorithm", "getPaddingAlgorithm",
                      "getLength")
    digest = _make(MessageDigest, "MessageDigestOneShot", "doFinal", "getLength", "reset")
    initialized = _make(InitializedMessageDigest, "InitializedMessageDigestOneShot", "doFinal",
                        "getLength", "reset", "setInitialDigest")
    random = _make(RandomData, "RandomDataOneShot", "nextBytes", "generateData", "setSeed")
    # Class members set past the on-card metaclass (an import can happen while card code runs).
    type.__setattr__(signature, "open", opener(
        signature, lambda md, c, p: Signature.getInstance(md, c, p, False)))
    type.__setattr__(digest, "open", opener(digest, lambda a: MessageDigest.getInstance(a, False)))
    type.__setattr__(initialized, "open", opener(
        initialized, lambda a: MessageDigest.getInitializedMessageDigestInstance(a, False)))
    type.__setattr__(random, "open", opener(random, RandomData.getInstance))
    # Nested classes, not static fields: set past the on-card metaclass, which would make an
    # assignment made while card code runs (a first import from a Java applet) per card.
    type.__setattr__(Signature, "OneShot", signature)
    type.__setattr__(MessageDigest, "OneShot", digest)
    type.__setattr__(InitializedMessageDigest, "OneShot", initialized)
    type.__setattr__(RandomData, "OneShot", random)
    return signature, digest, initialized, random


SignatureOneShot, MessageDigestOneShot, InitializedMessageDigestOneShot, RandomDataOneShot = (
    _build())
