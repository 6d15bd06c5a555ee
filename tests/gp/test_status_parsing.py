"""Reading GET STATUS, key information and CPLC answers (``jcsim.gp.status``): the layouts, and
hostile bytes that must give ``GPFormatError`` and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcsim.gp.status import (
    CPLC_LENGTH,
    GPFormatError,
    lifecycle_name,
    parse_cplc,
    parse_key_information,
    parse_status_legacy,
    parse_status_tlv,
    parse_tlv,
    privilege_names,
)


def test_tlv_reads_two_byte_tags_and_long_lengths():
    data = bytes.fromhex("9F7001 07") + b"\xC4\x81\x81" + bytes(129) + bytes.fromhex("4F00")
    assert parse_tlv(data) == [(0x9F70, b"\x07"), (0xC4, bytes(129)), (0x4F, b"")]


@pytest.mark.parametrize("data", ["4F05A0000001", "9F", "4F", "C482", "C48500000000010000",
                                  "9FFFFFFF01"])
def test_tlv_that_runs_past_the_data_is_a_format_error(data):
    with pytest.raises(GPFormatError):
        parse_tlv(bytes.fromhex(data))


def test_status_templates_give_aid_state_privileges_load_file_and_modules():
    entry = bytes.fromhex("4F07F04A4353494B01 9F700107 C50100 C405F04A435349 "
                          "8406F04A4353494B 8406F04A43534948")
    (app,) = parse_status_tlv("APP", b"\xE3" + bytes((len(entry),)) + entry)
    assert (app.aid, app.state, app.load_file) == (bytes.fromhex("F04A4353494B01"), "SELECTABLE",
                                                   bytes.fromhex("F04A435349"))
    assert app.modules == (bytes.fromhex("F04A4353494B"), bytes.fromhex("F04A43534948"))


def test_a_status_template_without_its_life_cycle_is_refused():
    with pytest.raises(GPFormatError):
        parse_status_tlv("APP", bytes.fromhex("E3064F04A0000001"))


def test_legacy_status_entries_with_and_without_modules():
    data = bytes.fromhex("07A0000001510000 01 00 01 08A000000151535000")
    (pkg,) = parse_status_legacy("PKG", data, with_modules=True)
    assert pkg.modules == (bytes.fromhex("A000000151535000"),) and pkg.state == "LOADED"
    apps = parse_status_legacy("APP", bytes.fromhex("05F000000001 07 00 05F000000002 83 00"))
    assert [a.state for a in apps] == ["SELECTABLE", "LOCKED"]


def test_life_cycle_and_privilege_names():
    assert lifecycle_name("ISD", 0x7F) == "CARD_LOCKED" and lifecycle_name("ISD", 0x01) == \
        "OP_READY"
    assert lifecycle_name("APP", 0x03) == "INSTALLED"
    assert privilege_names(b"\x9E") == ["SecurityDomain", "CardLock", "CardTerminate",
                                        "CardReset", "CVMManagement"]


def test_key_information_in_the_basic_and_extended_formats():
    basic = bytes.fromhex("E012 C00401308810 C00402308810 C00403308810")
    keys = parse_key_information(basic)
    assert [(k.key_id, k.version, k.components) for k in keys] == [
        (1, 0x30, ((0x88, 16),)), (2, 0x30, ((0x88, 16),)), (3, 0x30, ((0x88, 16),))]
    assert keys[0].type_names == "AES/128"
    extended = bytes.fromhex("E00C C00A 0120 FF800010 0100 0100")
    (key,) = parse_key_information(extended)
    assert key.components == ((0x80, 16),)


def test_cplc_with_and_without_its_tag():
    body = bytes(range(CPLC_LENGTH))
    assert parse_cplc(b"\x9F\x7F" + bytes((CPLC_LENGTH,)) + body)["ICSerialNumber"] == \
        bytes(range(12, 16))
    assert parse_cplc(body)["ICFabricator"] == b"\x00\x01"
    with pytest.raises(GPFormatError):
        parse_cplc(body[:-1])


@given(st.binary(max_size=120))
def test_hostile_answers_raise_only_format_errors(data):
    for parse in (parse_tlv, lambda d: parse_status_tlv("APP", d),
                  lambda d: parse_status_legacy("PKG", d, with_modules=True),
                  parse_key_information, parse_cplc):
        try:
            parse(data)
        except GPFormatError:
            pass
