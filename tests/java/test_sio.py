"""Shareable interface objects between a Java package and a Python package, in both directions,
and between two Java packages: the firewall switches contexts, refuses what is not shared, and
exceptions cross back (JCRE 3.0.5 §6.2.4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jcsim import Simulator
from jcsim.java import JavaClasspath
from tests.java import sio_python, sio_python_client

SERVER_AID = "A0 00 00 00 62 03 01 0D 01 01"
CLIENT_AID = "A0 00 00 00 62 03 01 0D 02 01"


@pytest.fixture(scope="module")
def classes(card_classes: Path) -> JavaClasspath:
    return JavaClasspath([card_classes])


def _sides(classes: JavaClasspath, server: str, client: str) -> tuple[type, type]:
    java = {"server": classes["com.jcsim.sio.server.CounterServer"],
            "client": classes["com.jcsim.sio.client.CounterClient"]}
    python = {"server": sio_python.CounterServer, "client": sio_python_client.CounterClient}
    return (java if server == "java" else python)["server"], \
        (java if client == "java" else python)["client"]


@pytest.mark.parametrize(("server", "client"), [("java", "python"), ("python", "java"),
                                                ("java", "java"), ("python", "python")])
def test_a_client_calls_a_server_of_another_package(classes: JavaClasspath, server: str,
                                                    client: str) -> None:
    server_class, client_class = _sides(classes, server, client)
    sim = Simulator()
    sim.install(server_class, SERVER_AID)
    sim.install(client_class, CLIENT_AID)
    sim.select(CLIENT_AID)
    data = SERVER_AID.replace(" ", "")
    response = sim.transmit(f"00 10 00 05 0A {data} 00")
    assert (response.data, response.sw) == (bytes.fromhex("0005 0005"), 0x9000)
    response = sim.transmit(f"00 10 01 00 0A {data} 00")
    assert response.data == bytes.fromhex("0105 0105")
    # The server refuses parameter 2: the client gets null.
    assert sim.transmit(f"00 11 00 01 0A {data} 00").sw == 0x6985
    # An ISOException thrown in the server's context reaches the JCRE through the client.
    assert sim.transmit(f"00 10 FF FF 0A {data} 00").sw == 0x6A80
    # The server saw the client's context as the previous one (a 10-byte AID).
    sim.select(SERVER_AID)
    assert sim.transmit("00 20 00 00 00").data == bytes.fromhex("0105")
    assert sim.transmit("00 22 00 00 00").data == b"\x0a"


def test_the_firewall_guards_a_java_server_beyond_its_shareable_interface(
        classes: JavaClasspath) -> None:
    from jcsim.lang import SecurityException
    from jcsim.runtime.dispatch import call_in_context

    sim = Simulator()
    sim.install(classes["com.jcsim.sio.server.CounterServer"], SERVER_AID)
    sim.install(sio_python_client.CounterClient, CLIENT_AID)
    server = sim.card.registry.find(bytes.fromhex(SERVER_AID.replace(" ", "")))
    client = sim.card.registry.find(bytes.fromhex(CLIENT_AID.replace(" ", "")))
    # From the client's context: the Shareable methods are open, a field is not.
    assert call_in_context(sim.card, client, lambda: server.instance.add(3)) == 3
    with pytest.raises(SecurityException):
        call_in_context(sim.card, client, lambda: server.instance.count)
    with pytest.raises(SecurityException):
        call_in_context(sim.card, client, lambda: server.instance.process)
