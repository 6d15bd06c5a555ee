"""``javacardx.framework``: the ``util`` (with ``intx``), ``math``, ``tlv`` and ``string``
extension packages of Java Card 3.0.5."""
