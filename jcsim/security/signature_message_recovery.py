"""Mirrors the ``javacard.security.SignatureMessageRecovery`` interface (Java Card 3.0.5).

No ``Signature`` jcsim builds implements it yet: ``Signature.getInstance`` raises
NO_SUCH_ALGORITHM for ``ALG_RSA_SHA_ISO9796_MR`` and ``ALG_RSA_RIPEMD160_ISO9796_MR`` (README's
algorithm table says so), so an applet that needs ISO 9796-2 message recovery learns it at
``getInstance``, as on a card without it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SignatureMessageRecovery"]


class SignatureMessageRecovery:
    """Mirrors the ``javacard.security.SignatureMessageRecovery`` interface."""

    def init(self, theKey: Any, theMode: int) -> None:
        raise NotImplementedError

    def beginVerify(self, sigAndRecDataBuff: Any, buffOffset: int, sigLength: int) -> int:
        raise NotImplementedError

    def sign(self, inBuff: Any, inOffset: int, inLength: int, sigBuff: Any, sigOffset: int,
             recMsgLen: Any, recMsgLenOffset: int) -> int:
        raise NotImplementedError

    def verify(self, inBuff: Any, inOffset: int, inLength: int) -> bool:
        raise NotImplementedError

    def getAlgorithm(self) -> int:
        raise NotImplementedError

    def getLength(self) -> int:
        raise NotImplementedError

    def update(self, inBuff: Any, inOffset: int, inLength: int) -> None:
        raise NotImplementedError
