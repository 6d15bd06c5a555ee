"""What of a crypto engine object survives a card reset, and what does not.

Java Card 3.0.5 makes ``Cipher``, ``AEADCipher``, ``Signature``, ``MessageDigest``,
``InitializedMessageDigest`` and ``Checksum`` objects persistent, yet says that "a tear or card
reset event resets" them: a ``Cipher`` or ``Signature`` keeps the key and mode of its last
``init`` with every other value back at its ``init(Key, byte)`` default (an IV of zeros, the
default PSS salt: the Java Card 3.1 and 3.2 wording of the same rule), a digest or a checksum
returns to its state upon construction. And "even if a transaction is in progress, update of
intermediate result state in the implementation instance shall not participate in the
transaction".

jcsim models it so:

- an engine is an on-card ``Object`` (``CardEngine``): card code that makes one (``getInstance``)
  makes it owned by the running context, and the applet firewall guards its public methods, the
  only way Java code reaches it (a call from another package's context raises
  ``SecurityException``; the JCRE's context, and engines made outside card code, are open to
  all);
- its *init state* (the key reference and mode of the last ``init``) is persistent: those two
  fields are journaled like any field of a persistent object (JCRE 3.0.5 ch. 7), so an ``init``
  inside an aborted transaction, or a transaction a tear interrupts, is undone and the engine is
  back to its previous key and mode (or uninitialized), with the working state of that previous
  ``init`` (reset as below). Everything else -- the algorithm parameters given to ``init``, the
  chaining value, buffered input, a digest's running state: the "intermediate result state" --
  is never journaled: an abort leaves it as it is, it costs no commit capacity and it is not a
  persistent write for tear simulation;
- ``_jc_persistent()`` is the part that survives a reset (algorithm, key reference, mode); a card
  image stores exactly that (``_jc_image_state``) with the owning context, and loading rebuilds
  the object from it (``_jc_image_restore``) in the state a reset leaves it in, so a saved and
  loaded card behaves as the same card after a power cycle;
- ``_jc_power_up()`` puts the object in that state. The card calls it at every reset, power loss
  and tear, through a hook in its CLEAR_ON_RESET memory registered when card code creates the
  object or, for an object built outside card code or loaded from an image, when card code first
  uses it (``_jc_attach``); and after a rollback has restored its init state.

Memory (``jcsim.runtime.memory``): an engine costs a fixed size from ``getInstance`` on, its
class's ``_jc_footprint`` past the object header: 4 bytes for each persistent field (algorithm
codes, key reference, mode) plus the RAM-sized working buffer an implementation of its family
keeps (see ``FOOTPRINTS`` below and the README's memory section). Its fields are not counted one
by one as an ordinary object's are.

Neither ``_jc_power_up`` nor ``_jc_image_restore`` may read key material: at a reset a transient
key can be cleared by the same event, and while an image loads the key may not be filled in yet.
Key material is read when an operation runs.
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any

from jcsim.framework import _jcre
from jcsim.framework.card_object import Object
from jcsim.framework.firewall import may_access
from jcsim.lang import SecurityException
from jcsim.security.keys import Key

__all__ = ["FOOTPRINTS", "CardEngine", "EngineState", "check_key_and_mode", "footprint"]

# Field size of the memory model (jcsim.runtime.memory.FIELD_SIZE; the runtime sits above).
_FIELD = 4


def footprint(fields: int, working: int) -> int:
    """An engine's size past the object header: its persistent fields and working buffer."""
    return _FIELD * fields + working


# Engine family -> (persistent fields, working-state bytes), the size model of each kind:
#   Cipher:           algorithm, cipher, padding, key, mode; a chaining value and a partial
#                     block of a 16-byte block cipher (2 x 16).
#   AEADCipher:       as Cipher, plus the counter block and the running tag (2 x 16 more).
#   Signature:        algorithm, digest, cipher, padding, key, mode; a SHA-512 state and block
#                     (64 + 128), the widest digest a signature hashes with.
#   MessageDigest:    algorithm; a SHA-512 state and block (64 + 128).
#   Checksum:         algorithm; the running CRC (4).
#   RandomData:       algorithm; an HMAC-DRBG's K and V (2 x 32).
FOOTPRINTS: dict[str, tuple[int, int]] = {
    "Cipher": (5, 32),
    "AEADCipher": (5, 64),
    "Signature": (6, 192),
    "MessageDigest": (1, 192),
    "Checksum": (1, 4),
    "RandomData": (1, 64),
}

_CLEAR_ON_RESET = 1


class _ResetHook:
    """The entry an engine keeps in the card's CLEAR_ON_RESET memory.

    The engine is not itself transient (``JCSystem.isTransient`` answers NOT_A_TRANSIENT_OBJECT
    for a Cipher), so this small object stands in the card's list for it.
    """

    def __init__(self, engine: EngineState) -> None:
        self._engine = engine

    def _jc_clear(self) -> None:
        self._engine._jc_power_up()


_oga = object.__getattribute__


def _guarded(method: Any) -> Any:
    """``method`` with the firewall's check of the calling context in front of it."""

    @functools.wraps(method)
    def call(self: Any, *args: Any) -> Any:
        owner = _oga(self, "_jc_owner")
        if not may_access(owner):
            raise SecurityException(f"firewall: {_jcre.active().context!r} may not use "
                                    f"{type(self).__name__}.{method.__name__} of {owner!r}")
        return method(self, *args)

    vars(call)["_jc_guarded"] = True
    return call


class CardEngine(Object):
    """An on-card crypto engine: owned, firewalled, of a fixed size; only the fields named in
    ``_jc_journaled`` take part in transactions (see the module doc).

    The firewall guards an engine at its public methods, the only way Java code reaches it (its
    fields are private): each is wrapped with the context check, and attribute reads skip the
    per-read hook other objects have, which would double the cost of a crypto call.
    """

    _jc_journaled: frozenset[str] = frozenset()
    _jc_footprint = 0
    __getattribute__ = object.__getattribute__

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(value) and \
                    not getattr(value, "_jc_guarded", False):
                # Part of making the class, not a static field write (a class may be made while
                # card code runs): past JavaClass's hook.
                type.__setattr__(cls, name, _guarded(value))

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._jc_journaled:
            Object.__setattr__(self, name, value)  # journaled (and firewalled when hooked)
        else:
            object.__setattr__(self, name, value)

    def _jc_after_rollback(self) -> None:
        """A rollback restored journaled fields: bring the working state in line with them."""


class EngineState(CardEngine):
    """Crypto objects with working state that a reset discards (see module doc)."""

    _jc_journaled = frozenset({"_key", "_mode"})
    _key: Any  # the key given to init, None before
    _mode: int

    # Set on the instance once a card resets it; never part of the image, so a loaded object
    # attaches itself to the card it was loaded into.
    _jc_hooked = False

    def _jc_attach(self) -> None:
        """Make the running card's resets reach this object (once per object)."""
        if self._jc_hooked:
            return
        jcre = _jcre.active_or_none()
        if jcre is None:
            return  # outside card code: no card resets it
        jcre.make_transient(_ResetHook(self), _CLEAR_ON_RESET)
        self._jc_hooked = True

    # --- what each class provides ------------------------------------------------------------

    def _jc_persistent(self) -> tuple[Any, ...]:
        """The state that survives a reset, as image values (numbers, bytes, key references)."""
        raise NotImplementedError

    def _jc_revive(self, state: Any) -> None:
        """Set the surviving state from ``_jc_persistent``'s value; TypeError / ValueError if it
        is malformed (the image loader reports those as a corrupt image)."""
        raise NotImplementedError

    def _jc_power_up(self) -> None:
        """Discard the working state: back to the state a card reset leaves."""
        raise NotImplementedError

    if TYPE_CHECKING:  # each engine family (Cipher, Signature, ...) says which keys it takes
        def _key_fits(self, key: Any, mode: int) -> bool: ...

    # --- card images (jcsim.runtime.image) ---------------------------------------------------

    def _init_arguments(self, theKey: Any, theMode: int, modes: tuple[int, int],
                        params: tuple[Any, ...]) -> bytes | None:
        """The checks ``Cipher.init`` and ``Signature.init`` share, in the javadoc's order;
        returns the optional ``bArray, bOff, bLen`` parameter bytes."""
        from jcsim.framework.exceptions import CryptoException
        from jcsim.lang import NullPointerException
        from jcsim.security._buffers import read

        self._jc_attach()
        if theMode not in modes:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        if theKey is None:
            raise NullPointerException("theKey is null")
        if len(params) not in (0, 3):
            raise TypeError("init takes (theKey, theMode) or (theKey, theMode, bArray, bOff, bLen)")
        if not self._key_fits(theKey, theMode):
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        if not theKey.isInitialized():
            raise CryptoException(CryptoException.UNINITIALIZED_KEY)
        return read(params[0], params[1], params[2], "bArray") if params else None

    def _ready(self, mode: int = 0) -> None:
        """Before an operation: ``init`` done (in ``mode`` when given) and the key still holds
        its value (a transient key may have lost it)."""
        from jcsim.framework.exceptions import CryptoException

        self._jc_attach()
        key = self._key
        if key is None or (mode and self._mode != mode):
            raise CryptoException(CryptoException.INVALID_INIT)
        if not key.isInitialized():
            raise CryptoException(CryptoException.UNINITIALIZED_KEY)

    def _jc_after_rollback(self) -> None:
        self._jc_power_up()

    def _jc_image_state(self) -> tuple[Any, ...]:
        return self._jc_persistent()

    def _jc_image_restore(self, state: Any) -> None:
        if not isinstance(state, tuple):
            raise TypeError(f"{type(self).__name__} image state must be a tuple")
        self._jc_revive(state)
        self._jc_power_up()


def check_key_and_mode(key: Any, mode: int, modes: tuple[int, ...]) -> None:
    """The checks ``_jc_revive`` makes on a restored key reference and mode."""
    if key is None:
        if mode != 0:
            raise ValueError("a mode without a key")
        return
    if not isinstance(key, Key) or mode not in modes:
        raise ValueError("not a key and a mode of this object")
