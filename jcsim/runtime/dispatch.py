"""Running applet code, and the one place where exceptions become status words (JCRE §3.3).

``process`` returning normally means 9000 after the data sent; an ``ISOException`` means its
reason as the status word, after the data already sent; any other exception, Java Card or plain
Python, means 6F00 (SW_UNKNOWN) with no data. The card keeps working either way.

An uncaught exception is logged as one warning line per command, naming the exception and the
applet frame it came from (the innermost frame outside jcsim itself), so that a loop of failing
commands stays readable; with the ``jcsim.card`` logger at DEBUG the line carries the traceback.
"""

from __future__ import annotations

import os
from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.exceptions import ISOException
from jcsim.framework.iso7816 import ISO7816

__all__ = ["applet_frame", "call_in_context", "call_method", "log_uncaught", "status_word_for"]

_local = _jcre._local
_temporaries = _jcre._temporaries
_oga = object.__getattribute__
_JCSIM_DIRECTORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def applet_frame(exc: BaseException) -> str:
    """Where ``exc`` left applet code: the innermost Java frame (``pkg.Class.method(File.java:
    line)``) for a Java applet, else ``file:line in function`` of the innermost frame outside
    jcsim (the innermost frame if all are jcsim's)."""
    java_frame = vars(exc).get("java_frame") if hasattr(exc, "__dict__") else None
    if java_frame is not None:
        return java_frame  # set by the bytecode interpreter (jcsim.java)
    import traceback  # only for a failing command: not loaded at start-up

    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "an unknown place"
    chosen = frames[-1]
    for frame in reversed(frames):
        if not os.path.abspath(frame.filename).startswith(_JCSIM_DIRECTORY):
            chosen = frame
            break
    return f"{chosen.filename}:{chosen.lineno} in {chosen.name}"


def log_uncaught(exc: BaseException, where: str, outcome: str) -> None:
    """One line for an exception applet code did not catch; the traceback at DEBUG."""
    import logging  # the "jcsim.card" logger; loaded with the first uncaught exception

    log = logging.getLogger("jcsim.card")
    debug = log.isEnabledFor(logging.DEBUG)
    log.warning("uncaught %s: %s in %s, raised at %s; %s", type(exc).__name__, exc, where,
                applet_frame(exc), outcome, exc_info=exc if debug else None)


def call_in_context(card: Any, record: Any, function: Any, *args: Any) -> Any:
    """Call applet code with ``record``'s context active and the card bound to this thread.

    ``commands.CommandDispatch._process`` makes the same switch for ``process``, written out
    in line; a change here belongs there too (tests/runtime/test_command_paths.py compares).
    """
    saved_context = card.context
    stack = card.context_stack
    stack.append(saved_context)
    card.context = record
    previous = _local.jcre  # _jcre.bind / unbind, inlined: this runs for every command
    _local.jcre = card
    try:
        return function(*args)
    finally:
        card.context = saved_context
        stack.pop()
        # Back to the JCRE: it takes its temporary objects back (if any applet holds one).
        if not stack and _temporaries:
            _jcre.release_temporaries(card)
        _local.jcre = previous


def call_method(card: Any, record: Any, name: str, *args: Any) -> Any:
    """Call the applet method ``name`` of ``record``'s instance in its context. The method is
    fetched with the JCRE's privilege, before the switch, so the firewall does not stand in the
    way of the runtime itself."""
    return call_in_context(card, record, _oga(record.instance, name), *args)


def status_word_for(exc: BaseException, where: str) -> int:
    """The status word for an exception that escaped applet code."""
    if type(exc) is ISOException or isinstance(exc, ISOException):
        return exc.getReason() & 0xFFFF  # a Java short: (short) 0x9000 is -28672
    log_uncaught(exc, where, "answering 6F00")
    return ISO7816.SW_UNKNOWN
