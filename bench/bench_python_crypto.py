"""Speed of the algorithms jcsim computes in Python: the small EC curves, RIPEMD-160, ISO 9796-2.

Run ``python bench/bench_python_crypto.py``; it prints operations per second (best, median and
worst of five one-second runs) for BENCHMARKS.md, each called as an applet calls it (ByteArray
buffers, offsets and lengths). ECDSA on P-256 (OpenSSL underneath) is printed for scale.
"""

from __future__ import annotations

import statistics
import time

from jcsim.framework import ByteArray, ShortArray
from jcsim.security import KeyAgreement, KeyBuilder, KeyPair, MessageDigest, Signature


def rates(operation, seconds: float = 1.0, runs: int = 5) -> list[float]:
    out = []
    for _ in range(runs):
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            operation()
            count += 1
        out.append(count / elapsed)
    return out


def ecdsa_sign(bits: int):
    pair = KeyPair(KeyPair.ALG_EC_FP, bits)
    pair.genKeyPair()
    signature = Signature.getInstance(Signature.ALG_ECDSA_SHA_256, False)
    signature.init(pair.getPrivate(), Signature.MODE_SIGN)
    message, out = ByteArray(32), ByteArray(signature.getLength())
    return lambda: signature.sign(message, 0, 32, out, 0)


def ecdsa_verify(bits: int):
    pair = KeyPair(KeyPair.ALG_EC_FP, bits)
    pair.genKeyPair()
    signature = Signature.getInstance(Signature.ALG_ECDSA_SHA_256, False)
    signature.init(pair.getPrivate(), Signature.MODE_SIGN)
    message, out = ByteArray(32), ByteArray(signature.getLength())
    n = signature.sign(message, 0, 32, out, 0)
    signature.init(pair.getPublic(), Signature.MODE_VERIFY)
    return lambda: signature.verify(message, 0, 32, out, 0, n)


def ecdh(bits: int):
    pairs = [KeyPair(KeyPair.ALG_EC_FP, bits) for _ in range(2)]
    for pair in pairs:
        pair.genKeyPair()
    w = ByteArray(1 + 2 * ((bits + 7) // 8))
    pairs[1].getPublic().getW(w, 0)
    agreement = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH_PLAIN, False)
    agreement.init(pairs[0].getPrivate())
    out = ByteArray(len(w))
    return lambda: agreement.generateSecret(w, 0, len(w), out, 0)


def ripemd160_1k():
    md = MessageDigest.getInstance(MessageDigest.ALG_RIPEMD160, False)
    data, out = ByteArray(1024), ByteArray(20)
    return lambda: md.doFinal(data, 0, 1024, out, 0)


def iso9796_mr_sign():
    pair = KeyPair(KeyPair.ALG_RSA_CRT, 1024)
    pair.genKeyPair()
    signature = Signature.getInstance(Signature.ALG_RSA_SHA_ISO9796_MR, False)
    signature.init(pair.getPrivate(), Signature.MODE_SIGN)
    message, out, count = ByteArray(64), ByteArray(128), ShortArray(1)
    return lambda: signature.sign(message, 0, 64, out, 0, count, 0)


def main() -> None:
    cases = [("ECDSA secp160r1 SHA-256 sign", ecdsa_sign(160)),
             ("ECDSA secp160r1 SHA-256 verify", ecdsa_verify(160)),
             ("ECDH secp160r1 (DH_PLAIN)", ecdh(160)),
             ("ECDSA secp112r1 SHA-256 sign", ecdsa_sign(112)),
             ("ECDSA P-256 SHA-256 sign (OpenSSL)", ecdsa_sign(256)),
             ("RIPEMD-160 doFinal, 1 KiB", ripemd160_1k()),
             ("RSA-1024 ISO 9796-2 MR sign, 64 bytes", iso9796_mr_sign())]
    for name, operation in cases:
        figures = sorted(rates(operation))
        print(f"{name:40s} {figures[-1]:10,.0f} best {statistics.median(figures):10,.0f} median "
              f"{figures[0]:10,.0f} worst  ops/s")


if __name__ == "__main__":
    main()
