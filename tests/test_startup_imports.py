"""``import jcsim`` loads only what the in-process path uses."""

from __future__ import annotations

import subprocess
import sys

ON_DEMAND = ("jcsim.transport.vpcd", "jcsim.runtime.image", "socket", "json", "tempfile",
             "hashlib", "cryptography", "logging")

ONE_APDU = """
from jcsim import Simulator
from jcsim.samples.echo import Echo
sim = Simulator()
sim.install(Echo, "F00000000101")
sim.select("F00000000101")
assert sim.transmit("8001000002AABB00").sw == 0x9000
"""


def loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    return set(result.stdout.split())


def test_import_jcsim_leaves_the_transports_and_card_images_unloaded() -> None:
    loaded = loaded_after("import jcsim")
    assert "jcsim.simulator" in loaded
    assert loaded.isdisjoint(ON_DEMAND), loaded & set(ON_DEMAND)


def test_serve_vpcd_and_image_errors_are_still_reached_from_jcsim() -> None:
    loaded = loaded_after("import jcsim\nfrom jcsim import serve_vpcd, ImageError\n"
                          "from jcsim.runtime.image import ImageError as Same\n"
                          "assert ImageError is Same and callable(serve_vpcd)")
    assert "jcsim.transport.vpcd" in loaded


def test_a_card_running_an_applet_in_process_loads_nothing_it_does_not_use() -> None:
    # The card manager's secure channels need cryptography, and the firewall logs one kind of
    # applet mistake: neither is loaded until used.
    loaded = loaded_after(ONE_APDU)
    assert "jcsim.runtime.gp.primitives" in loaded
    unused = set(ON_DEMAND) - {"hashlib"}  # installing derives AIDs with it
    assert loaded.isdisjoint(unused), loaded & unused


def test_a_secure_channel_loads_cryptography_when_it_opens() -> None:
    # RFC 4493 §4, example 1: AES-CMAC of the empty message.
    loaded = loaded_after(ONE_APDU + "from jcsim.runtime.gp.primitives import aes_cmac\n"
                          "key = bytes.fromhex('2b7e151628aed2a6abf7158809cf4f3c')\n"
                          "assert aes_cmac(key, b'').hex() == "
                          "'bb1d6929e95937287fa37d129b756746'\n")
    assert "cryptography" in loaded
