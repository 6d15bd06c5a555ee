"""docs/crypto.md's algorithm table lists every constant and tells the truth about support.

The table is rendered from what ``getInstance`` / ``buildKey`` / ``KeyPair`` actually do, so it
cannot drift: this test fails when the page and the code disagree. Regenerate the page's
table (between its crypto-table markers) with ``python tests/security/test_security_algorithm_table.py``.
"""

from __future__ import annotations

from pathlib import Path

from jcsim.crypto import AEADCipher, Cipher
from jcsim.framework import CryptoException
from jcsim.security import (
    Checksum,
    KeyAgreement,
    KeyBuilder,
    KeyPair,
    MessageDigest,
    RandomData,
    Signature,
)

PAGE = Path(__file__).resolve().parents[2] / "docs" / "crypto.md"
START = "<!-- crypto-table:start -->\n"
END = "<!-- crypto-table:end -->\n"
KEY_LENGTHS = sorted({v for k, v in vars(KeyBuilder).items() if k.startswith("LENGTH_")} | {80})


def _works(call, *args) -> bool:
    try:
        call(*args)
    except CryptoException as exc:
        assert exc.getReason() in (CryptoException.NO_SUCH_ALGORITHM,
                                   CryptoException.ILLEGAL_VALUE), exc
        return False
    return True


def _constants(cls, prefix, own_only=False):
    names = vars(cls) if own_only else {k: getattr(cls, k) for k in dir(cls)}
    return [(k, v) for k, v in names.items() if k.startswith(prefix) and isinstance(v, int)]


def _rows():
    rows = []

    def add(cls_name, name, value, supported, note=""):
        java = value - 256 if value > 127 and not name.startswith("LENGTH_") else value
        rows.append((cls_name, name, java, "yes" if supported else "no", note))

    for name, v in _constants(Cipher, "ALG_", own_only=True):
        add("Cipher", name, v, _works(Cipher.getInstance, v, False))
    for name, v in _constants(Cipher, "CIPHER_", own_only=True):
        add("Cipher", name, v, any(_works(Cipher.getInstance, v, p, False) for p in range(21)),
            "with some PAD_*")
    for name, v in _constants(Cipher, "PAD_", own_only=True):
        ciphers = range(1, 8)
        sig = any(_works(Signature.getInstance, md, c, v, False)
                  for md in range(12) for c in range(1, 11))
        add("Cipher", name, v, sig or any(_works(Cipher.getInstance, c, v, False) for c in ciphers)
            or (v == 0 and _works(Cipher.getInstance, AEADCipher.CIPHER_AES_GCM, v, False)),
            "with some CIPHER_* / SIG_CIPHER_*")
    for name, v in _constants(AEADCipher, "ALG_", own_only=True):
        add("AEADCipher", name, v, _works(Cipher.getInstance, v, False))
    for name, v in _constants(AEADCipher, "CIPHER_", own_only=True):
        add("AEADCipher", name, v, _works(Cipher.getInstance, v, Cipher.PAD_NULL, False),
            "with PAD_NULL")
    for name, v in _constants(Signature, "ALG_"):
        add("Signature", name, v, _works(Signature.getInstance, v, False))
    for name, v in _constants(Signature, "SIG_CIPHER_"):
        add("Signature", name, v, any(_works(Signature.getInstance, md, v, p, False)
                                      for md in range(12) for p in range(13)),
            "with some digest / PAD_*")
    for name, v in _constants(MessageDigest, "ALG_"):
        init = _works(MessageDigest.getInitializedMessageDigestInstance, v, False)
        add("MessageDigest", name, v, _works(MessageDigest.getInstance, v, False),
            "also InitializedMessageDigest" if init else "")
    for name, v in _constants(KeyBuilder, "TYPE_"):
        add("KeyBuilder", name, v, any(_works(KeyBuilder.buildKey, v, n, False)
                                       for n in KEY_LENGTHS))
    for name, v in _constants(KeyBuilder, "ALG_TYPE_"):
        supported = any(_works(KeyBuilder.buildKey, v, m, n, False)
                        for m in range(3) for n in KEY_LENGTHS)
        shared = supported and name.endswith("_PARAMETERS")
        add("KeyBuilder", name, v, supported, "for buildKeyWithSharedDomain" if shared else "")
    families = {"DES": KeyBuilder.TYPE_DES, "RSA": KeyBuilder.TYPE_RSA_PUBLIC,
                "DSA": KeyBuilder.TYPE_DSA_PUBLIC, "EC_FP": KeyBuilder.TYPE_EC_FP_PUBLIC,
                "EC_F2M": KeyBuilder.TYPE_EC_F2M_PUBLIC, "AES": KeyBuilder.TYPE_AES,
                "KOREAN_SEED": KeyBuilder.TYPE_KOREAN_SEED, "HMAC": KeyBuilder.TYPE_HMAC,
                "DH": KeyBuilder.TYPE_DH_PUBLIC}
    for name, v in _constants(KeyBuilder, "LENGTH_"):
        family = next(f for f in sorted(families, key=len, reverse=True)
                      if name.startswith(f"LENGTH_{f}_") or name == f"LENGTH_{f}"
                      or name.startswith(f"LENGTH_{f}3"))
        add("KeyBuilder", name, v, _works(KeyBuilder.buildKey, families[family], v, False))
    for name, v in _constants(KeyPair, "ALG_"):
        add("KeyPair", name, v, any(_works(KeyPair, v, n) for n in (256, 512, 1024)))
    for cls, call in ((RandomData, lambda v: RandomData.getInstance(v)),
                      (KeyAgreement, lambda v: KeyAgreement.getInstance(v, False)),
                      (Checksum, lambda v: Checksum.getInstance(v, False))):
        for name, v in _constants(cls, "ALG_"):
            add(cls.__name__, name, v, _works(call, v))
    return rows


def render() -> str:
    lines = [
        "| Class | Constant | Value | Supported | Note |",
        "| --- | --- | ---: | :---: | --- |",
    ]
    for cls_name, name, value, supported, note in _rows():
        lines.append(f"| {cls_name} | `{name}` | {value} | {supported} | {note} |")
    return "\n".join(lines) + "\n"


def _split(text: str) -> tuple[str, str, str]:
    head, _, rest = text.partition(START)
    table, _, tail = rest.partition(END)
    return head, table, tail


def test_the_docs_algorithm_table_matches_the_code():
    _head, table, _tail = _split(PAGE.read_text(encoding="utf-8"))
    assert table == render()


if __name__ == "__main__":
    head, _table, tail = _split(PAGE.read_text(encoding="utf-8"))
    PAGE.write_text(head + START + render() + END + tail, encoding="utf-8")
