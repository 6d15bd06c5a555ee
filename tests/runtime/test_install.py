"""Installing applets (JCRE §3.1, Applet.install / register) and the host's InstallError."""

from __future__ import annotations

from typing import Any

import pytest

from jcsim import AID, InstallError, JCSimError, Simulator
from jcsim.framework import APDU, Applet, ByteArray, SystemException
from tests.helpers import ECHO_AID, Echo

CUSTOM_AID = bytes.fromhex("F0000000060102")


def test_install_returns_the_registered_AID_whatever_form_it_was_given_in(t1: Simulator) -> None:
    assert t1.install(Echo, "F0 00 00 00 01 01") == AID.from_hex("F000000001 01")
    assert t1.install(Echo, bytes.fromhex("F00000000102")) == AID.from_hex("F00000000102")
    assert t1.install(Echo, AID.from_hex("F00000000103")) == AID.from_hex("F00000000103")
    assert t1.select("F00000000103").sw == 0x9000


def test_installing_a_second_applet_under_the_same_AID_is_an_InstallError(t1: Simulator) -> None:
    t1.install(Echo, ECHO_AID)
    with pytest.raises(InstallError, match="already in use"):
        t1.install(Echo, ECHO_AID)
    # The card manager comes first on every card; the failed install added nothing after Echo.
    assert [r.aid for r in t1.card.registry.applets][1:] == [AID.from_hex(ECHO_AID)]


def test_InstallError_is_a_JCSimError_and_a_ValueError() -> None:
    assert issubclass(InstallError, JCSimError)
    assert issubclass(InstallError, ValueError)


def test_an_install_that_does_not_register_is_an_InstallError(t1: Simulator) -> None:
    class Shy(Applet):
        @classmethod
        def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
            cls()

    with pytest.raises(InstallError, match="did not register"):
        t1.install(Shy, ECHO_AID)
    assert t1.select(ECHO_AID).sw == 0x6999
    t1.install(Echo, ECHO_AID)  # the AID is still free


def test_registering_twice_is_an_InstallError_caused_by_ILLEGAL_AID(t1: Simulator) -> None:
    class Twice(Applet):
        @classmethod
        def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
            applet = cls()
            applet.register()
            applet.register()

    with pytest.raises(InstallError) as info:
        t1.install(Twice, ECHO_AID)
    cause = info.value.__cause__
    assert isinstance(cause, SystemException)
    assert cause.getReason() == SystemException.ILLEGAL_AID
    assert t1.select(ECHO_AID).sw == 0x6999


def test_an_install_that_raises_is_an_InstallError_chained_to_the_exception(
        t1: Simulator) -> None:
    class Broken(Applet):
        def __init__(self) -> None:
            raise ZeroDivisionError("boom")

    with pytest.raises(InstallError) as info:
        t1.install(Broken, ECHO_AID)
    assert isinstance(info.value.__cause__, ZeroDivisionError)


@pytest.mark.parametrize("aid", [bytes(4), bytes(17)], ids=["4-bytes", "17-bytes"])
def test_the_card_refuses_an_AID_of_the_wrong_length_with_an_InstallError(
        t1: Simulator, aid: bytes) -> None:
    with pytest.raises(InstallError):
        t1.card.install(Echo, aid)


def test_the_simulator_refuses_an_AID_of_the_wrong_length_with_an_InstallError(
        t1: Simulator) -> None:
    with pytest.raises(InstallError):
        t1.install(Echo, "F0 00 00 00")


def test_installing_something_that_is_not_a_class_is_an_InstallError(t1: Simulator) -> None:
    with pytest.raises(InstallError):
        t1.install(Echo(), ECHO_AID)  # type: ignore[arg-type]


def test_two_default_applets_on_one_interface_is_an_InstallError(t1: Simulator) -> None:
    t1.install(Echo, ECHO_AID, default=True)
    with pytest.raises(InstallError, match="default"):
        t1.install(Echo, "F0 00 00 00 01 02", default=True)
    with pytest.raises(InstallError):
        t1.install(Echo, "F0 00 00 00 01 03", default="contactless")


def test_install_parameters_longer_than_127_bytes_are_an_InstallError(t1: Simulator) -> None:
    with pytest.raises(InstallError):
        t1.install(Echo, ECHO_AID, params=bytes(120))


def test_install_receives_the_AID_control_and_applet_data_in_a_cleared_global_array(
        t1: Simulator) -> None:
    seen: dict[str, Any] = {}

    class Inspect(Applet):
        @classmethod
        def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
            seen["array"] = bArray
            seen["content"] = bytes(bArray[bOffset:bOffset + bLength])
            seen["offset"], seen["length"] = bOffset, bLength
            cls().register(bArray, bOffset + 1, bArray[bOffset])

    aid = t1.install(Inspect, ECHO_AID, params="0A0B0C", privileges=b"\x01")
    aid_bytes = bytes.fromhex(ECHO_AID.replace(" ", ""))
    assert seen["content"] == (b"\x06" + aid_bytes + b"\x01\x01" + b"\x03\x0A\x0B\x0C")
    assert seen["offset"] == 0
    assert seen["length"] == len(seen["content"])
    assert isinstance(seen["array"], ByteArray)
    assert bytes(seen["array"]) == bytes(len(seen["content"]))  # zeroed after install
    assert aid == AID(aid_bytes)


def test_register_with_an_AID_of_its_own_registers_under_that_AID(t1: Simulator) -> None:
    class OwnAID(Applet):
        @classmethod
        def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
            cls().register(ByteArray(b"\x00" + CUSTOM_AID), 1, len(CUSTOM_AID))

        def process(self, apdu: APDU) -> None:
            pass

    assert t1.install(OwnAID, ECHO_AID) == AID(CUSTOM_AID)
    assert t1.select(ECHO_AID).sw == 0x6999
    assert t1.select(CUSTOM_AID.hex()).sw == 0x9000


@pytest.mark.parametrize("length", [4, 17])
def test_register_with_an_AID_of_the_wrong_length_is_ILLEGAL_VALUE(
        t1: Simulator, length: int) -> None:
    class BadAID(Applet):
        @classmethod
        def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
            cls().register(ByteArray(bytes(range(1, 18))), 0, length)

    with pytest.raises(InstallError) as info:
        t1.install(BadAID, ECHO_AID)
    assert info.value.__cause__.getReason() == SystemException.ILLEGAL_VALUE


def test_register_outside_an_install_is_ILLEGAL_AID(t1: Simulator) -> None:
    reasons: list[int] = []

    class Late(Applet):
        def process(self, apdu: APDU) -> None:
            if self.selectingApplet():
                return
            try:
                self.register()
            except SystemException as exc:
                reasons.append(exc.getReason())

    t1.install(Late, ECHO_AID)
    t1.select(ECHO_AID)
    assert t1.transmit("80 10 00 00").sw == 0x9000
    assert reasons == [SystemException.ILLEGAL_AID]


def test_applets_survive_power_cycles_and_resets(t1: Simulator) -> None:
    t1.install(Echo, ECHO_AID)
    t1.power_off()
    t1.power_on()
    t1.reset()
    assert t1.select(ECHO_AID).sw == 0x9000
    assert t1.transmit("80 01 00 00 01 AA").data == b"\xAA"


def test_a_default_on_an_unknown_interface_is_an_InstallError(t1: Simulator) -> None:
    with pytest.raises(InstallError):
        t1.install(Echo, ECHO_AID, default="usb")


def test_registering_under_an_AID_another_applet_holds_is_ILLEGAL_AID(t1: Simulator) -> None:
    t1.install(Echo, "F0 00 00 00 06 01 02")

    class Squatter(Applet):
        @classmethod
        def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
            cls().register(ByteArray(CUSTOM_AID), 0, len(CUSTOM_AID))

    with pytest.raises(InstallError) as info:
        t1.install(Squatter, ECHO_AID)
    assert info.value.__cause__.getReason() == SystemException.ILLEGAL_AID
