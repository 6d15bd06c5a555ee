"""Running applet code, and the one place where exceptions become status words (JCRE §3.3).

``process`` returning normally means 9000 after the data sent; an ``ISOException`` means its
reason as the status word, after the data already sent; any other exception, Java Card or plain
Python, means 6F00 (SW_UNKNOWN) with no data, and is logged with its traceback. The card keeps
working either way.
"""

from __future__ import annotations

import logging
from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.exceptions import ISOException
from jcsim.framework.iso7816 import ISO7816

__all__ = ["call_in_context", "call_method", "status_word_for"]

log = logging.getLogger("jcsim.card")


def call_in_context(card: Any, record: Any, function: Any, *args: Any) -> Any:
    """Call applet code with ``record``'s context active and the card bound to this thread."""
    saved_context = card.context
    card.context_stack.append(saved_context)
    card.context = record
    previous = _jcre.bind(card)
    try:
        return function(*args)
    finally:
        card.context = saved_context
        card.context_stack.pop()
        if not card.context_stack:  # back to the JCRE: it takes its temporary objects back
            _jcre.release_temporaries(card)
        _jcre.unbind(previous)


def call_method(card: Any, record: Any, name: str, *args: Any) -> Any:
    """Call the applet method ``name`` of ``record``'s instance in its context. The method is
    fetched with the JCRE's privilege, before the switch, so the firewall does not stand in the
    way of the runtime itself."""
    return call_in_context(card, record, object.__getattribute__(record.instance, name), *args)


def status_word_for(exc: BaseException, where: str) -> int:
    """The status word for an exception that escaped applet code."""
    if type(exc) is ISOException or isinstance(exc, ISOException):
        return exc.getReason()
    log.warning("uncaught exception in %s: answering 6F00", where, exc_info=exc)
    return ISO7816.SW_UNKNOWN
