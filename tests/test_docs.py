"""The documentation site builds from docs/ with warnings as errors.

``mkdocs build --strict`` fails on a broken link between pages, a missing anchor, a page left
out of the navigation, and any docstring mkdocstrings cannot render into the API reference, so
these tests keep the site and the package's docstrings in step; they need the ``docs`` extra.
README keeps a map of the pages and one example, checked here too.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def build(site: Path, config: Path = ROOT / "mkdocs.yml") -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install -e '.[docs]')")
    pytest.importorskip(
        "mkdocstrings_handlers.python",
        reason="mkdocstrings[python] is not installed (pip install -e '.[docs]')",
    )
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_site_builds_strictly_with_every_page_and_the_api_reference(tmp_path):
    site = tmp_path / "site"
    result = build(site)
    assert result.returncode == 0, result.stderr
    pages = {p.stem for p in (ROOT / "docs").glob("*.md")}
    for page in pages - {"index"}:
        assert (site / page / "index.html").is_file(), page
    reference = (site / "reference" / "host" / "index.html").read_text(encoding="utf-8")
    # Rendered from the docstrings, not written in the page.
    assert "jcsim.simulator.Simulator" in reference
    assert "transmit" in reference


def test_a_broken_link_fails_the_build(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\nSee [nowhere](missing.md).\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: check\ndocs_dir: {docs}\n", encoding="utf-8")
    result = build(tmp_path / "site", config)
    assert result.returncode != 0
    assert "missing.md" in result.stderr


def test_the_readme_links_every_page_and_its_example_passes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pages = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))
    pages.remove("docs/index.md")  # the site's home page repeats the map README gives
    for page in [*pages, "docs/reference/index.md"]:
        assert f"]({page})" in readme, page
    (example,) = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    namespace: dict = {"__name__": "readme_example"}
    exec(example, namespace)
    namespace["test_echo"]()
