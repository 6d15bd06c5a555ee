"""``javacard.security.CryptoException``, re-exported from the framework's exception family.

Mirrors ``javacard.security.CryptoException`` (Java Card 3.0.5): reasons ILLEGAL_VALUE=1,
UNINITIALIZED_KEY=2, NO_SUCH_ALGORITHM=3, INVALID_INIT=4, ILLEGAL_USE=5. The class itself lives
in ``jcsim.framework.exceptions`` so the JCRE's dispatcher knows it without importing this package.
"""

from jcsim.framework.exceptions import CryptoException

__all__ = ["CryptoException"]
