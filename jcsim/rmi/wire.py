"""The Java Card RMI wire format (JCRE 3.0.5 ch. 8), sans-IO: bytes in, values out.

Everything the card's ``RMIService`` and the host's ``JCRMIConnect`` say to each other:

- the SELECT response (§8.4.1): ``6F L 6E L 5E L 02 02 invoke_ins initial_ref``;
- remote object reference descriptors (§8.3.2) in both formats, ``remote_ref_with_class``
  (``u2 id, u1 hm_len, hm, u1 pkg_len (≠0), pkg, u1 cls_len, cls``) and
  ``remote_ref_with_interfaces`` (``u2 id, u1 hm_len, hm, u1 count, {u1 pkg_len, pkg, u1
  name_len, name}*``; a zero ``pkg_len`` repeats the previous package), and ``FF FF`` for null;
- method identifiers (§8.3.3): the first two bytes of SHA-1(hash modifier ‖ name ‖ descriptor);
- INVOKE (§8.4.2): ``CLA invoke_ins 02 02 Lc object_id method_id params Le``, parameters
  encoded as in §8.3.4 (boolean 1 byte, byte 1, short 2, int 4, big-endian; an array is a u1
  length then its elements, ``FF`` for a null array);
- the response (§8.3.5): ``81`` normal (void, a value, an array, a reference; null arrays and
  references are ``81 FF FF``), ``82`` / ``83`` an exception (u1 type, s2 reason) of an API class
  or of a subclass of one, ``99`` an error (s2 detail).

Only short APDUs: Lc and Le are one byte (§8.4). The functions here never touch a card or a
socket; ``WireFormatError`` reports bytes that do not follow the format.
"""

from jcsim.rmi._codec import (
    APPLICATION_DATA_TAG,
    DEFAULT_INVOKE_INS,
    ERROR_INTERNAL,
    ERROR_MARSHAL_RESOURCES,
    ERROR_MEANINGS,
    ERROR_METHOD,
    ERROR_OBJECT_ID,
    ERROR_PROTOCOL,
    ERROR_SIGNATURE,
    ERROR_TAG,
    ERROR_UNMARSHAL_RESOURCES,
    EXCEPTION_SUBCLASS_TAG,
    EXCEPTION_TAG,
    EXCEPTION_TYPES,
    FCI_TAG,
    JC_RMI_DATA_TAG,
    MAX_ARRAY_LENGTH,
    NORMAL_TAG,
    NULL_ARRAY,
    NULL_REF,
    REMOTE,
    RMI_VERSION,
    RefFormat,
    WireFormatError,
    decode_params,
    decode_value,
    encode_params,
    encode_value,
    method_id,
)
from jcsim.rmi._messages import (
    ClassRef,
    ErrorResponse,
    ExceptionResponse,
    InterfacesRef,
    Invoke,
    NormalResponse,
    Outcome,
    SelectResponse,
    decode_fci,
    decode_invoke,
    decode_ref,
    decode_response,
    describe_invoke,
    describe_outcome,
    encode_error,
    encode_exception,
    encode_fci,
    encode_invoke,
    encode_normal,
    encode_ref,
    encode_select,
)

__all__ = [
    "APPLICATION_DATA_TAG",
    "DEFAULT_INVOKE_INS",
    "ERROR_INTERNAL",
    "ERROR_MARSHAL_RESOURCES",
    "ERROR_MEANINGS",
    "ERROR_METHOD",
    "ERROR_OBJECT_ID",
    "ERROR_PROTOCOL",
    "ERROR_SIGNATURE",
    "ERROR_TAG",
    "ERROR_UNMARSHAL_RESOURCES",
    "EXCEPTION_SUBCLASS_TAG",
    "EXCEPTION_TAG",
    "EXCEPTION_TYPES",
    "FCI_TAG",
    "JC_RMI_DATA_TAG",
    "MAX_ARRAY_LENGTH",
    "NORMAL_TAG",
    "NULL_ARRAY",
    "NULL_REF",
    "REMOTE",
    "RMI_VERSION",
    "ClassRef",
    "ErrorResponse",
    "ExceptionResponse",
    "InterfacesRef",
    "Invoke",
    "NormalResponse",
    "Outcome",
    "RefFormat",
    "SelectResponse",
    "WireFormatError",
    "decode_fci",
    "decode_invoke",
    "decode_params",
    "decode_ref",
    "decode_response",
    "decode_value",
    "describe_invoke",
    "describe_outcome",
    "encode_error",
    "encode_exception",
    "encode_fci",
    "encode_invoke",
    "encode_normal",
    "encode_params",
    "encode_ref",
    "encode_select",
    "encode_value",
    "method_id",
]
