"""The echo sample, through the ``simulator`` fixture of jcsim's pytest plugin."""

import pytest

from jcsim.samples.echo import Echo

AID = "F0 00 00 00 01 01"


@pytest.mark.parametrize("simulator", ["T=0", "T=1"], indirect=True)
def test_echo_returns_the_command_data_on_both_protocols(simulator):
    simulator.install(Echo, aid=AID)
    assert simulator.select(AID).sw == 0x9000
    response = simulator.transmit("80 01 00 00 03 0A0B0C 00")
    if simulator.protocol == "T=0":
        assert response.sw == 0x6103
        response = simulator.transmit("00 C0 00 00 03")
    assert (response.data, response.sw) == (bytes.fromhex("0A0B0C"), 0x9000)


def test_echo_of_an_extended_command_returns_all_4000_bytes(simulator):
    simulator.install(Echo, aid=AID)
    simulator.select(AID)
    data = bytes(i * 7 & 0xFF for i in range(4000))
    response = simulator.transmit(bytes.fromhex("80010000000FA0") + data + b"\x00\x00")
    assert response.sw == 0x9000
    assert response.data == data


def test_echo_pages_a_long_command_through_a_small_apdu_buffer():
    from jcsim import Simulator

    sim = Simulator(apdu_buffer_size=261)
    sim.install(Echo, aid=AID)
    sim.select(AID)
    data = bytes(range(256)) * 8
    response = sim.transmit(bytes.fromhex("800100000008 00".replace(" ", "")) + data + b"\x00\x00")
    assert response.sw == 0x9000
    assert response.data == data


def test_greeting_and_pattern_instructions(simulator):
    simulator.install(Echo, aid=AID)
    simulator.select(AID)
    assert simulator.transmit("80 02 00 00 00").data == b"Hello from jcsim"
    pattern = simulator.transmit("80 03 00 C8 00")
    assert pattern.data == bytes(range(200))


def test_unknown_instruction_is_6D00(simulator):
    simulator.install(Echo, aid=AID)
    simulator.select(AID)
    assert simulator.transmit("80 7F 00 00").sw == 0x6D00


def test_the_demo_runs_to_the_end_without_pausing():
    from rich.console import Console

    from jcsim.cli.demo import run_demo

    console = Console(record=True, width=100)
    assert run_demo("hello", console, pause=False) == 0
    assert "Hello from jcsim" in console.export_text()


def old_module_path_image() -> bytes:
    """An image of an echo card as the samples' former top-level package ``samples`` wrote it:
    the same body with every class path ``samples.echo.echo:...``, checksum recomputed."""
    import hashlib
    import json

    from jcsim import Simulator

    sim = Simulator()
    sim.install(Echo, aid=AID, default=True)
    document = json.loads(sim.snapshot())
    text = json.dumps(document["body"])
    assert "jcsim.samples.echo.echo:Echo" in text
    body = json.loads(text.replace("jcsim.samples.echo", "samples.echo"))
    document["body"] = body
    document["sha256"] = hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return json.dumps(document).encode()


@pytest.mark.parametrize("allow_modules", [None, ["samples.echo"]])
def test_an_image_naming_the_former_samples_package_is_refused_with_the_module_named(
        allow_modules):
    import sys

    from jcsim import ImageError, Simulator

    data = old_module_path_image()
    loaded = set(sys.modules)
    with pytest.raises(ImageError, match=r"samples\.echo\.echo"):
        Simulator.from_snapshot(data, allow_modules=allow_modules)
    # Refused before anything of the image was imported under the old name.
    assert not {name for name in set(sys.modules) - loaded if name.startswith("samples.echo.")}
