"""The ``javacardx`` extension packages of Java Card 3.0.5 Classic for applets written in Python.

Each ``javacardx.P`` is ``jcsim.x.P``: ``javacardx.apdu.util`` is ``jcsim.x.apdu.util``,
``javacardx.framework.tlv`` is ``jcsim.x.framework.tlv``, and so on. The one exception is
``javacardx.crypto``, which is ``jcsim.crypto`` beside ``jcsim.security`` (javacard.security).
Dropping the ``x`` everywhere would not work: ``jcsim.apdu``, ``jcsim.framework.util`` and
``jcsim.security`` already name other things.
"""
