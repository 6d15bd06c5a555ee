"""jcsim's biometric provider: a deterministic reference template and matcher for tests.

``BioBuilder.buildBioTemplate`` (Java Card 3.0.5) returns this ``OwnerBioTemplate`` for every
biometric type the API names (RID null: jcsim has only the default provider). Real matchers
compare feature sets with vendor algorithms; this one is simple and documented so tests can
predict it:

- The reference is the enrollment data: ``init`` starts it (clearing any previous reference and
  the validated flag), ``update`` appends, ``doFinal`` completes it (1 to 1024 bytes, else
  INVALID_DATA), resets the try counter and unblocks. ``update`` / ``doFinal`` out of sequence
  (no ``init``, or after ``doFinal``) are ILLEGAL_USE.
- A candidate is compared byte by byte with the reference. While the candidate data given to
  ``initMatch`` and then ``match`` is shorter than the reference, the session needs more data
  (``MATCH_NEEDS_MORE_DATA``). Then the score is ``32767 * equal / max(len(reference),
  len(candidate))``, ``equal`` being the positions where both hold the same byte: an exact
  candidate scores 32767, and a candidate matches (score >= MINIMUM_SUCCESSFUL_MATCH_SCORE,
  16384) only when more than half of it agrees.
- ``initMatch`` on an unblocked reference clears the validated flag and spends a try before
  comparing; a match sets the flag and restores the tries. A blocked reference answers 0 and
  starts no session. The counter, the flag and the session never take part in a transaction;
  the flag and the session are lost at a card reset (CLEAR_ON_RESET).
- ``getVersion`` writes 2 bytes, 01 00 (matcher version 1.0); there is no public template data
  (``getPublicTemplateData`` returns 0).
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.arrays import BooleanArray, ObjectArray
from jcsim.framework.card_object import Object
from jcsim.framework.util import _check, _write
from jcsim.x.biometry.interfaces import BioException, BioTemplate, OwnerBioTemplate

__all__ = ["MAX_TEMPLATE", "VERSION", "SimpleBioTemplate", "score"]

MAX_TEMPLATE = 1024
VERSION = b"\x01\x00"
_CLEAR_ON_RESET = 1
_TOP_SCORE = 32767


def score(reference: bytes, candidate: bytes) -> int:
    """The matcher's score of ``candidate`` against ``reference`` (see module doc)."""
    equal = sum(1 for a, b in zip(reference, candidate, strict=False) if a == b)
    return _TOP_SCORE * equal // max(len(reference), len(candidate))


def _transient(array: Any) -> Any:
    jcre = _jcre.active_or_none()
    if jcre is not None:
        jcre.make_transient(array, _CLEAR_ON_RESET)
    else:
        array._transient = _CLEAR_ON_RESET
    return array


def _data(bArray: Any, offset: int, length: int) -> bytes:
    _check(bArray, offset, length, "bArray")
    return bytes(bArray[offset:offset + length])


class SimpleBioTemplate(Object, OwnerBioTemplate):
    """The reference template ``BioBuilder`` builds (see module doc)."""

    _tries: int  # written outside the transaction journal, as OwnerPIN's

    def __init__(self, bioType: int, tryLimit: int) -> None:
        self._bio_type = bioType
        self._try_limit = tryLimit
        self._jc_set_untracked("_tries", tryLimit)
        self._reference = b""
        self._enrolling = False
        self._initialized = False
        self._validated = _transient(BooleanArray(1))
        self._session = _transient(ObjectArray(1))  # the candidate data so far, or None

    # --- enrollment --------------------------------------------------------------------------

    def init(self, bArray: Any, offset: int, length: int) -> None:
        """Start (or restart) enrollment with the first reference data."""
        data = _data(bArray, offset, length)
        if len(data) > MAX_TEMPLATE:
            raise BioException(BioException.INVALID_DATA)
        self._validated[0] = False
        self._session[0] = None
        self._initialized = False
        self._reference = data
        self._enrolling = True

    def update(self, bArray: Any, offset: int, length: int) -> None:
        """Append reference data during enrollment."""
        data = _data(bArray, offset, length)
        if not self._enrolling:
            raise BioException(BioException.ILLEGAL_USE)
        if len(self._reference) + len(data) > MAX_TEMPLATE:
            raise BioException(BioException.INVALID_DATA)
        self._reference = self._reference + data

    def doFinal(self) -> None:
        """Complete enrollment: the reference is ready, the tries restored, unblocked."""
        if not self._enrolling:
            raise BioException(BioException.ILLEGAL_USE)
        if not self._reference:
            raise BioException(BioException.INVALID_DATA)
        self._enrolling = False
        self._initialized = True
        self._jc_set_untracked("_tries", self._try_limit)

    def resetUnblockAndSetTryLimit(self, newTryLimit: int) -> None:
        """Clear the flag, set the try limit and restore the tries."""
        if newTryLimit < 1:
            raise BioException(BioException.ILLEGAL_VALUE)
        self._validated[0] = False
        self._session[0] = None
        self._try_limit = newTryLimit
        self._jc_set_untracked("_tries", newTryLimit)

    # --- BioTemplate -------------------------------------------------------------------------

    def isInitialized(self) -> bool:
        return self._initialized

    def isValidated(self) -> bool:
        return self._validated[0]

    def reset(self) -> None:
        """Clear the validated flag (and any matching session)."""
        self._validated[0] = False
        self._session[0] = None

    def _enrolled(self) -> None:
        if not self._initialized:
            raise BioException(BioException.NO_TEMPLATES_ENROLLED)

    def getTriesRemaining(self) -> int:
        self._enrolled()
        return self._tries

    def getBioType(self) -> int:
        return self._bio_type

    def getVersion(self, dest: Any, offset: int) -> int:
        _check(dest, offset, len(VERSION), "dest")
        _write(dest, offset, VERSION, True)
        return len(VERSION)

    def getPublicTemplateData(self, publicOffset: int, dest: Any, destOffset: int,
                              length: int) -> int:
        self._enrolled()
        return 0

    def _score(self, candidate: bytes) -> int:
        if len(candidate) < len(self._reference):
            self._session[0] = candidate
            return BioTemplate.MATCH_NEEDS_MORE_DATA
        self._session[0] = None
        result = score(self._reference, candidate)
        if result >= BioTemplate.MINIMUM_SUCCESSFUL_MATCH_SCORE:
            self._validated[0] = True
            self._jc_set_untracked("_tries", self._try_limit)
        return result

    def initMatch(self, candidate: Any, offset: int, length: int) -> int:
        """Start a matching session (spending a try first); returns the score or
        MATCH_NEEDS_MORE_DATA; 0 if the reference is blocked."""
        data = _data(candidate, offset, length)
        self._enrolled()
        self._session[0] = None
        if self._tries == 0:
            return 0
        self._validated[0] = False
        self._jc_set_untracked("_tries", self._tries - 1)
        if not data:
            raise BioException(BioException.INVALID_DATA)
        return self._score(data)

    def match(self, candidate: Any, offset: int, length: int) -> int:
        """Continue a session that needs more data."""
        data = _data(candidate, offset, length)
        self._enrolled()
        so_far = self._session[0]
        if so_far is None:
            raise BioException(BioException.ILLEGAL_USE)
        if not data:
            raise BioException(BioException.INVALID_DATA)
        return self._score(so_far + data)
