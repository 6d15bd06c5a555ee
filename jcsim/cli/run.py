"""``jcsim run SCRIPT``: execute an APDU script (``jcsim.script``) with a live trace."""

from __future__ import annotations

import os
import sys

from rich.console import Console

from jcsim.autosave import ImageAutosave
from jcsim.cli.loading import is_java_name, load_class, open_classpath
from jcsim.cli.trace import TraceRenderer
from jcsim.errors import JCSimError
from jcsim.script import Expectation, Install, Power, ScriptError, Select, parse_script
from jcsim.simulator import Simulator

__all__ = ["ImageAutosave", "open_card", "read_image_key", "run_script"]


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def read_image_key(path: str | None) -> bytes | None:
    """The image signing key kept in the file ``path`` (its bytes); None without a path."""
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            key = handle.read(4097)
    except OSError as exc:
        raise JCSimError(f"cannot read the image key {path!r}: {exc}") from exc
    if not 16 <= len(key) <= 4096:
        raise JCSimError(f"the image key {path!r} must hold 16 to 4096 bytes")
    return key


def open_card(image_path: str | None, protocol: str, allow_modules: list[str],
              key: bytes | None = None) -> Simulator:
    """A card from ``image_path`` if that file exists, else a new one."""
    if image_path is not None and os.path.exists(image_path):
        sim = Simulator.load(image_path, allow_modules=allow_modules, key=key)
        if not sim.powered:
            sim.power_on()
        return sim
    return Simulator(protocol)


def run_script(path: str, console: Console, *, protocol: str = "T=1", quiet: bool = False,
               image_path: str | None = None, allow_modules: list[str] | None = None,
               classpath: list[str] | None = None,
               image_key: str | None = None) -> int:
    """Run the script at ``path``; 0 when every expectation held, 1 at the first mismatch,
    2 when the script cannot be read or parsed or a step cannot be carried out.

    With ``image_path`` the card starts from that image (when the file exists) and the image
    is saved again after every step that changed persistent state.
    """
    try:
        steps = parse_script(_read(path))
    except (OSError, ScriptError) as exc:
        console.print(f"[red]jcsim run: {exc}[/red]")
        return 2
    allowed = list(allow_modules or []) + [s.target.partition(":")[0] for s in steps
                                           if isinstance(s, Install)
                                           and not is_java_name(s.target)]
    try:
        java_classes = open_classpath(classpath)
        if java_classes is not None and image_path is not None and os.path.exists(image_path):
            # An image names Java classes by their package module: load them first.
            for name in java_classes:
                java_classes[name]
        key = read_image_key(image_key)
        sim = open_card(image_path, protocol, allowed, key)
    except JCSimError as exc:
        console.print(f"[red]jcsim run: {exc}[/red]")
        return 2
    autosave = ImageAutosave(sim, image_path, key=key)
    if not quiet:
        sim.subscribe(TraceRenderer(console))
    commands = 0
    for step in steps:
        try:
            if isinstance(step, Install):
                aid = sim.install(load_class(step.target, java_classes), step.aid, step.params,
                                  default=step.default)
                if not quiet:
                    console.print(f"[dim]# installed {step.target} as {aid}[/dim]")
                continue
            if isinstance(step, Power):
                {"reset": sim.reset, "power-on": sim.power_on,
                 "power-off": sim.power_off}[step.action]()
                if not quiet:
                    console.print(f"[dim]# {step.action}[/dim]")
                continue
            response = sim.select(step.aid) if isinstance(step, Select) else sim.transmit(step.apdu)
        except JCSimError as exc:
            console.print(f"[red]line {step.line}: {exc}[/red]")
            return 2
        finally:
            autosave()
        commands += 1
        expect: Expectation | None = step.expect
        if expect is not None and not expect.matches(response.data, response.sw):
            console.print(f"[bold red]line {step.line}: expected {expect}, got "
                          f"{(response.data.hex().upper() + ' ') if response.data else ''}"
                          f"{response.sw:04X}[/bold red]")
            return 1
    console.print(f"[green]{commands} commands, all as expected.[/green]")
    return 0
