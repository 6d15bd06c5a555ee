"""The Java Card RMI wire format against the byte vectors of tests/vectors/jcrmi.json: the
codec both ways, and the bytes a real card (PurseApplet) puts on the wire."""

from __future__ import annotations

import pytest

from jcsim import Simulator
from jcsim.rmi import wire
from jcsim.rmi.remote import RemoteMethod
from jcsim.rmi.types import jboolean, jbyte, jint, jshort, jvoid
from jcsim.rmi.wire import (
    ClassRef,
    ErrorResponse,
    ExceptionResponse,
    InterfacesRef,
    NormalResponse,
    RefFormat,
)
from jcsim.samples.purse import PURSE_AID, PurseApplet

TYPES = {"Z": jboolean, "B": jbyte, "S": jshort, "I": jint, "V": jvoid, "L": wire.REMOTE,
         "[Z": jboolean[...], "[B": jbyte[...], "[S": jshort[...], "[I": jint[...]}


def unhex(text: str) -> bytes:
    return bytes.fromhex(text)


def split_signature(signature: str) -> tuple[str, str]:
    name, _, rest = signature.partition("(")
    return name, "(" + rest


def parse_method(signature: str) -> RemoteMethod:
    name, descriptor = split_signature(signature)
    args, _, returns = descriptor[1:].partition(")")
    params = []
    while args:
        code = args[:2] if args[0] == "[" else args[0]
        params.append(TYPES[code])
        args = args[len(code):]
    return RemoteMethod(name, tuple(params), TYPES[returns])


def test_method_ids_are_the_first_two_bytes_of_sha1_over_modifier_name_and_descriptor(
        jcrmi_vectors):
    for case in jcrmi_vectors["method_ids"]:
        name, descriptor = split_signature(case["signature"])
        assert wire.method_id(name, descriptor, case["hash_modifier"]) == int(case["id"], 16), case
        method = parse_method(case["signature"])
        assert method.signature == case["signature"]
        assert method.method_id(case["hash_modifier"]) == int(case["id"], 16)


def test_each_parameter_type_encodes_to_its_vector_and_decodes_back(jcrmi_vectors):
    for case in jcrmi_vectors["params"]:
        jtype = TYPES[case["type"]]
        expected = unhex(case["hex"])
        assert wire.encode_value(jtype, case["value"]) == expected, case
        value, end = wire.decode_value(jtype, expected)
        assert end == len(expected)
        if isinstance(value, bytes):
            value = list(value)
        assert value == case["value"], case


def test_invoke_apdus_match_the_vectors(jcrmi_vectors):
    for case in jcrmi_vectors["invokes"]:
        method = parse_method(case["method"])
        params = wire.encode_params(method.params, case["args"])
        apdu = wire.encode_invoke(case["object_id"], method.method_id(), params)
        assert apdu == unhex(case["apdu"]), case["comment"]
        invoke = wire.decode_invoke(apdu[5:5 + apdu[4]])
        assert (invoke.object_id, invoke.method_id) == (case["object_id"], method.method_id())
        decoded = wire.decode_params(method.params, invoke.params)
        assert [list(v) if isinstance(v, bytes) else v for v in decoded] == case["args"]


def test_each_response_tag_decodes_as_the_vector_says(jcrmi_vectors):
    for case in jcrmi_vectors["responses"]:
        returns = TYPES[case["returns"]]
        outcome = wire.decode_response(unhex(case["hex"]), returns)
        kind = case["kind"]
        if kind == "normal":
            value = outcome.value
            if isinstance(value, bytes):
                value = list(value)
            assert outcome == NormalResponse(outcome.value) and value == case["value"], case
            assert wire.encode_normal(returns, outcome.value) == unhex(case["hex"])
        elif kind in ("exception", "subclass"):
            expected = ExceptionResponse(case["type"], case["reason"], kind == "subclass")
            assert outcome == expected, case
            assert wire.encode_exception(case["type"], case["reason"],
                                         kind == "subclass") == unhex(case["hex"])
        else:
            assert outcome == ErrorResponse(case["detail"]), case
            assert wire.encode_error(case["detail"]) == unhex(case["hex"])


def test_a_null_array_is_read_with_one_ff_byte_too():
    # §8.3.5.1 sends null as FF FF; a client that reads the length byte alone sees FF.
    assert wire.decode_response(b"\x81\xFF", jbyte[...]) == NormalResponse(None)


def test_reference_descriptors_in_both_formats_match_the_vectors(jcrmi_vectors):
    for case in jcrmi_vectors["references"]:
        if case["format"] == "class":
            ref = ClassRef(case["object_id"], case["hash_modifier"], case["package"],
                           case["class"])
            fmt = RefFormat.CLASS
        else:
            ref = InterfacesRef(case["object_id"], case["hash_modifier"],
                                tuple(tuple(i) for i in case["interfaces"]))
            fmt = RefFormat.INTERFACES
        encoded = unhex(case["hex"])
        assert wire.encode_ref(ref) == encoded
        assert wire.decode_ref(encoded, 0, fmt) == (ref, len(encoded))
    assert wire.encode_ref(None) == b"\xFF\xFF"
    assert wire.decode_ref(b"\xFF\xFF", 0, RefFormat.CLASS) == (None, 2)


@pytest.mark.parametrize("protocol", ["T=0", "T=1"])
def test_the_card_answers_select_with_the_fci_of_the_vectors_in_both_formats(
        jcrmi_vectors, protocol):
    for case in jcrmi_vectors["select"]:
        sim = Simulator(protocol)
        sim.install(PurseApplet, PURSE_AID)
        aid = unhex(PURSE_AID.replace(" ", ""))
        command = bytes((0x00, 0xA4, 0x04, int(case["p2"], 16), len(aid))) + aid + b"\x00"
        response = sim.transmit(command)
        if protocol == "T=0":
            assert response.sw >> 8 == 0x61
            response = sim.transmit(bytes((0x00, 0xC0, 0x00, 0x00, response.sw & 0xFF)))
        assert (response.data, response.sw) == (unhex(case["fci"]), 0x9000), case["comment"]
        fmt = RefFormat.INTERFACES if case["p2"] == "10" else RefFormat.CLASS
        select = wire.decode_fci(response.data, fmt)
        assert (select.version, select.invoke_ins) == ((2, 2), 0x38)


def test_the_purse_session_puts_exactly_the_vector_bytes_on_the_wire(jcrmi_vectors):
    sim = Simulator("T=1")
    sim.install(PurseApplet, PURSE_AID)
    assert sim.select(PURSE_AID).sw == 0x9000
    for case in jcrmi_vectors["purse_session"]:
        response = sim.transmit(unhex(case["command"]))
        assert bytes(response) == unhex(case["response"]), case["comment"]


def test_the_fci_decoder_skips_tlvs_an_applet_adds_before_jc_rmi_data():
    inner = bytes.fromhex("5E 06 0202 38 99 0001".replace(" ", ""))
    extra = bytes.fromhex("84 02 0978".replace(" ", ""))
    app = bytes((0x6E, len(extra) + len(inner))) + extra + inner
    fci = bytes((0x6F, len(app))) + app
    select = wire.decode_fci(fci, RefFormat.CLASS)
    assert select.initial_ref == ErrorResponse(0x0001)


@pytest.mark.parametrize("data", [
    "", "6F", "6F 02 6E 00", "6F 04 6E 02 5E 00", "70 03 6E 01 00",
    "6F 07 6E 05 5E 03 0202 38", "6F 08 6E 06 5E 04 0202 38 82",
    "6F 0A 6E 08 5E 06 0202 38 81 0000",
])
def test_malformed_fcis_raise_wire_format_error(data):
    with pytest.raises(wire.WireFormatError):
        wire.decode_fci(bytes.fromhex(data.replace(" ", "")), RefFormat.CLASS)


@pytest.mark.parametrize(("returns", "data"), [
    (jshort, ""), (jshort, "81 00"), (jshort, "81 0001 02"), (jvoid, "81 00"), (jboolean, "81 02"),
    (jbyte[...], "81 03 0102"), (jshort, "82 27 01"), (jshort, "99 00"), (jshort, "84 0000"),
    (wire.REMOTE, "81 0001 00 00 00"),
])
def test_malformed_responses_raise_wire_format_error(returns, data):
    with pytest.raises(wire.WireFormatError):
        wire.decode_response(bytes.fromhex(data.replace(" ", "")), returns)


@pytest.mark.parametrize(("jtype", "value"), [
    (jshort, 0x10000), (jshort, -0x8001), (jbyte, 256), (jint, 1 << 32), (jboolean, 2),
    (jshort, "1"), (jbyte[...], [300]), (jbyte[...], bytes(255)), (jshort[...], 5),
    (jshort, None),
])
def test_values_without_an_encoding_are_refused(jtype, value):
    with pytest.raises(wire.WireFormatError):
        wire.encode_value(jtype, value)


def test_an_invoke_longer_than_a_short_apdu_is_refused():
    with pytest.raises(wire.WireFormatError):
        wire.encode_invoke(0, 0, bytes(252))
    assert len(wire.encode_invoke(0, 0, bytes(251))) == 5 + 255 + 1
