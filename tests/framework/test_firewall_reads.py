"""Reads and writes through the firewall's hooks do what Python's own attribute access does.

The hooks read, and the journal writes, an instance field straight in the instance dict, except
for names that some on-card class gives a data descriptor (a property, a slot), which Python's
lookup puts before the instance dict (``jcsim.framework.java_class.DATA_DESCRIPTOR_NAMES``).
"""

from __future__ import annotations

from typing import Any

from jcsim import Simulator
from jcsim.framework import APDU, Applet, JCSystem

AID = "F0 00 00 00 78 01"
STATIC_DEFAULT = 5


class Reader(Applet):
    counter = STATIC_DEFAULT  # a static field once card code assigns it

    def __init__(self) -> None:
        self.plain = 0x07

    @property
    def shadowed(self) -> int:
        return 0x42

    def helper(self) -> int:
        return 0x33

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        fields = object.__getattribute__(self, "__dict__")
        # Instance dict entries that data descriptors come before in Python's lookup.
        fields["shadowed"] = 0x99
        fields["late"] = 0x98
        Reader.counter = JCSystem.getTransactionDepth() + 9  # a static: 9
        buf = apdu.getBuffer()
        values = (self.shadowed, self.plain, self.late, self.helper(), self.counter,
                  JCSystem.getTransactionDepth())
        for index, value in enumerate(values):
            buf[index] = value
        apdu.setOutgoingAndSend(0, len(values))

    late: Any


class Writer(Applet):
    def __init__(self) -> None:
        self._level = 0

    @property
    def level(self) -> int:
        return self._level

    @level.setter
    def level(self, value: int) -> None:
        self._level = value * 2

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        JCSystem.beginTransaction()
        self.level = 3  # through the property's setter, whose own write is journaled
        self.plain = 4
        written = (self.level, self.plain)
        JCSystem.abortTransaction()
        buf = apdu.getBuffer()
        buf[0], buf[1] = written
        buf[2] = self.level
        buf[3] = int("level" in object.__getattribute__(self, "__dict__"))
        buf[4] = int("plain" in object.__getattribute__(self, "__dict__"))
        apdu.setOutgoingAndSend(0, 5)


# A property given to the class after it was made goes through JavaClass.__setattr__.
Reader.late = property(lambda self: 0x11)


def test_properties_come_before_instance_fields_as_in_python_methods_and_statics_resolve() -> None:
    sim = Simulator()
    sim.install(Reader, AID)
    assert sim.select(AID).sw == 0x9000
    response = sim.transmit("80 01 00 00 00")
    assert (response.data, response.sw) == (bytes((0x42, 0x07, 0x11, 0x33, 9, 0)), 0x9000)
    instance = sim.applet_instance(AID)
    # The host sees what Python's lookup gives, the same answers without the hook.
    assert (instance.shadowed, instance.plain, instance.late) == (0x42, 0x07, 0x11)


def test_a_property_setter_takes_the_write_and_the_abort_rolls_its_field_back() -> None:
    sim = Simulator()
    sim.install(Writer, "F0 00 00 00 78 02")
    assert sim.select("F0 00 00 00 78 02").sw == 0x9000
    response = sim.transmit("80 01 00 00 00")
    assert (response.data, response.sw) == (bytes((6, 4, 0, 0, 0)), 0x9000)
