"""``javacardx.framework.tlv``: BER tags and TLVs as objects, and static methods that parse and
edit them in byte arrays."""

from jcsim.x.framework.tlv.ber_tag import BERTag, ConstructedBERTag, PrimitiveBERTag
from jcsim.x.framework.tlv.ber_tlv import BERTLV
from jcsim.x.framework.tlv.constructed_ber_tlv import ConstructedBERTLV
from jcsim.x.framework.tlv.primitive_ber_tlv import PrimitiveBERTLV
from jcsim.x.framework.tlv.tlv_exception import TLVException

__all__ = [
    "BERTLV", "BERTag", "ConstructedBERTLV", "ConstructedBERTag", "PrimitiveBERTLV",
    "PrimitiveBERTag", "TLVException",
]
