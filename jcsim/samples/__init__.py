"""Sample applets, each with its host side and a ``jcsim demo`` walkthrough.

Each subpackage is one sample (``jcsim.samples.purse``, ``jcsim.samples.wallet``, ...): the
applet classes a card runs, the host code that talks to them, and a ``demo`` module with a
``run(walk)`` function that ``jcsim demo`` plays. Nothing here is imported by the rest of jcsim
except, on demand, by ``jcsim demo``.
"""
