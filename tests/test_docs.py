"""The documentation site builds from docs/ with warnings as errors.

``mkdocs build --strict`` fails on a broken link between pages, a missing anchor, a page left
out of the navigation, and any docstring mkdocstrings cannot render into the API reference, so
this test keeps the site and the package's docstrings in step. It needs the ``docs`` extra.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install -e '.[docs]')")
pytest.importorskip(
    "mkdocstrings_handlers.python",
    reason="mkdocstrings[python] is not installed (pip install -e '.[docs]')",
)


def build(site: Path, config: Path = ROOT / "mkdocs.yml") -> subprocess.CompletedProcess[str]:
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
