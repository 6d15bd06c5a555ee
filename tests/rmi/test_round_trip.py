"""Every type Java Card RMI carries goes from the host to the card and back unchanged, through
the real client (proxies, INVOKE) and the real RMIService (unmarshalling into Java arrays,
marshalling the result), in both reference formats, under T=0 and T=1."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.rmi.client import JCRMIConnect, RemoteArgumentError, SimulatorCardAccessor
from tests.rmi.applets import ECHOES_AID, Echoes, EchoesApplet

BYTES = st.integers(-128, 127)
SHORTS = st.integers(-0x8000, 0x7FFF)
INTS = st.integers(-0x8000_0000, 0x7FFF_FFFF)
FORMATS = [JCRMIConnect.REF_WITH_CLASS_NAME, JCRMIConnect.REF_WITH_INTERFACE_NAMES]


def echoes(protocol: str, ref_format: int) -> Echoes:
    sim = Simulator(protocol)
    sim.install(EchoesApplet, ECHOES_AID)
    connection = JCRMIConnect(SimulatorCardAccessor(sim))
    connection.select_applet(ECHOES_AID, ref_format)
    return connection.get_initial_reference()


@pytest.fixture(scope="module", params=[(p, f) for p in ("T=0", "T=1") for f in FORMATS],
                ids=lambda p: f"{p[0]}-{'interfaces' if p[1] else 'class'}")
def proxy(request: pytest.FixtureRequest) -> Echoes:
    """One card per protocol and format, shared by the examples of a module (the methods
    under test keep no state)."""
    return echoes(*request.param)


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(value=st.booleans())
def test_a_boolean_comes_back(proxy, value):
    assert proxy.echoBoolean(value) is value


@SETTINGS
@given(value=BYTES)
def test_a_byte_comes_back(proxy, value):
    assert proxy.echoByte(value) == value


@SETTINGS
@given(value=SHORTS)
def test_a_short_comes_back(proxy, value):
    assert proxy.echoShort(value) == value


@SETTINGS
@given(value=INTS)
def test_an_int_comes_back(proxy, value):
    assert proxy.echoInt(value) == value


@SETTINGS
@given(values=st.none() | st.lists(st.booleans(), max_size=250))
def test_a_boolean_array_comes_back(proxy, values):
    assert proxy.echoBooleans(values) == values


@SETTINGS
@given(values=st.none() | st.binary(max_size=250))
def test_a_byte_array_comes_back_as_bytes(proxy, values):
    assert proxy.echoBytes(values) == values


@SETTINGS
@given(values=st.lists(BYTES, max_size=250))
def test_signed_byte_values_travel_as_their_bytes(proxy, values):
    assert proxy.echoBytes(values) == bytes(v & 0xFF for v in values)


@SETTINGS
@given(values=st.none() | st.lists(SHORTS, max_size=125))
def test_a_short_array_comes_back(proxy, values):
    assert proxy.echoShorts(values) == values


@SETTINGS
@given(values=st.none() | st.lists(INTS, max_size=62))
def test_an_int_array_comes_back(proxy, values):
    assert proxy.echoInts(values) == values


@SETTINGS
@given(flag=st.booleans(), b=BYTES, s=SHORTS, i=st.integers(-0x4000_0000, 0x3FFF_FFFF),
       data=st.none() | st.binary(max_size=200))
def test_several_parameters_arrive_in_order(proxy, flag, b, s, i, data):
    total = b + s + i + (sum(data) if data is not None else 0)
    assert proxy.mix(flag, b, s, i, data) == (-total if flag else total)


def test_unsigned_readings_of_byte_short_and_int_are_accepted_and_come_back_signed(proxy):
    assert proxy.echoByte(0xFF) == -1
    assert proxy.echoShort(0xFFFE) == -2
    assert proxy.echoInt(0xFFFF_FFFF) == -1


def test_keyword_arguments_bind_by_the_declared_parameter_names(proxy):
    assert proxy.mix(flag=False, b=1, s=2, i=3, data=b"\x04") == 10


@pytest.mark.parametrize(("method", "args"), [
    ("echoShort", (0x10000,)), ("echoByte", (-129,)), ("echoBoolean", (2,)),
    ("echoShort", ("7",)), ("echoBytes", (bytes(251),)), ("echoInts", ([0] * 63,)),
    ("echoShort", ()), ("echoShort", (1, 2)),
])
def test_arguments_the_signature_cannot_carry_are_refused_on_the_host(proxy, method, args):
    with pytest.raises(RemoteArgumentError):
        getattr(proxy, method)(*args)
