"""What every channel test applet does: log its select / deselect calls and report what it sees.

Each call is logged as a ``Call``: the applet's name, the method, the boolean the JCRE passed
(None for the plain ``Applet.select()`` / ``deselect()``), and ``JCSystem.getAssignedChannel()``
and ``APDU.getCLAChannel()`` as seen inside the call. The tests give every instance the same
list, so the log is the card-wide order of calls.

The applet also holds one CLEAR_ON_DESELECT byte, ``marks``: each accepted selection and each
TOUCH command adds one. Because the byte belongs to the package's CLEAR_ON_DESELECT segment, the
tests can see exactly when the JCRE cleared that segment.

Commands (any CLA):
- INS 10 REPORT answers (assigned channel, CLA channel, marks, protocol);
- INS 11 TOUCH adds one to ``marks``, then answers like REPORT;
- a SELECT the JCRE forwards (an AID it does not know) answers 6A82, as a file system would.
"""

from __future__ import annotations

from typing import NamedTuple

from jcsim.framework import APDU, ISO7816, ISOException, JCSystem

INS_REPORT = 0x10
INS_TOUCH = 0x11


class Call(NamedTuple):
    """One select or deselect call, as the applet saw it."""

    applet: str
    method: str  # "select" or "deselect"
    argument: bool | None  # None: Applet.select() / deselect(); a bool: the MultiSelectable form
    assigned: int  # JCSystem.getAssignedChannel() inside the call
    cla: int  # APDU.getCLAChannel() inside the call


class RecorderBehaviour:
    """Mixed into an Applet subclass; the subclass picks the select / deselect signatures."""

    def __init__(self) -> None:
        self.name = "?"
        self.log: list[Call] = []
        self.refuse = False  # select() answers False while this is set
        self.marks = JCSystem.makeTransientByteArray(1, JCSystem.CLEAR_ON_DESELECT)

    def _on_select(self, argument: bool | None) -> bool:
        self.log.append(Call(self.name, "select", argument, JCSystem.getAssignedChannel(),
                             APDU.getCLAChannel()))
        if self.refuse:
            return False
        self.marks[0] = (self.marks[0] + 1) & 0xFF
        return True

    def _on_deselect(self, argument: bool | None) -> None:
        self.log.append(Call(self.name, "deselect", argument, JCSystem.getAssignedChannel(),
                             APDU.getCLAChannel()))

    def process(self, apdu: APDU) -> None:
        buf = apdu.getBuffer()
        if self.selectingApplet():  # type: ignore[attr-defined]
            return
        ins = buf[ISO7816.OFFSET_INS]
        if ins == 0xA4:
            ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND)
        if ins == INS_TOUCH:
            self.marks[0] = (self.marks[0] + 1) & 0xFF
        elif ins != INS_REPORT:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        buf[0] = JCSystem.getAssignedChannel()
        buf[1] = APDU.getCLAChannel()
        buf[2] = self.marks[0]
        buf[3] = apdu.getProtocol()
        apdu.setOutgoingAndSend(0, 4)
