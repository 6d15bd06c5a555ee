"""The ``jcsim`` command: --version, run (scripts, expectations, exit status), demo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from jcsim import __version__
from jcsim.cli import main
from jcsim.cli.run import run_script
from jcsim.script import Command, Install, Power, ScriptError, Select, parse_script

# The script docs/cli.md prints; the tests below run it as printed.
README_SCRIPT = """\
# hello.apdu
install jcsim.samples.echo:Echo F0 00 00 00 01 01
select F0 00 00 00 01 01 => 9000
80 01 00 00 03 0A 0B 0C 00 => 0A0B0C 9000   # expected data, then the status word
80 7F 00 00 => 6D00
80 01 00 00 03 0A 0B 0C 00 => 61xx          # x matches any digit
reset
"""


def console() -> Console:
    return Console(record=True, width=120)


def test_version_prints_the_package_version():
    result = subprocess.run([sys.executable, "-m", "jcsim", "--version"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"jcsim {__version__}"


def test_the_script_is_the_one_docs_cli_md_prints():
    page = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
    assert f"```text\n{README_SCRIPT}```" in page.read_text(encoding="utf-8")


def test_the_readme_script_parses_into_its_steps():
    steps = parse_script(README_SCRIPT)
    assert [type(s) for s in steps] == [Install, Select, Command, Command, Command, Power]
    assert steps[0].target == "jcsim.samples.echo:Echo"
    assert steps[0].aid == bytes.fromhex("F00000000101")
    assert steps[2].expect.data == bytes.fromhex("0A0B0C") and steps[2].expect.sw_pattern == "9000"
    assert steps[4].expect.matches(b"\x01", 0x61AB) and not steps[4].expect.matches(b"", 0x9000)


@pytest.mark.parametrize("bad, line", [
    ("install nothing", 1),
    ("\nselect ZZ", 2),
    ("80 01", 1),
    ("80 01 00 00 => 90", 1),
])
def test_a_bad_line_is_named_in_the_script_error(bad, line):
    with pytest.raises(ScriptError) as caught:
        parse_script(bad)
    assert caught.value.line_number == line


def test_the_readme_script_stops_at_the_first_mismatch_under_t1(tmp_path):
    # Under T=1 the last echo answers 9000, not 61xx: the script must fail on that line.
    path = tmp_path / "hello.apdu"
    path.write_text(README_SCRIPT)
    out = console()
    assert run_script(str(path), out, protocol="T=1") == 1
    assert "line 6: expected 61XX" in out.export_text()


def test_the_readme_script_passes_under_t0_with_a_trace(tmp_path):
    path = tmp_path / "hello.apdu"
    path.write_text(README_SCRIPT.replace("=> 0A0B0C 9000", "=> 61 03"))
    out = console()
    assert run_script(str(path), out, protocol="T=0") == 0
    text = out.export_text()
    assert "C: 00 A4 04 00 06 F0 00 00 00 01 01 00   SELECT Lc=6 Le=256" in text
    assert "R: 6D 00   instruction code not supported or invalid" in text
    assert "4 commands, all as expected." in text


def test_an_unknown_applet_class_exits_with_2(tmp_path):
    path = tmp_path / "bad.apdu"
    path.write_text("install jcsim.samples.echo:Nope F0 00 00 00 01 01\n")
    out = console()
    assert run_script(str(path), out) == 2
    assert "has no 'Nope'" in out.export_text()


def test_a_missing_script_file_exits_with_2(tmp_path):
    assert run_script(str(tmp_path / "missing.apdu"), console()) == 2


def test_the_command_line_runs_a_script_and_returns_its_status(tmp_path):
    path = tmp_path / "ok.apdu"
    path.write_text("install jcsim.samples.echo:Echo F0 00 00 00 01 01\n"
                    "select F000000001 => 9000\n")
    assert main(["run", "-q", str(path)]) == 0


def test_demo_without_a_name_lists_the_demos(capsys):
    assert main(["demo"]) == 0
    assert "hello" in capsys.readouterr().out


def test_an_unknown_demo_exits_with_2(capsys):
    assert main(["demo", "nope", "--no-pause"]) == 2


def test_run_with_an_image_creates_it_then_continues_from_it(tmp_path):
    image = tmp_path / "card.json"
    first = tmp_path / "first.apdu"
    first.write_text("install jcsim.samples.echo:Echo F0 00 00 00 01 01 default\n"
                     "select F0 00 00 00 01 01 => 9000\n"
                     "80 01 00 00 02 AA BB 00 => AABB 9000\n")
    assert run_script(str(first), console(), image_path=str(image)) == 0
    assert image.exists()
    # The second run installs nothing: the applet, its default selection and its echo counter
    # come from the image.
    second = tmp_path / "second.apdu"
    second.write_text("80 01 00 00 01 CC 00 => CC 9000\n")
    assert run_script(str(second), console(), image_path=str(image),
                      allow_modules=["jcsim.samples.echo"]) == 0
    from jcsim import Simulator

    sim = Simulator.load(image, allow_modules=["jcsim.samples.echo"])
    assert sim.applet_instance("F00000000101").echoes == 2


def test_run_with_an_image_of_unknown_modules_exits_with_2(tmp_path):
    image = tmp_path / "card.json"
    script = tmp_path / "s.apdu"
    script.write_text("install jcsim.samples.echo:Echo F0 00 00 00 01 01\n")
    assert run_script(str(script), console(), image_path=str(image)) == 0
    other = tmp_path / "other.apdu"
    other.write_text("select F0 00 00 00 01 01\n")
    # jcsim.samples.echo is imported in this test process already, so simulate a fresh process by
    # running the command line in a subprocess.
    result = subprocess.run([sys.executable, "-m", "jcsim", "run", "--image", str(image),
                             str(other)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "not imported" in result.stdout


def test_the_trace_names_a_java_card_rmi_invoke():
    from jcsim.iso7816_names import describe_command

    assert describe_command(bytes.fromhex("80380202040001ECA800")) == \
        "INVOKE (Java Card RMI) Lc=4 Le=256"
    assert describe_command(bytes.fromhex("80380000")) == "INS 38"


def test_run_with_an_image_key_signs_the_image_and_refuses_one_signed_otherwise(tmp_path):
    image, key, other_key = tmp_path / "card.jcimg", tmp_path / "k", tmp_path / "k2"
    key.write_bytes(b"k" * 32)
    other_key.write_bytes(b"o" * 32)
    script = tmp_path / "s.apdu"
    script.write_text("install jcsim.samples.echo:Echo F0 00 00 00 01 01 default\n"
                      "select F0 00 00 00 01 01 => 9000\n"
                      "80 01 00 00 01 CC 00 => CC 9000\n")
    assert main(["run", "-q", "--image", str(image), "--image-key", str(key), str(script)]) == 0
    assert "hmac" in image.read_text()
    again = tmp_path / "again.apdu"
    again.write_text("80 01 00 00 01 DD 00 => DD 9000\n")
    assert main(["run", "-q", "--image", str(image), "--image-key", str(key),
                 "--allow-module", "jcsim.samples.echo", str(again)]) == 0
    before = image.read_bytes()
    assert main(["run", "-q", "--image", str(image), "--image-key", str(other_key),
                 str(again)]) == 2
    assert image.read_bytes() == before
