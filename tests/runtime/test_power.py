"""Power, resets and the ATR (ISO 7816-3 §8)."""

from __future__ import annotations

import pytest

from jcsim import CardPoweredOffError, JCSimError, Simulator
from jcsim.runtime.atr import check_atr, contactless_atr, default_atr
from tests.helpers import ECHO_AID, Echo


def test_transmit_after_power_off_raises_CardPoweredOffError(sim: Simulator) -> None:
    sim.power_off()
    assert sim.powered is False
    with pytest.raises(CardPoweredOffError):
        sim.transmit("80 01 00 00")
    with pytest.raises(CardPoweredOffError):
        sim.reset()


def test_CardPoweredOffError_is_a_JCSimError_and_a_RuntimeError() -> None:
    assert issubclass(CardPoweredOffError, JCSimError)
    assert issubclass(CardPoweredOffError, RuntimeError)


def test_power_on_after_power_off_answers_the_ATR_and_the_card_works(sim: Simulator) -> None:
    sim.install(Echo, ECHO_AID)
    sim.power_off()
    assert sim.power_on() == sim.atr
    assert sim.powered is True
    assert sim.transmit("80 01 00 00 01 AA").sw == 0x6999  # nothing selected after power-up
    assert sim.select(ECHO_AID).sw == 0x9000


def test_reset_answers_the_ATR_and_deselects(sim: Simulator) -> None:
    sim.install(Echo, ECHO_AID)
    sim.select(ECHO_AID)
    assert sim.reset() == sim.atr
    assert sim.transmit("80 01 00 00 01 AA").sw == 0x6999


def test_a_new_simulator_is_powered() -> None:
    assert Simulator().powered is True


@pytest.mark.parametrize(("protocol", "offered"), [("T=1", [1]), ("T=0", [0])])
def test_the_default_ATR_is_well_formed_and_offers_the_protocol(
        protocol: str, offered: list[int]) -> None:
    atr = Simulator(protocol).atr
    assert atr == default_atr(protocol)
    assert check_atr(atr) == offered
    assert b"jcsim" in atr


def test_the_contactless_ATR_is_a_PCSC_pseudo_ATR() -> None:
    sim = Simulator()
    atr = sim.atr_of("contactless")
    assert atr == contactless_atr()
    assert atr[:4] == bytes.fromhex("3B858001")
    assert check_atr(atr) == [0, 1]


def test_a_custom_ATR_may_be_given_as_hex() -> None:
    sim = Simulator(atr="3B 02 14 50")
    assert sim.atr == bytes.fromhex("3B021450")
    assert sim.reset() == bytes.fromhex("3B021450")


@pytest.mark.parametrize("atr", ["3B", "3B 05 01", "3F 81 01 00", "3B 80 01 6A 00"])
def test_a_malformed_ATR_is_refused(atr: str) -> None:
    with pytest.raises(JCSimError):
        Simulator(atr=atr)


@pytest.mark.parametrize("atr", ["", "3C 00", "3B 10", "3B 81 01 00 01"])
def test_check_atr_rejects_malformed_ATRs(atr: str) -> None:
    with pytest.raises(ValueError):
        check_atr(bytes.fromhex(atr))


def test_an_unknown_protocol_is_refused() -> None:
    with pytest.raises(JCSimError):
        Simulator("T=2")


def test_an_APDU_buffer_below_133_bytes_is_refused() -> None:
    with pytest.raises(JCSimError):
        Simulator(apdu_buffer_size=132)
    assert Simulator(apdu_buffer_size=133).powered
