"""The Java Card Runtime Environment (JCRE) of a simulated card.

``card.Card`` is the entry point; each concept has its own module: ``registry`` (installed
applets and packages), ``interface`` (I/O interfaces and logical channels), ``selection``
(applet SELECT, deselection, MultiSelectable rules), ``channels`` (MANAGE CHANNEL),
``dispatch`` (running applet code, exceptions to status words), ``t0`` (response framing),
``transients`` (CLEAR_ON_RESET / CLEAR_ON_DESELECT memory) and ``atr``.
"""

from jcsim.runtime.card import Card

__all__ = ["Card"]
