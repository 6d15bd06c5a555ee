#!/usr/bin/env bash
# Install what jcsim's tests need, check jcsim/ with ruff and mypy, then run the whole suite.
#   - As root on Debian: the PC/SC stack (pcscd, vsmartcard's vpcd, pcsc-tools, opensc) and
#     what pip needs to build pyscard (libpcsclite-dev, gcc, pkg-config), python3-venv, and a
#     JDK (openjdk-17-jdk-headless) whose javac compiles the Java test applets during the run.
#   - A virtual environment in .venv with jcsim and its test and docs extras (tests/test_docs.py
#     builds the documentation site with mkdocs --strict).
#   - The lint and type gate: `ruff check jcsim` and `mypy jcsim` (rules in pyproject.toml's
#     [tool.ruff] and [tool.mypy]); a finding fails the run before any test starts. Silent
#     when clean but for mypy's one-line summary.
# The suite runs in two pytest-xdist workers (the PC/SC tests take turns on the one pcscd).
# Extra arguments go to pytest (e.g. scripts/test.sh -m "not pcsc", or -n 0 for one process).
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(pcscd vsmartcard-vpcd pcsc-tools opensc libpcsclite-dev gcc pkg-config python3-venv
                 openjdk-17-jdk-headless)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
else
  if ! command -v pcscd >/dev/null 2>&1; then
    echo "Note: not root, so the PC/SC packages were not installed (${debian_packages[*]});" \
         "the PC/SC tests will say what is missing." >&2
  fi
  if ! command -v javac >/dev/null 2>&1; then
    echo "Note: no javac (Debian: openjdk-17-jdk-headless), so the Java applet tests skip." >&2
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install --quiet -e ".[test,docs]"
.venv/bin/ruff check --quiet jcsim
.venv/bin/mypy jcsim
exec .venv/bin/python -m pytest -n 2 "$@"
