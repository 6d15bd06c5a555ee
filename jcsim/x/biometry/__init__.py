"""``javacardx.biometry``: biometric reference templates, with jcsim's deterministic matcher
(``jcsim.x.biometry.template`` documents how it scores)."""

from jcsim.x.biometry.builder import BioBuilder
from jcsim.x.biometry.interfaces import (
    BioException,
    BioTemplate,
    OwnerBioTemplate,
    SharedBioTemplate,
)

__all__ = ["BioBuilder", "BioException", "BioTemplate", "OwnerBioTemplate", "SharedBioTemplate"]
