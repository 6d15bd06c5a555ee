"""``jcsim.strategies``: each strategy draws only what it promises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcsim import AID, CommandAPDU
from jcsim import strategies as jst
from jcsim.framework.cla import decode_cla


@given(st.sampled_from(jst.CASES).flatmap(lambda case: st.tuples(
    st.just(case), jst.command_apdus(case))))
def test_each_command_is_of_its_case_and_survives_its_encoding(drawn) -> None:
    case, command = drawn
    assert command.case == case
    assert CommandAPDU.from_bytes(bytes(command)) == command
    info = decode_cla(command.cla)
    assert info is not None and info.channel == 0
    assert command.ins >> 4 not in (0x6, 0x9)


@given(jst.command_apdus(["2S", "4E"], cla=0x80, ins=st.just(0x42), p1=7,
                         max_extended_data=300))
def test_fixed_header_bytes_and_length_bounds_are_kept(command: CommandAPDU) -> None:
    assert (command.cla, command.ins, command.p1) == (0x80, 0x42, 7)
    if command.case == "2S":
        assert 1 <= command.ne <= 256 and not command.data
    else:
        assert 1 <= len(command.data) <= 300 and 1 <= command.ne <= 65536


@given(st.integers(0, 19).flatmap(lambda channel: st.tuples(
    st.just(channel), jst.class_bytes(channel=channel, interindustry=False,
                                      secure_messaging=False, chaining=True))))
def test_class_bytes_name_the_channel_and_properties_asked_for(drawn) -> None:
    channel, cla = drawn
    info = decode_cla(cla)
    assert info is not None and info.channel == channel
    assert not info.interindustry and not info.secure_messaging and info.chaining


@given(jst.class_bytes())
def test_any_class_byte_is_one_the_runtime_accepts(cla: int) -> None:
    assert decode_cla(cla) is not None


@given(jst.aids(), jst.aids(rid=bytes.fromhex("A000000062"), min_size=7, max_size=9))
def test_aids_are_5_to_16_bytes_under_the_rid_asked_for(anything: AID, ours: AID) -> None:
    assert 5 <= len(anything) <= 16
    assert ours.value[:5] == bytes.fromhex("A000000062") and 7 <= len(ours) <= 9


@given(jst.status_words(), jst.status_words("warning"), jst.status_words("normal"))
def test_status_words_have_an_iso_sw1_of_their_kind(any_sw: int, warning: int,
                                                    normal: int) -> None:
    assert any_sw >> 8 in {*range(0x61, 0x70), *range(0x90, 0xA0)}
    assert warning >> 8 in (0x62, 0x63)
    assert normal == 0x9000 or normal >> 8 == 0x61


@pytest.mark.parametrize("make", [
    lambda: jst.command_apdus("5S"),
    lambda: jst.command_apdus([]),
    lambda: jst.command_apdus(max_extended_data=70000),
    lambda: jst.class_bytes(channel=20),
    lambda: jst.class_bytes(channel=[]),
    lambda: jst.aids(min_size=4),
    lambda: jst.aids(rid=b"\x01\x02"),
    lambda: jst.status_words("fine"),
])
def test_impossible_requests_are_refused_at_once(make) -> None:
    with pytest.raises(ValueError):
        make()
