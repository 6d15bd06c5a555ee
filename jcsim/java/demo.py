"""``jcsim demo java``: a Java applet compiled on the fly with ``jcsim javac``, installed like a
Python applet, a debit in a transaction, a tear in the middle of one and its rollback."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from jcsim import CardTornError
from jcsim.java import JavaClasspath, javac

__all__ = ["SOURCE", "run"]

SOURCE = Path(__file__).parent / "demo" / "com" / "jcsim" / "demo" / "Purse.java"
AID = "F0 00 00 00 30 02"
BALANCE = "80 32 00 00 04"


def _memory(sim: Any) -> str:
    purse = sim.applet_instance(AID)
    return (f"balance {purse.balance}, first log slots {list(purse.amounts[:3])}, "
            f"count {purse.count}")


def run(walk: Any) -> None:  # walk: jcsim.cli.demo.Walkthrough
    walk.step("Compile", f"jcsim javac compiles {SOURCE.name} against jcsim's Java Card API "
              "(the system javac, -source 8 -target 8 -g).")
    try:
        javac.find_javac()
    except javac.JavacNotFoundError as exc:
        walk.note(str(exc))
        return
    with tempfile.TemporaryDirectory() as work:
        javac.compile_java([SOURCE], Path(work))
        classes = JavaClasspath([work])
        purse_class = classes["com.jcsim.demo.Purse"]
    walk.note(f"JavaClasspath gives {purse_class.__module__}:{purse_class.__qualname__}, a Python "
              "class deriving from jcsim's Applet: its bytecode runs in jcsim's interpreter.")
    sim = walk.simulator()
    walk.step("Install", f"Install it under AID {AID} as the default applet, the way a Python "
              "applet is installed.")
    sim.install(purse_class, AID, default=True)
    sim.power_on()
    walk.expect(sim.transmit(BALANCE), 0x9000, bytes.fromhex("03E8 0000"))
    walk.step("A debit", "DEBIT 100: in one transaction the Java code lowers the balance, "
              "stores the amount in its short[] log and counts it: three persistent writes, "
              "each through the card's journal.")
    walk.expect(sim.transmit("80 30 00 00 02 0064"), 0x9000)
    walk.note(_memory(sim))
    walk.step("A tear", "sim.arm_tear(after_writes=2) cuts the power after the second write of "
              "the next DEBIT: the balance and the log entry are written, the count is not.")
    sim.arm_tear(after_writes=2)
    try:
        sim.transmit("80 30 00 00 02 00FA")
    except CardTornError as exc:
        walk.note(f"CardTornError: {exc}")
    walk.note(f"The card is off, the transaction still open: {_memory(sim)}")
    walk.step("Power-up", "The JCRE rolls the transaction back before any applet code runs: "
              "the Java fields and the array element are as before the debit.")
    sim.power_on()
    walk.note(_memory(sim))
    walk.expect(sim.transmit(BALANCE), 0x9000, bytes.fromhex("0384 0001"))
    walk.done("An unmodified Java applet, compiled by javac, with a real transaction, a tear "
              "and its rollback.")
