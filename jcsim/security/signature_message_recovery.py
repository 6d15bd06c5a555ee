"""Mirrors the ``javacard.security.SignatureMessageRecovery`` interface (Java Card 3.0.5).

``Signature.getInstance(ALG_RSA_SHA_ISO9796_MR)`` and ``ALG_RSA_RIPEMD160_ISO9796_MR`` return
an object implementing it (``jcsim.security._iso9796``, ISO/IEC 9796-2 scheme 1); an applet
casts the Signature to this interface as in Java, or just calls the seven-argument ``sign``,
``beginVerify`` and the three-argument ``verify`` on it.
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
