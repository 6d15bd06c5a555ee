"""The distribution: ``python -m build`` makes an sdist and, from it, a wheel that works alone.

The wheel goes into a fresh virtual environment with nothing else of jcsim (no editable
install, no ``PYTHONPATH``); its dependencies come from this test environment, linked one
distribution at a time, so that the test needs no network beyond what ``build`` fetches
(setuptools, from the package index or pip's cache).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import jcsim

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def run(*args: str | Path, **options) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                            timeout=300, **options)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def dependency_closure(requirements: list[str]) -> list[metadata.Distribution]:
    """The installed distributions ``requirements`` need, and theirs, recursively."""
    from packaging.requirements import Requirement

    found: dict[str, metadata.Distribution] = {}
    pending = list(requirements)
    while pending:
        requirement = Requirement(pending.pop())
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = requirement.name.lower().replace("_", "-")
        if name in found:
            continue
        found[name] = distribution = metadata.distribution(requirement.name)
        pending.extend(distribution.requires or [])
    return list(found.values())


def link_distributions(distributions: list[metadata.Distribution], target: Path) -> None:
    """Symlink each distribution's top-level modules and metadata into ``target``."""
    target.mkdir()
    for distribution in distributions:
        site = Path(str(distribution.locate_file("")))
        tops = {Path(str(file)).parts[0] for file in distribution.files or ()}
        for top in tops - {"..", "__pycache__"}:
            source = site / top
            if source.exists() and not (target / top).exists():
                (target / top).symlink_to(source)


def test_the_wheel_installs_alone_in_a_fresh_venv_and_runs_the_sample_demos(tmp_path):
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--outdir", dist, REPO)  # the sdist, then a wheel from it
    (sdist,) = dist.glob("jcsim-*.tar.gz")
    (wheel,) = dist.glob("jcsim-*-py3-none-any.whl")
    assert sdist.name == f"jcsim-{jcsim.__version__}.tar.gz"
    assert wheel.name == f"jcsim-{jcsim.__version__}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    assert "jcsim/py.typed" in names and "jcsim/pytest_plugin.py" in names
    # The samples ship inside jcsim, with their data; their tests (samples/) and tests/ do not,
    # and nothing but jcsim is a top-level package (a top-level `samples` would shadow, or be
    # shadowed by, any other project's).
    assert "jcsim/samples/purse/demo.py" in names and "jcsim/samples/hotp/rfc4226.json" in names
    assert not [name for name in names if name.startswith(("tests/", "samples/"))]
    assert {name.split("/")[0] for name in names if "/" in name} == {
        "jcsim", f"jcsim-{jcsim.__version__}.dist-info"}
    assert zipfile.ZipFile(wheel).read(
        f"jcsim-{jcsim.__version__}.dist-info/top_level.txt").decode().split() == ["jcsim"]
    entry_points = zipfile.ZipFile(wheel).read(
        f"jcsim-{jcsim.__version__}.dist-info/entry_points.txt").decode()
    assert "jcsim = jcsim.cli:main" in entry_points and "pytest11" in entry_points

    # Nothing of the checkout may leak in: no PYTHONPATH (it would show the source tree, and
    # pip would take its jcsim.egg-info for an installed jcsim).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["COLUMNS"] = "100"
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--quiet", wheel, env=env, cwd=tmp_path)
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    deps = tmp_path / "deps"
    link_distributions(dependency_closure(project["dependencies"]), deps)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    (Path(site.stdout.strip()) / "jcsim-test-deps.pth").write_text(f"{deps}\n")

    where = run(python, "-c", "import jcsim; print(jcsim.__file__, jcsim.__version__)",
                cwd=tmp_path, env=env)
    assert where.stdout.split() == [str(Path(site.stdout.strip()) / "jcsim" / "__init__.py"),
                                    jcsim.__version__]
    demo = run(venv / "bin" / "jcsim", "demo", "purse", cwd=tmp_path, env=env,
               stdin=subprocess.DEVNULL)
    assert "The purse holds 70." in demo.stdout
    # This demo reads its RFC 4226 vectors from the installed package's data.
    statics = run(venv / "bin" / "jcsim", "demo", "statics", cwd=tmp_path, env=env,
                  stdin=subprocess.DEVNULL)
    assert "counter 3: 969429" in statics.stdout
    # The samples are jcsim.samples there, and no top-level `samples` is installed.
    probe = run(python, "-c", "import importlib.util as u, jcsim.samples.purse as p; "
                "print(u.find_spec('samples'), p.__file__)", cwd=tmp_path, env=env)
    assert probe.stdout.split() == [
        "None", str(Path(site.stdout.strip()) / "jcsim" / "samples" / "purse" / "__init__.py")]
