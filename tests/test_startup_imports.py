"""``import jcsim`` loads only what the in-process path uses."""

from __future__ import annotations

import subprocess
import sys

ON_DEMAND = ("jcsim.transport.vpcd", "jcsim.runtime.image", "socket", "json", "tempfile",
             "hashlib")


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
