"""``jcsim gp``: manage a card as GlobalPlatformPro users do, over an SCP02/SCP03 secure channel,
on a card image in this process (``--image``) or a card in a PC/SC reader (``--reader``).

The operations run in a fixed order whatever the order of the options: APDUs, info, delete,
load, install, application locks, keys, card locks, list. Exit status: 0 when everything
succeeded, 1 when the card refused something (its status word is shown), 2 for a usage error
or a card that cannot be reached.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from rich.console import Console
from rich.table import Table

from jcsim.apdu import parse_hex
from jcsim.errors import JCSimError
from jcsim.gp.client import ISD_AID, SCP02_DEFAULT_VERSION, SCP03_DEFAULT_VERSION, GPClient
from jcsim.gp.scp03 import SCP03Session
from jcsim.gp.session import (
    C_MAC,
    DEFAULT_KEY,
    KeySet,
    describe_level,
    level_from_text,
)
from jcsim.gp.status import StatusEntry, card_state_name

__all__ = ["add_gp_parser", "gp_command"]


class UsageError(JCSimError, ValueError):
    """Options that do not go together: exit status 2."""


def _hex(text: str) -> bytes:
    try:
        return parse_hex(text)
    except JCSimError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _int(text: str) -> int:
    try:
        return int(text, 16)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not hex: {text!r}") from exc


def _level(text: str) -> int:
    try:
        return level_from_text(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def add_gp_parser(commands: Any) -> None:
    gp = commands.add_parser(
        "gp", help="GlobalPlatform card management (list, install, delete, keys, locks)",
        description="Manage a card through its Issuer Security Domain over SCP02 or SCP03.")
    where = gp.add_argument_group("the card")
    target = where.add_mutually_exclusive_group()
    target.add_argument("--image", metavar="FILE",
                        help="a jcsim card image (created if missing, saved after changes)")
    target.add_argument("--reader", metavar="NAME",
                        help="a PC/SC reader (a part of its name), through pcscd with pyscard")
    where.add_argument("--allow-module", metavar="MODULE", action="append", default=[],
                       help="a module the image may import to find applet classes (repeatable)")
    where.add_argument("--channel", type=int, default=0, choices=range(20), metavar="N",
                       help="the logical channel to manage the card on, opened first with "
                       "MANAGE CHANNEL (default 0)")
    where.add_argument("--isd", type=_hex, default=ISD_AID, metavar="AID",
                       help="the Issuer Security Domain's AID (default A000000151000000)")

    keys = gp.add_argument_group("the secure channel")
    keys.add_argument("--key", type=_hex, metavar="HEX",
                      help="one key for ENC, MAC and DEK (default 404142..4F)")
    keys.add_argument("--key-enc", type=_hex, metavar="HEX")
    keys.add_argument("--key-mac", type=_hex, metavar="HEX")
    keys.add_argument("--key-dek", type=_hex, metavar="HEX")
    keys.add_argument("--key-ver", type=_int, metavar="KVN",
                      help="the key version to authenticate with (default 30 for SCP03, 20 for "
                      "SCP02, any when --scp is not given)")
    keys.add_argument("--scp", type=int, choices=(2, 3),
                      help="insist on SCP02 or SCP03 (default: what the card answers)")
    keys.add_argument("--s16", action="store_true",
                      help="SCP03 in S16 mode: 16-byte challenges, cryptograms and MACs")
    keys.add_argument("--scp02-i", type=_int, default=0x55, metavar="I",
                      help="the SCP02 i parameter: 15 or 55, 35 or 75 with R-MAC (default 55)")
    keys.add_argument("--security-level", "--sl", type=_level, default=C_MAC, metavar="LEVEL",
                      help="hex (00 01 03 11 13 33) or names: C-MAC+C-DEC+R-MAC+R-ENC "
                      "(default 01, C-MAC)")
    keys.add_argument("--plain", action="store_true",
                      help="no secure channel (for a card that accepts plain CLA 80)")

    ops = gp.add_argument_group("what to do")
    ops.add_argument("-l", "--list", action="store_true", help="list the card's content")
    ops.add_argument("-i", "--info", action="store_true",
                     help="the card's data: life cycle, CPLC, IIN, CIN, key information")
    ops.add_argument("--delete", type=_hex, action="append", default=[], metavar="AID",
                     help="delete an application or a package (repeatable)")
    ops.add_argument("-f", "--force", action="store_true",
                     help="with --delete: a package's applications too")
    ops.add_argument("--load", action="append", default=[], metavar="MODULE",
                     help="(--image only) load the jcsim package of a Python module")
    ops.add_argument("--install", action="store_true",
                     help="install an applet: --package, --applet and --create name it")
    ops.add_argument("--package", type=_hex, metavar="AID", help="the package (load file)")
    ops.add_argument("--applet", type=_hex, metavar="AID", help="the applet class (module)")
    ops.add_argument("--create", type=_hex, metavar="AID",
                     help="the instance AID (default: the applet class AID)")
    ops.add_argument("--params", type=_hex, default=b"", metavar="HEX",
                     help="install parameters (the applet's bArray data)")
    ops.add_argument("--privs", type=_hex, default=b"\x00", metavar="HEX",
                     help="the instance's privileges (default 00)")
    ops.add_argument("--no-select", action="store_true",
                     help="install without [for make selectable]")
    ops.add_argument("--make-selectable", type=_hex, action="append", default=[], metavar="AID")
    ops.add_argument("--lock-applet", type=_hex, action="append", default=[], metavar="AID")
    ops.add_argument("--unlock-applet", type=_hex, action="append", default=[], metavar="AID")
    ops.add_argument("--put-key", type=_hex, metavar="HEX",
                     help="add a key set of this key (ENC = MAC = DEK) as --new-keyver")
    ops.add_argument("--lock", type=_hex, metavar="HEX",
                     help="replace the key set in use by this key (ENC = MAC = DEK)")
    ops.add_argument("--unlock", action="store_true",
                     help="replace the key set in use by the default test keys")
    ops.add_argument("--new-keyver", type=_int, metavar="KVN",
                     help="the version of the new key set (default: the one replaced)")
    ops.add_argument("--lock-card", action="store_true", help="SET STATUS: CARD_LOCKED")
    ops.add_argument("--unlock-card", action="store_true", help="SET STATUS: SECURED")
    ops.add_argument("-a", "--apdu", type=_hex, action="append", default=[], metavar="HEX",
                     help="send an APDU (wrapped when its CLA is 80) and show the answer")
    ops.add_argument("-d", "--debug", action="store_true", help="show every APDU")


# --- the card ---------------------------------------------------------------------------------


class _Card:
    """The card the command works on, and what it takes to release it."""

    def __init__(self, args: argparse.Namespace, console: Console) -> None:
        self.sim = None
        self.image = args.image
        self.transport: Any
        if args.reader is not None:
            from jcsim.gp.transport import PCSCTransport

            self.transport = PCSCTransport(args.reader)
            return
        from jcsim.cli.run import open_card

        if args.image is None:
            console.print("[dim]# no --image or --reader: a new card in memory[/dim]")
        self.sim = open_card(args.image, "T=1", list(args.allow_module) + list(args.load))
        self.transport = self.sim

    def close(self) -> None:
        if self.sim is not None and self.image is not None:
            self.sim.save(self.image)
        close = getattr(self.transport, "close", None)
        if close is not None and self.sim is None:
            close()


def _trace(console: Console):
    def observe(plain: bytes, wire: bytes, response: bytes, unwrapped: bytes) -> None:
        console.print(f"[cyan]>>[/cyan] {plain.hex(' ').upper()}")
        if wire != plain:
            console.print(f"[dim]   sent {wire.hex(' ').upper()}[/dim]")
        if unwrapped != response:
            console.print(f"[dim]   received {response.hex(' ').upper()}[/dim]")
        if unwrapped:
            console.print(f"[green]<<[/green] {unwrapped.hex(' ').upper()}")
        else:
            console.print("[red]<< the response failed its R-MAC or decryption[/red]")
    return observe


def _keys(args: argparse.Namespace) -> KeySet:
    base = args.key or DEFAULT_KEY
    return KeySet(args.key_enc or base, args.key_mac or base, args.key_dek or base)


# --- output -----------------------------------------------------------------------------------


def _aid_text(aid: bytes) -> str:
    return aid.hex().upper()


def print_list(console: Console, entries: list[StatusEntry]) -> None:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("")
    table.add_column("AID")
    table.add_column("State")
    table.add_column("Details")
    for entry in entries:
        details = []
        if entry.privilege_list:
            details.append("privileges: " + ", ".join(entry.privilege_list))
        if entry.load_file is not None:
            details.append(f"from {_aid_text(entry.load_file)}")
        for module in entry.modules:
            details.append(f"applet {_aid_text(module)}")
        state_style = {"SELECTABLE": "green", "SECURED": "green", "LOCKED": "red",
                       "CARD_LOCKED": "red", "INSTALLED": "yellow"}.get(entry.state, "")
        state = f"[{state_style}]{entry.state}[/{state_style}]" if state_style else entry.state
        table.add_row(f"[bold]{entry.kind}[/bold]", _aid_text(entry.aid), state,
                      "\n".join(details))
    console.print(table)


def print_info(console: Console, gp: GPClient) -> None:
    isd = gp.get_status(0x80)
    if isd:
        console.print(f"Card life cycle: [bold]{card_state_name(isd[0].lifecycle)}[/bold]")
    for label, read in (("IIN", gp.iin), ("CIN", gp.cin)):
        try:
            console.print(f"{label}: {read().hex().upper()}")
        except JCSimError as exc:
            console.print(f"[dim]{label}: {exc}[/dim]")
    try:
        cplc = gp.cplc()
        table = Table(title="CPLC", box=None, show_header=False)
        for name, value in cplc.fields:
            table.add_row(name, value.hex().upper())
        console.print(table)
    except JCSimError as exc:
        console.print(f"[dim]CPLC: {exc}[/dim]")
    try:
        keys = gp.key_information()
        table = Table(title="Keys", box=None)
        table.add_column("ID")
        table.add_column("Version")
        table.add_column("Type / bits")
        for key in keys:
            table.add_row(f"{key.key_id:02X}", f"{key.version:02X}", key.type_names)
        console.print(table)
    except JCSimError as exc:
        console.print(f"[dim]key information: {exc}[/dim]")


# --- the command ------------------------------------------------------------------------------


def gp_command(args: argparse.Namespace, console: Console) -> int:
    if args.install and (args.package is None or args.applet is None):
        console.print("[red]jcsim gp: --install needs --package and --applet[/red]")
        return 2
    if args.load and args.reader is not None:
        console.print("[red]jcsim gp: --load works on a card image (--image); a real card "
                      "loads CAP files[/red]")
        return 2
    try:
        keys = _keys(args)
        card = _Card(args, console)
    except (JCSimError, ValueError) as exc:
        console.print(f"[red]jcsim gp: {exc}[/red]")
        return 2
    try:
        return _run(args, console, card, keys)
    finally:
        try:
            card.close()
        except (JCSimError, OSError) as exc:
            console.print(f"[red]jcsim gp: could not save the image: {exc}[/red]")


def _run(args: argparse.Namespace, console: Console, card: _Card, keys: KeySet) -> int:
    from jcsim.gp.session import SecureChannelError
    from jcsim.gp.transport import CardAccessError

    gp = GPClient(card.transport, channel=args.channel, isd_aid=args.isd)
    if args.debug:
        gp.observers.append(_trace(console))
    try:
        gp.open_logical_channel()
        gp.select_isd()
        if not args.plain:
            session = gp.open_secure_channel(keys, args.security_level, scp=args.scp,
                                             key_version=args.key_ver, scp02_i=args.scp02_i,
                                             s16=args.s16)
            mode = " S16" if getattr(session, "mac_length", 8) == 16 else ""
            console.print(f"[dim]# {session.protocol}{mode} with key version "
                          f"{session.answer.key_version:02X}, security level "
                          f"{session.security_level:02X} ({describe_level(session.security_level)})"
                          "[/dim]")
        for apdu in args.apdu:
            data, sw = gp.send(apdu)
            console.print(f"{data.hex(' ').upper()}{' ' if data else ''}[bold]{sw:04X}[/bold]")
        if args.info:
            print_info(console, gp)
        for aid in args.delete:
            gp.delete(aid, related=args.force)
            console.print(f"Deleted {_aid_text(aid)}")
        for module in args.load:
            _load(console, card, module)
        if args.install:
            instance = args.create or args.applet
            gp.install(args.package, args.applet, instance, privileges=args.privs,
                       parameters=args.params, make_selectable=not args.no_select)
            console.print(f"Installed {_aid_text(instance)} from {_aid_text(args.package)}")
        for aid in args.make_selectable:
            gp.make_selectable(aid)
            console.print(f"{_aid_text(aid)} is selectable")
        for aid in args.lock_applet:
            gp.lock_application(aid)
            console.print(f"Locked {_aid_text(aid)}")
        for aid in args.unlock_applet:
            gp.unlock_application(aid)
            console.print(f"Unlocked {_aid_text(aid)}")
        _keys_operations(args, console, gp)
        if args.lock_card:
            gp.lock_card()
            console.print("Card locked (CARD_LOCKED)")
        if args.unlock_card:
            gp.unlock_card()
            console.print("Card unlocked (SECURED)")
        if args.list:
            print_list(console, gp.list())
    except (UsageError, CardAccessError) as exc:
        console.print(f"[bold red]jcsim gp: {exc}[/bold red]")
        return 2
    except (SecureChannelError, JCSimError, ValueError) as exc:
        # The card refused, answered what cannot be read, or failed authentication.
        console.print(f"[bold red]jcsim gp: {exc}[/bold red]")
        return 1
    return 0


def _keys_operations(args: argparse.Namespace, console: Console, gp: GPClient) -> None:
    session = gp.session
    if not (args.put_key or args.lock or args.unlock):
        return
    if session is None:
        raise UsageError("key changes need a secure channel (drop --plain)")
    current = session.answer.key_version
    if args.put_key is not None:
        if args.new_keyver is None:
            raise UsageError("--put-key needs --new-keyver")
        gp.put_key(KeySet.single(args.put_key, args.new_keyver))
        console.print(f"Added key set {args.new_keyver:02X}")
    if args.lock is not None or args.unlock:
        default = SCP03_DEFAULT_VERSION if isinstance(session, SCP03Session) \
            else SCP02_DEFAULT_VERSION
        version = args.new_keyver or (current if args.lock is not None else default)
        key = args.lock if args.lock is not None else DEFAULT_KEY
        gp.put_key(KeySet.single(key, version), replace_version=current)
        console.print(f"Key set {current:02X} replaced by "
                      f"{'the default test keys' if args.unlock else 'the new key'} "
                      f"as version {version:02X}")


def _load(console: Console, card: _Card, module: str) -> None:
    if card.sim is None:
        raise UsageError("--load needs an in-process card (--image)")
    from jcsim.runtime.card_manager import applet_classes

    if os.getcwd() not in __import__("sys").path:
        __import__("sys").path.insert(0, os.getcwd())
    aid = card.sim.load_package(module)
    package = card.sim.card.registry.package_by_aid(aid)
    # load_package has just registered the package, and a PackageRecord resolves its module
    # when it is made.
    assert package is not None and package.resolved is not None
    resolved = package.resolved
    console.print(f"Loaded {module} as package {_aid_text(aid)}")
    for applet_class in applet_classes(package):
        console.print(f"  applet {applet_class.__name__}: "
                      f"{_aid_text(resolved.class_aid(applet_class))}")
