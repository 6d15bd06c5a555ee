"""The card manager (GlobalPlatform-style ISD A0 00 00 01 51 00 00 00): INSTALL, DELETE and
GET STATUS, every status word each answers, and paging with 63 10
(``jcsim.runtime.card_manager``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jcsim import AID, Response, Simulator
from tests.runtime.firewall_packages import alpha, beta, user
from tests.runtime.firewall_packages.installable import Keeper
from tests.runtime.firewall_packages.scripted import SCRIPTS, run

ISD = "A000000151000000"
INSTALLABLE = bytes.fromhex("F04A435349")
KEEPER_CLASS = bytes.fromhex("F04A4353494B")
HUNGRY_CLASS = bytes.fromhex("F04A43534948")
KEEPER = bytes.fromhex("F04A4353494B01")
A = "F0 4A 43 53 41 01 01"
PKG = "tests.runtime.firewall_packages"


@pytest.fixture
def sim() -> Simulator:
    """A card with package installable loaded and the card manager selected."""
    card = Simulator(gp_open=True)
    card.load_package(f"{PKG}.installable")
    assert card.select(ISD).sw == 0x9000
    return card


@pytest.fixture(autouse=True)
def no_scripts() -> Iterator[None]:
    yield
    SCRIPTS.clear()


def lv(value: bytes) -> bytes:
    return bytes((len(value),)) + value


def install_data(elf: bytes = INSTALLABLE, module: bytes = KEEPER_CLASS,
                 instance: bytes = KEEPER, applet_data: bytes = b"\x11\x22",
                 privileges: bytes = b"\x00") -> bytes:
    params = b"\xC9" + lv(applet_data)
    return lv(elf) + lv(module) + lv(instance) + lv(privileges) + lv(params) + lv(b"")


def command(cla: int, ins: int, p1: int, p2: int, data: bytes = b"", le: bool = True) -> bytes:
    raw = bytes((cla, ins, p1, p2))
    if data:
        raw += lv(data)
    return raw + (b"\x00" if le else b"")


def install(sim: Simulator, data: bytes, p1: int = 0x0C) -> Response:
    return sim.transmit(command(0x80, 0xE6, p1, 0x00, data))


def delete(sim: Simulator, aid: bytes | str, p2: int = 0x00) -> Response:
    value = bytes.fromhex(aid.replace(" ", "")) if isinstance(aid, str) else aid
    return sim.transmit(command(0x80, 0xE4, 0x00, p2, b"\x4F" + lv(value)))


def get_status(sim: Simulator, p1: int, p2: int = 0x00, prefix: bytes = b"") -> Response:
    return sim.transmit(command(0x80, 0xF2, p1, p2, b"\x4F" + lv(prefix)))


def aids(sim: Simulator) -> list[AID]:
    return [a.aid for a in sim.applets()]


# --- INSTALL -----------------------------------------------------------------------------------

@pytest.mark.parametrize("p1", [0x0C, 0x04])
def test_install_creates_an_instance_of_a_loaded_class_with_its_parameters(
        sim: Simulator, p1: int) -> None:
    response = install(sim, install_data(applet_data=b"\xAB\xCD"), p1)
    assert (response.data, response.sw) == (b"\x00", 0x9000)
    assert AID(KEEPER) in aids(sim)
    # The applet's install() got the JCRE's layout: instance AID, privileges, applet data.
    assert bytes(sim.applet_instance(KEEPER).params) == lv(KEEPER) + lv(b"\x00") + lv(b"\xAB\xCD")
    # Only [for install and make selectable] makes it selectable at once.
    assert (sim.select(KEEPER.hex()).sw == 0x9000) == (p1 == 0x0C)


def test_install_of_a_class_of_an_unknown_load_file_or_an_unknown_class_is_6A88(
        sim: Simulator) -> None:
    assert install(sim, install_data(elf=bytes.fromhex("F0AABBCCDD"))).sw == 0x6A88
    assert install(sim, install_data(module=bytes.fromhex("F04A43534999"))).sw == 0x6A88
    assert AID(KEEPER) not in aids(sim)


def test_install_under_an_AID_in_use_is_6985(sim: Simulator) -> None:
    assert install(sim, install_data()).sw == 0x9000
    assert install(sim, install_data()).sw == 0x6985
    assert install(sim, install_data(instance=bytes.fromhex(ISD))).sw == 0x6985


def test_install_whose_applet_runs_out_of_memory_is_6A84_and_leaves_no_trace() -> None:
    sim = Simulator(persistent_memory=10000, gp_open=True)
    sim.load_package(f"{PKG}.installable")
    sim.select(ISD)
    before = sim.memory()
    instance = bytes.fromhex("F04A4353494801")
    assert install(sim, install_data(module=HUNGRY_CLASS, instance=instance)).sw == 0x6A84
    assert AID(instance) not in aids(sim)
    assert sim.memory() == before


@pytest.mark.parametrize("data", [
    b"",
    b"\x05\xF0\x4A\x43\x53\x49",                      # one field of six
    install_data() + b"\x00",                          # a byte too many
    install_data()[:-3],                               # cut short
], ids=["empty", "one-field", "trailing-byte", "truncated"])
def test_install_with_malformed_data_is_6A80(sim: Simulator, data: bytes) -> None:
    assert sim.transmit(command(0x80, 0xE6, 0x0C, 0x00, data)).sw == 0x6A80


def test_install_parameters_without_tag_C9_are_6A80(sim: Simulator) -> None:
    data = lv(INSTALLABLE) + lv(KEEPER_CLASS) + lv(KEEPER) + lv(b"\x00") + lv(b"\xEF\x00") + lv(b"")
    assert install(sim, data).sw == 0x6A80


@pytest.mark.parametrize(("p1", "p2"), [(0x02, 0x00), (0x20, 0x00), (0x0C, 0x01)],
                         ids=["for-load", "personalization", "P2"])
def test_install_with_other_P1_P2_is_6A86(sim: Simulator, p1: int, p2: int) -> None:
    assert sim.transmit(command(0x80, 0xE6, p1, p2, install_data())).sw == 0x6A86


def test_install_for_make_selectable_alone_names_an_installed_instance(sim: Simulator) -> None:
    install(sim, install_data(), p1=0x04)
    selectable = lv(b"") + lv(b"") + lv(KEEPER) + lv(b"\x00") + lv(b"") + lv(b"")
    assert install(sim, selectable, p1=0x08).sw == 0x9000
    missing = lv(b"") + lv(b"") + lv(bytes.fromhex("F0AABBCCDD")) + lv(b"\x00") + lv(b"") + lv(b"")
    assert install(sim, missing, p1=0x08).sw == 0x6A88
    assert install(sim, install_data(), p1=0x08).sw == 0x6A80  # load file and class given


def test_install_loads_nothing_itself_the_load_file_must_be_on_the_card() -> None:
    sim = Simulator(gp_open=True)
    sim.select(ISD)
    assert install(sim, install_data()).sw == 0x6A88


# --- DELETE ------------------------------------------------------------------------------------

def test_delete_of_an_applet_answers_00_and_the_applet_is_gone(sim: Simulator) -> None:
    install(sim, install_data())
    response = delete(sim, KEEPER)
    assert (response.data, response.sw) == (b"\x00", 0x9000)
    assert AID(KEEPER) not in aids(sim)


def test_delete_of_an_unknown_AID_is_6A88(sim: Simulator) -> None:
    assert delete(sim, "F0 AA BB CC DD").sw == 0x6A88


def test_delete_of_a_package_with_instances_needs_P2_80(sim: Simulator) -> None:
    install(sim, install_data())
    assert delete(sim, INSTALLABLE).sw == 0x6985
    assert AID(KEEPER) in aids(sim)
    assert delete(sim, INSTALLABLE, p2=0x80).sw == 0x9000
    assert AID(KEEPER) not in aids(sim)
    assert f"{PKG}.installable" not in [p.name for p in sim.packages()]


def test_delete_of_a_package_without_instances_with_P2_00(sim: Simulator) -> None:
    assert delete(sim, INSTALLABLE).sw == 0x9000
    assert f"{PKG}.installable" not in [p.name for p in sim.packages()]


def test_delete_refused_by_a_dependency_is_6985(sim: Simulator) -> None:
    sim.install(user.User, "F0 4A 43 53 55 01")
    assert delete(sim, "F0 4A 43 53 4C").sw == 0x6985  # the library user imports


def test_delete_of_an_applet_active_on_another_channel_is_6985(sim: Simulator) -> None:
    sim.install(alpha.Alpha, A)
    channel = sim.open_channel()
    sim.select(A, channel)
    assert delete(sim, A).sw == 0x6985
    sim.close_channel(channel)
    assert delete(sim, A).sw == 0x9000


def test_the_card_manager_cannot_delete_itself_while_it_runs(sim: Simulator) -> None:
    assert delete(sim, ISD).sw == 0x6985
    assert delete(sim, "A0 00 00 01 51 00 00", p2=0x80).sw == 0x6985
    assert AID.from_hex(ISD) in aids(sim)


@pytest.mark.parametrize("data", [
    b"\x4F\x05\xF0\x4A\x43\x53",     # length says 5, 4 follow
    b"\x4E\x05\xF0\x4A\x43\x53\x49",  # not tag 4F
    b"\x4F\x03\xF0\x4A\x43",          # an AID shorter than 5 bytes
], ids=["length", "tag", "short-AID"])
def test_delete_with_malformed_data_is_6A80(sim: Simulator, data: bytes) -> None:
    assert sim.transmit(command(0x80, 0xE4, 0x00, 0x00, data)).sw == 0x6A80


@pytest.mark.parametrize(("p1", "p2"), [(0x80, 0x00), (0x00, 0x01), (0x00, 0x40)])
def test_delete_with_other_P1_P2_is_6A86(sim: Simulator, p1: int, p2: int) -> None:
    data = b"\x4F" + lv(INSTALLABLE)
    assert sim.transmit(command(0x80, 0xE4, p1, p2, data)).sw == 0x6A86
    assert f"{PKG}.installable" in [p.name for p in sim.packages()]


def test_an_applet_cannot_delete_anything() -> None:
    sim = Simulator(gp_open=True)
    sim.install(alpha.Alpha, A)
    sim.install(beta.Beta, "F0 4A 43 53 42 01 01")
    sim.select(A)
    # The DELETE command reaches the selected applet, as any other command would.
    assert delete(sim, "F0 4A 43 53 42 01 01").sw == 0x6D00
    assert AID.from_hex("F0 4A 43 53 42 01 01") in aids(sim)


# --- GET STATUS --------------------------------------------------------------------------------

def test_get_status_of_the_issuer_security_domain(sim: Simulator) -> None:
    response = get_status(sim, 0x80)
    assert (response.data, response.sw) == (lv(bytes.fromhex(ISD)) + b"\x0F\x9E", 0x9000)
    tlv = get_status(sim, 0x80, 0x02)
    assert tlv.data == (b"\xE3\x11" + b"\x4F" + lv(bytes.fromhex(ISD)) + b"\x9F\x70\x01\x0F"
                        + b"\xC5\x01\x9E")


def test_get_status_of_applications_in_both_formats(sim: Simulator) -> None:
    install(sim, install_data(privileges=b"\x04"))
    legacy = get_status(sim, 0x40)
    assert (legacy.data, legacy.sw) == (lv(KEEPER) + b"\x07\x04", 0x9000)
    tlv = get_status(sim, 0x40, 0x02)
    body = (b"\x4F" + lv(KEEPER) + b"\x9F\x70\x01\x07" + b"\xC5\x01\x04"
            + b"\xC4" + lv(INSTALLABLE))
    assert (tlv.data, tlv.sw) == (b"\xE3" + lv(body), 0x9000)


def test_get_status_of_load_files_and_of_load_files_with_their_modules(sim: Simulator) -> None:
    files = get_status(sim, 0x20, prefix=INSTALLABLE)
    assert (files.data, files.sw) == (lv(INSTALLABLE) + b"\x01\x00", 0x9000)
    modules = get_status(sim, 0x10, prefix=INSTALLABLE)
    assert modules.data == (lv(INSTALLABLE) + b"\x01\x00" + b"\x02"
                            + lv(KEEPER_CLASS) + lv(HUNGRY_CLASS))
    tlv = get_status(sim, 0x10, 0x02, prefix=INSTALLABLE)
    body = (b"\x4F" + lv(INSTALLABLE) + b"\x9F\x70\x01\x01" + b"\xC5\x01\x00"
            + b"\x84" + lv(KEEPER_CLASS) + b"\x84" + lv(HUNGRY_CLASS))
    assert tlv.data == b"\xE3" + lv(body)


def test_get_status_filters_by_AID_prefix_and_answers_6A88_when_nothing_matches(
        sim: Simulator) -> None:
    everything = get_status(sim, 0x20)
    assert lv(INSTALLABLE) in everything.data
    assert bytes.fromhex("07A0000001510000") in everything.data  # the card manager's own
    assert get_status(sim, 0x40).sw == 0x6A88  # no application but the ISD
    assert get_status(sim, 0x20, prefix=bytes.fromhex("F0AABB")).sw == 0x6A88


def test_get_status_pages_a_long_answer_with_6310(sim: Simulator) -> None:
    for n in range(30):
        sim.install(alpha.AlphaTwin, bytes.fromhex("F04A4353417000") + bytes((n,)))
    sim.select(ISD)
    expected = b"".join(lv(bytes.fromhex("F04A4353417000") + bytes((n,))) + b"\x07\x00"
                        for n in range(30))
    first = get_status(sim, 0x40)
    assert first.sw == 0x6310
    received, responses = first.data, [first]
    while responses[-1].sw == 0x6310:
        responses.append(get_status(sim, 0x40, 0x01))
        received += responses[-1].data
    assert responses[-1].sw == 0x9000
    assert received == expected
    assert all(len(r.data) <= 256 for r in responses)
    # Starting again without "next" gives the first part again.
    assert get_status(sim, 0x40).data == first.data


@pytest.mark.parametrize(("p1", "p2"), [(0x00, 0x00), (0x41, 0x00), (0x40, 0x04), (0x40, 0x80)])
def test_get_status_with_other_P1_P2_is_6A86(sim: Simulator, p1: int, p2: int) -> None:
    assert get_status(sim, p1, p2).sw == 0x6A86


@pytest.mark.parametrize("data", [b"", b"\x4F", b"\x4F\x02\xF0", b"\x5C\x00"],
                         ids=["empty", "no-length", "length", "tag"])
def test_get_status_with_malformed_search_criteria_is_6A80(sim: Simulator, data: bytes) -> None:
    raw = bytes((0x80, 0xF2, 0x40, 0x00)) + (lv(data) if data else b"") + b"\x00"
    assert sim.transmit(raw).sw == 0x6A80


# --- classes and instructions -----------------------------------------------------------------

def test_an_unknown_instruction_is_6D00(sim: Simulator) -> None:
    assert sim.transmit("80 CC 00 66 00").sw == 0x6D00


def test_an_interindustry_class_is_6E00(sim: Simulator) -> None:
    assert sim.transmit(command(0x00, 0xF2, 0x40, 0x00, b"\x4F\x00")).sw == 0x6E00


def test_secure_messaging_without_a_secure_channel_session_is_6982(sim: Simulator) -> None:
    assert sim.transmit(command(0x84, 0xE4, 0x00, 0x00, b"\x4F" + lv(INSTALLABLE))).sw == 0x6982
    assert f"{PKG}.installable" in [p.name for p in sim.packages()]


def test_the_card_manager_answers_on_a_logical_channel(sim: Simulator) -> None:
    install(sim, install_data())
    # The card manager is not MultiSelectable: channel 0 must let go of it first.
    sim.select(KEEPER.hex())
    channel = sim.open_channel()
    assert sim.select(ISD, channel).sw == 0x9000
    response = sim.transmit(command(0x80, 0xF2, 0x40, 0x00, b"\x4F\x00"), channel)
    assert (response.data, response.sw) == (lv(KEEPER) + b"\x07\x00", 0x9000)
    # Keeper is active on channel 0, so deleting it from channel 1 is refused.
    assert sim.transmit(command(0x80, 0xE4, 0x00, 0x00, b"\x4F" + lv(KEEPER)), channel).sw == \
        0x6985


def test_an_installed_applet_can_be_selected_and_run_after_install_through_the_card_manager(
        sim: Simulator) -> None:
    install(sim, install_data())
    assert sim.select(KEEPER.hex()).sw == 0x9000
    assert run(sim, KEEPER, lambda applet, apdu: 0x4242).data == b"\x42\x42"
    assert Keeper.__name__ == sim.applets()[-1].applet_class.split(":")[1]


def test_the_card_manager_answers_on_a_type_16_logical_channel() -> None:
    card = Simulator(gp_open=True)  # the ISD is not MultiSelectable: keep it off the basic channel
    for expected in range(1, 5):
        assert card.open_channel() == expected
    assert card.select(ISD, 4).sw == 0x9000
    # CLA C0: proprietary class, type 16 coding, channel 4, no secure messaging.
    response = card.transmit(command(0xC0, 0xF2, 0x20, 0x00, b"\x4F\x00"))
    assert response.sw == 0x9000
    assert bytes.fromhex("A0000001510000") in response.data


def test_the_card_manager_itself_cannot_be_deleted(sim: Simulator) -> None:
    from jcsim import DeletionRefusedError

    with pytest.raises(DeletionRefusedError, match="card manager"):
        sim.delete_applet(ISD)
    with pytest.raises(DeletionRefusedError, match="card manager"):
        sim.delete_package("A0 00 00 01 51 00 00", with_applets=True)
    assert str(sim.applets()[0].aid) == ISD


def test_install_without_make_selectable_leaves_the_instance_installed_until_made_selectable(
        sim: Simulator) -> None:
    assert install(sim, install_data(), p1=0x04).sw == 0x9000
    status = sim.transmit(command(0x80, 0xF2, 0x40, 0x00, b"\x4F\x00"))
    assert lv(KEEPER) + b"\x03" in status.data  # life cycle INSTALLED
    # Not selectable: the SELECT finds nothing, so it goes to the card manager selected on the
    # channel, which refuses an interindustry class.
    assert sim.select(KEEPER).sw == 0x6E00
    assert sim.selected(0) == AID(bytes.fromhex(ISD))
    make_selectable = lv(b"") + lv(b"") + lv(KEEPER) + lv(b"\x00") + lv(b"") + lv(b"")
    assert install(sim, make_selectable, p1=0x08).sw == 0x9000
    status = sim.transmit(command(0x80, 0xF2, 0x40, 0x00, b"\x4F\x00"))
    assert lv(KEEPER) + b"\x07" in status.data  # SELECTABLE
    # Making it selectable twice is refused.
    assert install(sim, make_selectable, p1=0x08).sw == 0x6985
    assert sim.select(KEEPER).sw == 0x9000


def test_an_installed_but_not_selectable_instance_stays_so_across_a_card_image(
        sim: Simulator) -> None:
    assert install(sim, install_data(privileges=b"\x04"), p1=0x04).sw == 0x9000
    loaded = Simulator.from_snapshot(sim.snapshot())
    record = loaded.card.registry.find(KEEPER)
    assert (record.selectable, record.privileges) == (False, b"\x04")
    assert loaded.select(KEEPER).sw == 0x6999  # nothing is selected on the loaded card


@pytest.mark.parametrize(("p1", "selectable"), [(0x04, False), (0x0C, True)])
def test_install_of_an_applet_that_registers_under_another_AID_keeps_the_AID_it_chose(
        sim: Simulator, p1: int, selectable: bool) -> None:
    from tests.runtime.firewall_packages.renaming import CHOSEN_AID

    sim.load_package(f"{PKG}.renaming")
    package, module = bytes.fromhex("F04A435352"), bytes.fromhex("F04A43535201")
    asked = bytes.fromhex("F04A4353520101")
    response = install(sim, install_data(elf=package, module=module, instance=asked), p1)
    assert (response.data, response.sw) == (b"\x00", 0x9000)
    assert AID(CHOSEN_AID) in aids(sim) and AID(asked) not in aids(sim)
    # [for install] alone leaves the instance INSTALLED, whatever AID it registered under.
    status = sim.transmit(command(0x80, 0xF2, 0x40, 0x00, b"\x4F\x00"))
    assert lv(CHOSEN_AID) + (b"\x07" if selectable else b"\x03") in status.data
