"""The Java test applets of tests/java/applets answer exactly as their Python twins in
jcsim/samples/.

Each scenario drives a card through the host API and returns everything it observed; it runs
once with the Python sample and once with the Java class compiled by `jcsim javac`, and the two
transcripts must be equal (and the scenario's own assertions hold on both). Hypothesis sends
random command sequences to both twins of the echo, the transactional purse and the RMI purse.
Skips where there is no javac.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim import CardTornError, Response, Simulator
from jcsim.framework import UserException
from jcsim.rmi.client import JCRMIConnect, SimulatorCardAccessor
from jcsim.samples.channel_security.channel_security_applet import ChannelSecurityApplet
from jcsim.samples.echo.echo import Echo
from jcsim.samples.multiselectable.sample_applet import SampleApplet
from jcsim.samples.purse import PURSE_AID, PurseApplet
from jcsim.samples.purse_tx.purse import BrokenPurse, Purse
from jcsim.testing import TearPoint, TearSweepError, tear_sweep

pytestmark = pytest.mark.skipif(
    shutil.which("javac") is None,
    reason="no javac on this machine (Debian: apt-get install openjdk-17-jdk-headless)")

APPLETS = Path(__file__).parent / "java" / "applets"

PYTHON = {
    "echo": Echo,
    "purse": Purse,
    "broken_purse": BrokenPurse,
    "multiselectable": SampleApplet,
    "channel_security": ChannelSecurityApplet,
    "rmi_purse": PurseApplet,
}
JAVA = {
    "echo": ("echo", "com.example.echo.Echo"),
    "purse": ("purse_tx", "com.example.pursetx.Purse"),
    "broken_purse": ("purse_tx", "com.example.pursetx.BrokenPurse"),
    "multiselectable": ("multiselectable", "com.example.multiselectable.SampleApplet"),
    "channel_security": ("channel_security",
                         "com.example.channelsecurity.ChannelSecurityApplet"),
    "rmi_purse": ("rmi_purse", "com.example.rmipurse.PurseApplet"),
}


@pytest.fixture(scope="module")
def java_classes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from jcsim.java import JavaClasspath
    from jcsim.java.javac import compile_java

    compiled: dict[str, Any] = {}
    root = tmp_path_factory.mktemp("applet-classes")
    for applet in sorted({directory for directory, _ in JAVA.values()}):
        out = compile_java(sorted((APPLETS / applet).rglob("*.java")), root / applet)
        compiled[applet] = JavaClasspath([out])
    return {name: compiled[directory][cls] for name, (directory, cls) in JAVA.items()}


def both(java_classes: dict[str, Any], scenario: Callable[[dict[str, Any]], list]) -> list:
    """Run ``scenario`` over the Python twins and the Java twins; their transcripts agree."""
    python = scenario(PYTHON)
    java = scenario(java_classes)
    assert java == python
    return java


# -- echo with extended length ------------------------------------------------------------

ECHO_AID = "F0 00 00 00 01 01"


@pytest.mark.parametrize("protocol", ["T=0", "T=1"])
def test_echo_twins_answer_alike(java_classes: dict, protocol: str) -> None:
    def scenario(applets: dict) -> list:
        sim = Simulator(protocol)
        sim.install(applets["echo"], ECHO_AID)
        seen = [sim.select(ECHO_AID)]
        for command in ("80 01 00 00 03 0A0B0C 00", "80 02 00 00 10", "80 02 00 00 00",
                        "80 7F 00 00", "80 03 00 05 05", "80 03 01 05 00", "80 03 80 00 00",
                        "80 01 00 00 00", "00 C0 00 00 03"):
            seen.append(sim.transmit(command))
        return seen

    seen = both(java_classes, scenario)
    assert seen[0].sw == 0x9000 and seen[4].sw == 0x6D00


def test_echo_twins_answer_an_extended_command_alike(java_classes: dict) -> None:
    data = bytes(range(256)) * 15 + bytes(range(160))

    def scenario(applets: dict) -> list:
        sim = Simulator("T=1")
        sim.install(applets["echo"], ECHO_AID)
        sim.select(ECHO_AID)
        return [sim.transmit(bytes.fromhex("80010000 00 0FA0") + data + b"\x00\x00"),
                sim.transmit(bytes.fromhex("80030FA0 00 0000"))]

    echoed, pattern = both(java_classes, scenario)
    assert echoed == Response(data, 0x9000)
    assert pattern.data == bytes(i & 0xFF for i in range(4000))


def test_echo_twins_page_a_long_command_through_a_small_buffer_alike(java_classes: dict) -> None:
    data = bytes(range(256)) * 8

    def scenario(applets: dict) -> list:
        sim = Simulator(apdu_buffer_size=261)
        sim.install(applets["echo"], ECHO_AID)
        sim.select(ECHO_AID)
        return [sim.transmit(bytes.fromhex("80010000 000800") + data + b"\x00\x00")]

    assert both(java_classes, scenario) == [Response(data, 0x9000)]


# -- the transactional purse, its tears -----------------------------------------------------

PURSE_AID_TX = "F0 00 00 00 30 01"
SELECT_PURSE = f"00 A4 04 00 06 {PURSE_AID_TX} 00"


def debit(amount: int) -> str:
    return f"80 30 00 00 02 {amount & 0xFFFF:04X}"


def purse_state(sim: Simulator) -> tuple[int, list[int]]:
    assert sim.select(PURSE_AID_TX).sw == 0x9000
    balance, log = sim.transmit("80 32 00 00 04"), sim.transmit("80 34 00 00 00")
    assert balance.sw == log.sw == 0x9000
    return (int.from_bytes(balance.data[:2], "big"),
            [int.from_bytes(log.data[i:i + 2], "big") for i in range(0, len(log.data), 2)])


def money_is_conserved(sim: Simulator, point: TearPoint) -> None:
    balance, amounts = purse_state(sim)
    assert balance + sum(amounts) == 1000, f"balance {balance} + debits {amounts} != 1000"


@pytest.mark.parametrize("kind", ["purse", "broken_purse"])
def test_purse_twins_answer_alike(java_classes: dict, kind: str) -> None:
    def scenario(applets: dict) -> list:
        sim = Simulator()
        sim.install(applets[kind], PURSE_AID_TX)
        seen: list = [sim.select(PURSE_AID_TX)]
        for command in (debit(100), "80 30 00 00 01 05", debit(0), debit(-5), debit(5000),
                        *[debit(10)] * 8, "80 10 00 00"):
            seen.append(sim.transmit(command))
        seen.append(purse_state(sim))
        return seen

    seen = both(java_classes, scenario)
    assert [r.sw for r in seen[2:6]] == [0x6700, 0x6A80, 0x6A80, 0x6985]
    assert seen[-3].sw == 0x6A84 and seen[-1] == (830, [100] + [10] * 7)


def test_both_purses_conserve_money_at_every_tear_point(java_classes: dict) -> None:
    def scenario(applets: dict) -> list:
        sim = Simulator()
        sim.install(applets["purse"], PURSE_AID_TX)
        report = tear_sweep(sim, [SELECT_PURSE, debit(100), debit(250)], money_is_conserved)
        return [report.writes_per_command, len(report.points)]

    assert both(java_classes, scenario) == [(0, 3, 3), 1 + 2 * 4]


def test_the_sweep_catches_both_broken_purses_at_the_same_write(java_classes: dict) -> None:
    def scenario(applets: dict) -> list:
        sim = Simulator()
        sim.install(applets["broken_purse"], PURSE_AID_TX)
        with pytest.raises(TearSweepError) as caught:
            tear_sweep(sim, [SELECT_PURSE, debit(100), debit(250)], money_is_conserved)
        return [caught.value.point, str(caught.value)]

    point, message = both(java_classes, scenario)
    assert point == TearPoint(command=1, writes=1)
    assert "balance 900 + debits [] != 1000" in message.replace("'", "")


def test_a_tear_after_the_first_write_rolls_both_purses_back(java_classes: dict) -> None:
    def scenario(applets: dict) -> list:
        sim = Simulator()
        sim.install(applets["purse"], PURSE_AID_TX)
        sim.select(PURSE_AID_TX)
        sim.arm_tear(after_writes=1)
        with pytest.raises(CardTornError):
            sim.transmit(debit(100))
        sim.power_on()
        return [purse_state(sim)]

    assert both(java_classes, scenario) == [(1000, [])]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(
    st.integers(-3, 400).map(debit),
    st.sampled_from(["80 32 00 00 04", "80 34 00 00 00", "80 30 00 00 01 01", "80 99 00 00"])),
    max_size=14))
def test_purse_twins_agree_on_any_command_sequence(java_classes: dict, commands: list) -> None:
    def scenario(applets: dict) -> list:
        sim = Simulator()
        sim.install(applets["purse"], PURSE_AID_TX)
        sim.select(PURSE_AID_TX)
        return [sim.transmit(command) for command in commands]

    both(java_classes, scenario)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from([0x01, 0x02, 0x03, 0x04]), st.binary(max_size=40),
                          st.integers(0, 0x200)), max_size=6))
def test_echo_twins_agree_on_any_command_sequence(java_classes: dict, commands: list) -> None:
    def scenario(applets: dict) -> list:
        sim = Simulator("T=1")
        sim.install(applets["echo"], ECHO_AID)
        sim.select(ECHO_AID)
        seen = []
        for ins, data, p1p2 in commands:
            header = bytes([0x80, ins, p1p2 >> 8, p1p2 & 0xFF])
            body = bytes([len(data)]) + data if data else b""
            seen.append(sim.transmit(header + body + b"\x00"))
        return seen

    both(java_classes, scenario)


# -- MultiSelectable on channels --------------------------------------------------------------

MS_A = "F0 00 00 00 10 01"
MS_B = "F0 00 00 00 10 02"


def test_multiselectable_twins_answer_alike_across_channels(java_classes: dict) -> None:
    def get(sim: Simulator, data_type: int, channel: int) -> Response:
        return sim.transmit(f"80 CA 00 {data_type:02X} 00", channel)

    def scenario(applets: dict) -> list:
        sim = Simulator()
        sim.install(applets["multiselectable"], MS_A)
        sim.install(applets["multiselectable"], MS_B)
        seen: list = [sim.select(MS_A, 0), get(sim, 1, 0), get(sim, 2, 0)]
        one = sim.open_channel()
        seen += [sim.select(MS_B, one), get(sim, 1, one), get(sim, 2, one)]
        two = sim.open_channel(origin=one)  # B again, already active: select(true)
        seen += [get(sim, 1, two), get(sim, 2, two)]
        sim.close_channel(one)  # B stays active on `two`
        seen += [get(sim, 1, two), get(sim, 2, 0)]
        sim.close_channel(two)  # B leaves; A keeps the package active
        seen += [get(sim, 2, 0), sim.select(MS_B, 0), get(sim, 1, 0), get(sim, 2, 0)]
        seen += [get(sim, 3, 0), sim.transmit("80 CB 00 01 00", 0)]
        return seen

    seen = both(java_classes, scenario)
    assert seen[1].data == b"\x01" * 8 and seen[2].data == b"\x02" * 8
    assert [r.sw for r in seen[-2:]] == [0x6A86, 0x6D00]


# -- per-channel security state, OwnerPIN -----------------------------------------------------

CS_AID = "F0 00 00 00 20 01"
VERIFY_GOOD = "80 20 00 00 04 31323334"
VERIFY_BAD = "80 20 00 00 04 39393939"
GET_SECRET = "80 CA 00 00 00"
GET_STATE = "80 CA 00 01 01"


def test_channel_security_twins_answer_alike(java_classes: dict) -> None:
    def scenario(applets: dict) -> list:
        sim = Simulator()
        sim.install(applets["channel_security"], CS_AID, default="contact")
        sim.reset()
        seen: list = [sim.transmit(GET_SECRET), sim.transmit(VERIFY_GOOD), sim.transmit(GET_SECRET)]
        seen += [sim.select(CS_AID, 2), sim.transmit(GET_STATE, 2), sim.transmit(VERIFY_GOOD, 2)]
        new = sim.open_channel(origin=2)
        seen += [sim.transmit(GET_STATE, new), sim.transmit(GET_SECRET, new)]
        fresh = sim.open_channel(origin=0)
        seen += [sim.transmit(GET_STATE, fresh)]
        seen += [sim.transmit(VERIFY_BAD, 2) for _ in range(4)]
        seen += [sim.transmit(GET_STATE, new), sim.transmit("80 00 00 00", new)]
        sim.reset()
        seen += [sim.transmit(GET_STATE)]
        return seen

    seen = both(java_classes, scenario)
    assert seen[0].sw == 0x6982 and seen[2].data == b"the vault code is 0451"
    assert [r.sw for r in seen[9:13]] == [0x63C2, 0x63C1, 0x63C0, 0x6983]


def test_channel_security_twins_take_the_pin_from_the_install_parameters(
        java_classes: dict) -> None:
    def scenario(applets: dict) -> list:
        sim = Simulator()
        sim.install(applets["channel_security"], CS_AID, params=b"9876")
        sim.select(CS_AID)
        return [sim.transmit(VERIFY_GOOD), sim.transmit("80 20 00 00 04 39383736")]

    assert [r.sw for r in both(java_classes, scenario)] == [0x63C2, 0x9000]


# -- the RMI purse ----------------------------------------------------------------------------

class RecordingAccessor(SimulatorCardAccessor):
    """Keeps every command and response, so the twins' wire traffic can be compared."""

    def __init__(self, simulator: Simulator) -> None:
        super().__init__(simulator)
        self.exchanges: list[tuple[bytes, bytes]] = []

    def transmit(self, command: bytes) -> bytes:
        response = super().transmit(command)
        self.exchanges.append((bytes(command), response))
        return response


def rmi_calls(applet: type, calls: list[tuple[str, int | None]], protocol: str = "T=1",
              fmt: int = JCRMIConnect.REF_WITH_CLASS_NAME) -> list:
    sim = Simulator(protocol)
    sim.install(applet, PURSE_AID)
    accessor = RecordingAccessor(sim)
    connection = JCRMIConnect(accessor)
    connection.select_applet(PURSE_AID, fmt)
    purse = connection.get_initial_reference()
    seen: list = []
    for method, argument in calls:
        try:
            seen.append(getattr(purse, method)(*([] if argument is None else [argument])))
        except UserException as error:
            seen.append(("UserException", error.getReason()))
    # INVOKE uses the method ids of the Java descriptors, so after the SELECT (whose answer
    # names the class or its interfaces, in their own packages) the bytes on the wire are the
    # same for both twins.
    invokes = [i for i, (command, _) in enumerate(accessor.exchanges) if command[1] == 0x38]
    selection = accessor.exchanges[:invokes[0]] if invokes else accessor.exchanges
    assert any(b"Purse" in answer for _, answer in selection)
    return [*seen, selection[0][0], accessor.exchanges[len(selection):]]


@pytest.mark.parametrize("fmt", [JCRMIConnect.REF_WITH_CLASS_NAME,
                                 JCRMIConnect.REF_WITH_INTERFACE_NAMES])
def test_rmi_purse_twins_answer_alike(java_classes: dict, fmt: int) -> None:
    calls = [("getBalance", None), ("credit", 300), ("debit", 120), ("credit", 401),
             ("debit", 500), ("credit", -1), ("getBalance", None)]
    seen = both(java_classes, lambda applets: rmi_calls(applets["rmi_purse"], calls, fmt=fmt))
    assert seen[:-2] == [0, 300, 180, ("UserException", 0x0102), ("UserException", 0x0102),
                         ("UserException", 0x0102), 180]
    assert len(seen[-1]) == len(calls)  # one INVOKE exchange per call


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["credit", "debit"]), st.integers(-40, 450)),
                max_size=10))
def test_rmi_purse_twins_agree_on_any_request_sequence(java_classes: dict, calls: list) -> None:
    both(java_classes, lambda applets: rmi_calls(applets["rmi_purse"], calls, protocol="T=0"))


# -- SIO between two packages, in either language ------------------------------------------

SERVER_AID = "F0 00 00 00 40 01"
CLIENT_AID = "F0 00 00 00 41 01"
GRANT = "80 20 00 00 02 {:04X}"
CLIENT_BALANCE = "80 22 00 00 02"


@pytest.fixture(scope="module")
def sio_classes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    from jcsim.java import JavaClasspath
    from jcsim.java.javac import compile_java
    from tests.java.applets.sio_python.client import PointsClient
    from tests.java.applets.sio_python.server import PointsServer

    out = compile_java(sorted((APPLETS / "sio").rglob("*.java")),
                       tmp_path_factory.mktemp("sio-classes"))
    classes = JavaClasspath([out])
    return {
        "python": {"server": PointsServer, "client": PointsClient},
        "java": {"server": classes["com.example.sio.server.PointsServer"],
                 "client": classes["com.example.sio.client.PointsClient"]},
    }


def sio_scenario(server: type, client: type, client_aid: str = CLIENT_AID) -> list:
    sim = Simulator()
    seen: list = []
    sim.install(client, client_aid)
    seen.append(sim.select(client_aid))
    seen.append(sim.transmit(GRANT.format(10)))  # no server yet: 6A82
    sim.install(server, SERVER_AID)
    sim.select(client_aid)
    for amount in (100, 0, 501, 500, 500, 500, 500, -1):
        seen.append(sim.transmit(GRANT.format(amount & 0xFFFF)))
    seen += [sim.transmit(CLIENT_BALANCE), sim.transmit("80 24 00 00"),
             sim.transmit("80 20 00 00 01 05")]
    seen += [sim.select(SERVER_AID), sim.transmit("80 30 00 00 02")]
    return seen


EXPECTED_SIO = [0x9000, 0x6A82, 0x9000, 0x6A80, 0x6A80, 0x9000, 0x9000, 0x9000, 0x6A84, 0x6A80,
                0x9000, 0x6D00, 0x6700, 0x9000, 0x9000]


def test_the_sio_twins_answer_alike_within_one_language(sio_classes: dict) -> None:
    python = sio_scenario(sio_classes["python"]["server"], sio_classes["python"]["client"])
    java = sio_scenario(sio_classes["java"]["server"], sio_classes["java"]["client"])
    assert java == python
    assert [r.sw for r in java] == EXPECTED_SIO
    assert java[-1].data == bytes.fromhex("0640 0004")  # 1600 points from four grants
    assert java[2].data == bytes.fromhex("0064") and java[7].data == bytes.fromhex("0640")


@pytest.mark.parametrize("language", ["python", "java"])
def test_the_server_shares_with_no_other_client(sio_classes: dict, language: str) -> None:
    pair = sio_classes[language]
    seen = sio_scenario(pair["server"], pair["client"], client_aid="F0 00 00 00 41 02")
    assert [r.sw for r in seen[2:4]] == [0x6985, 0x6985]


@pytest.mark.parametrize(("server", "client"), [("java", "python"), ("python", "java")])
def test_sio_crosses_between_a_java_and_a_python_package(
        sio_classes: dict, server: str, client: str) -> None:
    mixed = sio_scenario(sio_classes[server]["server"], sio_classes[client]["client"])
    python = sio_scenario(sio_classes["python"]["server"], sio_classes["python"]["client"])
    assert mixed == python
