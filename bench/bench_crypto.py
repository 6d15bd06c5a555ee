"""Crypto throughput through the jcsim API: AES-CBC on 256 bytes, ECDSA P-256 signing.

Run ``python bench/bench_crypto.py``; it prints operations per second for BENCHMARKS.md.
Each figure is the best of three one-second runs of ``Cipher.doFinal`` / ``Signature.sign``
called as an applet calls them (ByteArray buffers, offsets and lengths).
"""

from __future__ import annotations

import time

from jcsim.crypto import Cipher
from jcsim.framework import ByteArray
from jcsim.security import KeyBuilder, KeyPair, Signature


def rate(operation, seconds: float = 1.0, runs: int = 3) -> float:
    best = 0.0
    for _ in range(runs):
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            for _ in range(50):
                operation()
            count += 50
        best = max(best, count / elapsed)
    return best


def aes_cbc_256_bytes() -> float:
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, False)
    key.setKey(bytes(range(16)), 0)
    cipher = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, False)
    cipher.init(key, Cipher.MODE_ENCRYPT, bytes(16), 0, 16)
    data, out = ByteArray(256), ByteArray(256)
    return rate(lambda: cipher.doFinal(data, 0, 256, out, 0))


def ecdsa_p256_sign() -> float:
    pair = KeyPair(KeyPair.ALG_EC_FP, KeyBuilder.LENGTH_EC_FP_256)
    pair.genKeyPair()
    signature = Signature.getInstance(Signature.ALG_ECDSA_SHA_256, False)
    signature.init(pair.getPrivate(), Signature.MODE_SIGN)
    message, out = ByteArray(32), ByteArray(72)
    return rate(lambda: signature.sign(message, 0, 32, out, 0))


def main() -> None:
    aes = aes_cbc_256_bytes()
    print(f"AES-128-CBC doFinal, 256 bytes: {aes:,.0f} ops/s ({aes * 256 / 1e6:.1f} MB/s)")
    ecdsa = ecdsa_p256_sign()
    print(f"ECDSA P-256 SHA-256 sign:       {ecdsa:,.0f} signatures/s")


if __name__ == "__main__":
    main()
