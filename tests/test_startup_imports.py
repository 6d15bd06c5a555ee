"""``import jcsim`` loads only what the in-process path uses."""

from __future__ import annotations

import subprocess
import sys

ON_DEMAND = ("jcsim.transport.vpcd", "jcsim.runtime.image", "socket", "json", "tempfile",
             "hashlib", "cryptography", "logging", "jcsim.runtime.deletion",
             "jcsim.inventory", "jcsim.runtime.memory_snapshot",
             "jcsim.framework.owner_pin_x", "jcsim.framework.sensitive_arrays",
             "jcsim.runtime.gp.host_keys")
# The secure channel protocols and their block ciphers: loaded by the first INITIALIZE UPDATE,
# key check value or PUT KEY, not by a card that runs an applet.
SECURE_CHANNEL = ("jcsim.runtime.gp.scp02", "jcsim.runtime.gp.scp03",
                  "jcsim.runtime.gp.primitives")

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


def test_deletion_refused_error_is_still_reached_from_jcsim() -> None:
    loaded = loaded_after("import jcsim\nfrom jcsim import DeletionRefusedError\n"
                          "from jcsim.runtime.deletion import DeletionRefusedError as Same\n"
                          "assert DeletionRefusedError is Same\n"
                          "assert issubclass(Same, jcsim.JCSimError)")
    assert "jcsim.runtime.deletion" in loaded


def test_the_listing_and_memory_values_load_with_the_first_listing() -> None:
    loaded = loaded_after(ONE_APDU + "from jcsim import AppletInfo, PackageInfo\n"
                          "from jcsim.simulator import AppletInfo as A, PackageInfo as P\n"
                          "from jcsim.runtime.memory import MemorySnapshot\n"
                          "assert (A, P) == (AppletInfo, PackageInfo)\n"
                          "[echo] = [a for a in sim.applets() if a.aid.value.hex() == "
                          "'f00000000101']\n"
                          "assert type(echo) is AppletInfo\n"
                          "assert echo.applet_class.endswith(':Echo')\n"
                          "assert all(type(p) is PackageInfo for p in sim.packages())\n"
                          "report = sim.memory()\n"
                          "assert type(report) is MemorySnapshot\n"
                          "assert 0 < report.persistent.used < report.persistent.capacity\n")
    assert {"jcsim.inventory", "jcsim.runtime.memory_snapshot"} <= loaded


def test_the_framework_classes_the_runtime_never_uses_load_when_an_applet_names_them() -> None:
    loaded = loaded_after("import jcsim.framework as framework\n"
                          "from jcsim.framework import OwnerPINx, SensitiveArrays\n"
                          "from jcsim.framework.owner_pin_x import OwnerPINx as Same\n"
                          "assert OwnerPINx is Same and framework.OwnerPINBuilder\n"
                          "assert {'OwnerPINx', 'SensitiveArrays'} <= set(dir(framework))\n"
                          "assert 'OwnerPINxWithPredecrement' in framework.__all__\n")
    assert {"jcsim.framework.owner_pin_x", "jcsim.framework.sensitive_arrays"} <= loaded


def test_a_card_running_an_applet_in_process_loads_nothing_it_does_not_use() -> None:
    # The card manager's secure channels need cryptography, and the firewall logs one kind of
    # applet mistake: neither is loaded until used. The card manager itself and its default key
    # sets are part of every card.
    loaded = loaded_after(ONE_APDU)
    assert {"jcsim.runtime.card_manager", "jcsim.runtime.gp.keys"} <= loaded
    unused = (set(ON_DEMAND) - {"hashlib"}) | set(SECURE_CHANNEL)  # installing derives AIDs
    assert loaded.isdisjoint(unused), loaded & unused


def test_a_secure_channel_loads_cryptography_when_it_opens() -> None:
    # RFC 4493 §4, example 1: AES-CMAC of the empty message.
    loaded = loaded_after(ONE_APDU + "from jcsim.runtime.gp.primitives import aes_cmac\n"
                          "key = bytes.fromhex('2b7e151628aed2a6abf7158809cf4f3c')\n"
                          "assert aes_cmac(key, b'').hex() == "
                          "'bb1d6929e95937287fa37d129b756746'\n")
    assert "cryptography" in loaded


def test_initialize_update_loads_the_secure_channel_protocols() -> None:
    # 80 50 00 00 08 host-challenge: the ISD answers for its SCP03 key set 30 (i = 70) with
    # key diversification data (10), key information 30 03 70, card challenge (8), card
    # cryptogram (8) and the sequence counter (3) (Amendment D §7.1.1).
    loaded = loaded_after(ONE_APDU + "sim.select('A000000151000000')\n"
                          "answer = sim.transmit('8050000008' + '11' * 8 + '00')\n"
                          "assert answer.sw == 0x9000 and len(answer.data) == 32, answer\n"
                          "assert answer.data[10:13] == bytes.fromhex('300370'), answer\n")
    assert set(SECURE_CHANNEL) <= loaded


def test_gp_keys_loads_with_the_first_host_that_configures_key_sets() -> None:
    loaded = loaded_after("from jcsim import Simulator\n"
                          "from jcsim.runtime.gp import GPKeys\n"
                          "from jcsim.runtime.gp.keys import GPKeys as Same, key_sets_from\n"
                          "assert GPKeys is Same\n"
                          "key = bytes(range(16))\n"
                          "sim = Simulator(gp_keys=GPKeys(0x31, key, key, key))\n"
                          "assert sim.transmit('00A4040008A000000151000000').sw == 0x9000\n"
                          "assert key_sets_from(key)[0x30] == (3, 0x70, key, key, key)\n")
    assert "jcsim.runtime.gp.host_keys" in loaded


def test_the_default_i_parameters_of_the_key_sets_are_the_protocols_own() -> None:
    from jcsim.runtime.gp import keys, scp02, scp03

    assert keys.DEFAULT_I == {3: scp03.DEFAULT_I, 2: scp02.DEFAULT_I}
    sets = keys.default_key_sets()
    assert sets[keys.SCP03_KVN][:2] == (3, scp03.DEFAULT_I)
    assert sets[keys.SCP02_KVN][:2] == (2, scp02.DEFAULT_I)
