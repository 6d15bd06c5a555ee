"""The programming notes' ``PurseClient``, on the host.

``purse_client(accessor)`` does what the notes' client does: connect, select the purse applet,
get its initial reference (a ``Purse`` proxy), then credit and debit it. Run against a card
reachable through PC/SC::

    python -m jcsim.samples.purse.client [reader-name-or-index] [--interfaces]
"""

from __future__ import annotations

import sys
from typing import Any

from jcsim.rmi.client import CardAccessor, JCRMIConnect, PCSCCardAccessor, RefFormat
from jcsim.samples.purse.purse import Purse
from jcsim.samples.purse.purse_applet import PURSE_AID

__all__ = ["purse_client"]


def purse_client(accessor: CardAccessor, aid: Any = PURSE_AID, *,
                 ref_format: RefFormat = JCRMIConnect.REF_WITH_CLASS_NAME,
                 out: Any = print) -> int:
    """Select the purse, credit 20, debit 15; prints what happens and returns the balance."""
    connection = JCRMIConnect(accessor)
    connection.select_applet(aid, ref_format)
    purse = connection.get_initial_reference()
    if not isinstance(purse, Purse):
        raise TypeError(f"the initial reference is not a Purse: {purse!r}")
    out(f"Balance: {purse.getBalance()}")
    out(f"Credit 20: balance {purse.credit(20)}")
    out(f"Debit 15: balance {purse.debit(15)}")
    balance = purse.getBalance()
    out(f"Balance: {balance}")
    return balance


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    fmt = JCRMIConnect.REF_WITH_CLASS_NAME
    if "--interfaces" in args:
        args.remove("--interfaces")
        fmt = JCRMIConnect.REF_WITH_INTERFACE_NAMES
    reader: str | int | None = None
    if args:
        reader = int(args[0]) if args[0].isdigit() else args[0]
    with PCSCCardAccessor(reader) as accessor:
        purse_client(accessor, ref_format=fmt)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
