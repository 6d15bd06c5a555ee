"""The scripting-template codec: the fact sheet's byte layouts, malformed input, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim.remote import codec
from jcsim.remote.client_protocol import ClientProtocol, Ended, RunScript, Send
from jcsim.remote.codec import (
    ATR,
    CAPDU,
    RAPDU,
    ActionResponse,
    BadFormat,
    Close,
    CommandScript,
    Directive,
    FormatError,
    Initiation,
    Notify,
    Reset,
    ResponseScript,
)
from tests.remote.vectors import loader

DOCS = {name: loader.load(name) for name in ("openscdp", "gp_amd_b")}


def cases(key: str) -> list[tuple[str, dict]]:
    return [pytest.param(doc["profile"], case, id=f"{doc['profile']}: {case['name']}")
            for doc in DOCS.values() for case in doc.get(key, [])]


# --- the byte layouts of the fact sheet ----------------------------------------------------------

@pytest.mark.parametrize("profile, case", cases("command_scripts"))
def test_command_templates_decode_to_their_items_and_encode_back_to_the_same_bytes(profile, case):
    raw = loader.unhex(case["hex"])
    expected = loader.command_script(case)
    assert codec.decode_command_script(raw, profile) == expected
    assert codec.encode_command_script(expected) == raw


@pytest.mark.parametrize("profile, case", cases("response_scripts"))
def test_response_templates_decode_and_encode_with_the_profiles_position_of_tag_80(profile, case):
    raw = loader.unhex(case["hex"])
    expected = loader.response_script(case)
    assert codec.decode_response_script(raw, profile) == expected
    assert codec.encode_response_script(expected, profile) == raw


@pytest.mark.parametrize("profile, case", cases("initiations"))
def test_openscdp_initiation_templates(profile, case):
    raw = loader.unhex(case["hex"])
    expected = Initiation(loader.unhex(case["atr"]), case.get("max_capdu"), case.get("max_rapdu"))
    assert codec.decode_initiation(raw) == expected
    assert codec.encode_initiation(expected) == raw


@pytest.mark.parametrize("profile, case", cases("malformed_commands"))
def test_malformed_command_templates_give_the_bad_format_reason(profile, case):
    result = codec.decode_command_script(loader.unhex(case["hex"]), profile)
    assert isinstance(result, FormatError)
    assert result.reason == case["reason"], result.detail


@pytest.mark.parametrize("profile, case", cases("malformed_responses"))
def test_malformed_response_templates_give_the_bad_format_reason(profile, case):
    result = codec.decode_response_script(loader.unhex(case["hex"]), profile)
    assert isinstance(result, FormatError)
    assert result.reason == case["reason"], result.detail


def test_the_standard_bad_format_answer_is_the_fact_sheets_bytes():
    error = codec.decode_command_script(bytes.fromhex("AA03990100"), "gp-amd-b")
    assert isinstance(error, FormatError)
    answer = codec.encode_response_script(error.response(), "gp-amd-b")
    assert answer == loader.unhex(DOCS["gp_amd_b"]["response_scripts"][1]["hex"])


def test_the_same_response_puts_80_first_for_amd_b_and_last_for_openscdp():
    script = ResponseScript([RAPDU(b"\x6a\x82")], 1)
    assert codec.encode_response_script(script, "gp-amd-b") == bytes.fromhex("AB0780010123026A82")
    assert codec.encode_response_script(script, "openscdp") == bytes.fromhex("AB0723026A82800101")


def test_openscdp_counts_are_minimal_signed_integers_as_the_c_client_writes_them():
    script = ResponseScript([], 128)
    assert codec.encode_response_script(script, "openscdp") == bytes.fromhex("AB0480020080")
    assert codec.encode_response_script(script, "gp-amd-b") == bytes.fromhex("AB03800180")
    assert codec.decode_response_script(bytes.fromhex("AB0480020080"), "openscdp").executed == 128


def test_a_notification_without_id_or_message_decodes_to_defaults_like_the_c_client():
    assert codec.decode_command_script(bytes.fromhex("AA02E000"), "openscdp") == \
        CommandScript([Notify(0, "")])


def test_long_values_use_the_81_and_82_length_forms():
    medium = bytes(4) + b"\xc4" + bytes(196)  # 201 bytes: 22 81 C9
    long = bytes(4) + b"\x00\x01\x2c" + bytes(300)  # 307 bytes: 22 82 01 33
    raw = codec.encode_command_script(CommandScript([CAPDU(medium)]))
    assert raw[:6] == bytes.fromhex("AA 81 CC 22 81 C9")
    raw = codec.encode_command_script(CommandScript([CAPDU(long)]))
    assert raw[:8] == bytes.fromhex("AA 82 01 37 22 82 01 33")
    assert codec.decode_command_script(raw, "gp-amd-b") == CommandScript([CAPDU(long)])


def test_unknown_profiles_are_refused():
    with pytest.raises(ValueError, match="unknown profile"):
        codec.get_profile("scp81")


@pytest.mark.parametrize("sw, stops", [
    (0x9000, False), (0x6105, False), (0x6283, False), (0x63C2, False), (0x9110, False),
    (0x62F1, True), (0x6A82, True), (0x6982, True), (0x6D00, True), (0x6F00, True),
])
def test_amd_b_stops_after_an_error_status_and_openscdp_never_does(sw, stops):
    assert codec.PROFILES["gp-amd-b"].stops_after(sw) is stops
    assert codec.PROFILES["openscdp"].stops_after(sw) is False


# --- properties ----------------------------------------------------------------------------------

int32 = st.integers(-(1 << 31), (1 << 31) - 1)
count = st.integers(0, (1 << 31) - 1)
blob = st.binary(max_size=300)
apdu_items = st.builds(CAPDU, blob)
openscdp_command_items = st.one_of(
    apdu_items, st.just(Reset()), st.builds(Notify, int32, st.text(max_size=40),
                                            st.none() | int32),
    st.builds(Close, st.text(max_size=40)))
amd_b_command_items = st.one_of(apdu_items, st.builds(Directive, st.sampled_from([0x81, 0x82,
                                                                                   0x83]), blob))
rapdus = st.builds(RAPDU, st.binary(min_size=2, max_size=300))
openscdp_response_items = st.one_of(rapdus, st.builds(ATR, blob), st.builds(Close, st.text()))
amd_b_response_items = st.one_of(rapdus, st.builds(BadFormat, st.sampled_from([1, 2, 3])),
                                 st.builds(ActionResponse, st.sampled_from([0x81, 0x83]), blob))


@given(st.lists(openscdp_command_items, max_size=8), st.booleans())
def test_openscdp_command_templates_round_trip(items, indefinite):
    script = CommandScript(items, indefinite)
    assert codec.decode_command_script(codec.encode_command_script(script), "openscdp") == script


@given(st.lists(amd_b_command_items, max_size=8), st.booleans())
def test_amd_b_command_templates_round_trip(items, indefinite):
    script = CommandScript(items, indefinite)
    assert codec.decode_command_script(codec.encode_command_script(script), "gp-amd-b") == script


@given(st.lists(openscdp_response_items, max_size=8), st.none() | count, st.booleans())
def test_openscdp_response_templates_round_trip(items, executed, indefinite):
    script = ResponseScript(items, executed, indefinite)
    raw = codec.encode_response_script(script, "openscdp")
    assert codec.decode_response_script(raw, "openscdp") == script


@given(st.lists(amd_b_response_items, max_size=8), st.none() | count, st.booleans())
def test_amd_b_response_templates_round_trip(items, executed, indefinite):
    script = ResponseScript(items, executed, indefinite)
    raw = codec.encode_response_script(script, "gp-amd-b")
    assert codec.decode_response_script(raw, "gp-amd-b") == script


@given(blob, st.none() | count, st.none() | count)
def test_initiation_templates_round_trip(atr, max_capdu, max_rapdu):
    value = Initiation(atr, max_capdu, max_rapdu)
    assert codec.decode_initiation(codec.encode_initiation(value)) == value


def _template_like() -> st.SearchStrategy[bytes]:
    """Random bytes, often starting like a template so the parser goes deep."""
    prefix = st.sampled_from([b"", b"\xaa", b"\xae\x80", b"\xab", b"\xaf\x80", b"\xe8"])
    return st.builds(lambda p, b: p + b, prefix, st.binary(max_size=80))


@settings(max_examples=400)
@given(_template_like(), st.sampled_from(["openscdp", "gp-amd-b"]))
def test_random_bytes_never_raise_out_of_the_decoders(data, profile):
    for result in (codec.decode_command_script(data, profile),
                   codec.decode_response_script(data, profile),
                   codec.decode_initiation(data)):
        assert isinstance(result, (CommandScript, ResponseScript, Initiation, FormatError))
        if isinstance(result, FormatError):
            assert result.reason in (1, 2, 3)
            codec.encode_response_script(result.response(), profile)


header_names = st.sampled_from(["X-Admin-Next-URI", "Set-Cookie", "X-Admin-Targeted-Application",
                                "Content-Type", "X-Other"])


@settings(max_examples=300)
@given(st.sampled_from(["openscdp", "gp-amd-b"]), st.integers(100, 599),
       st.lists(st.tuples(header_names, st.text(max_size=40)), max_size=4), _template_like())
def test_random_server_answers_never_raise_out_of_the_client_protocol(profile, status, headers,
                                                                      body):
    protocol = ClientProtocol(profile, "http://127.0.0.1:1/ram")
    protocol.start(b"\x3b\x00")
    event = protocol.receive(status, headers, body)
    assert isinstance(event, (RunScript, Send, Ended))
