"""Mirrors ``javacardx.biometry.BioBuilder`` (Java Card 3.0.5): builds jcsim's reference
template (``jcsim.x.biometry.template``) for every biometric type the API defines."""

from __future__ import annotations

from typing import Any

from jcsim.x.biometry.interfaces import BioException, OwnerBioTemplate
from jcsim.x.biometry.template import SimpleBioTemplate

__all__ = ["BioBuilder"]


class BioBuilder:
    """Mirrors ``javacardx.biometry.BioBuilder``."""

    FACIAL_FEATURE = 1
    VOICE_PRINT = 2
    FINGERPRINT = 3
    IRIS_SCAN = 4
    RETINA_SCAN = 5
    HAND_GEOMETRY = 6
    SIGNATURE = 7
    KEYSTROKES = 8
    LIP_MOVEMENT = 9
    THERMAL_FACE = 10
    THERMAL_HAND = 11
    GAIT_STYLE = 12
    BODY_ODOR = 13
    DNA_SCAN = 14
    EAR_GEOMETRY = 15
    FINGER_GEOMETRY = 16
    PALM_GEOMETRY = 17
    VEIN_PATTERN = 18
    PASSWORD = 31
    DEFAULT_INITPARAM = 0

    _TYPES = frozenset(range(1, 19)) | {31}

    @staticmethod
    def buildBioTemplate(bioType: int, tryLimit: int, RID: Any = None,
                         initParam: int = 0) -> OwnerBioTemplate:
        """``buildBioTemplate(bioType, tryLimit)`` or ``(bioType, tryLimit, RID, initParam)``:
        an empty reference template; ILLEGAL_VALUE for a try limit below 1,
        NO_SUCH_BIO_TEMPLATE for an unknown type or a provider other than the default."""
        if tryLimit < 1:
            raise BioException(BioException.ILLEGAL_VALUE)
        if bioType not in BioBuilder._TYPES or RID is not None:
            raise BioException(BioException.NO_SUCH_BIO_TEMPLATE)
        return SimpleBioTemplate(bioType, tryLimit)
