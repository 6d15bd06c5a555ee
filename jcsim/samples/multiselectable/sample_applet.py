"""``SampleApplet``: the "MultiSelectable Applet Example" of the Java Card application
programming notes (3.0.5 and later; "Working with Logical Channels"), ported to Python.

The applet keeps two arrays:

- ``packageData``, shared by every applet of the package: initialised when the *first* applet
  of the package becomes active, cleared once *no* applet of the package is active;
- ``privateData``, this instance's own: initialised when the instance becomes active (selected
  on its first channel), cleared when it is no longer active on any channel.

It never counts channels itself. The JCRE tells it which case each selection is, through the
method it calls (JCRE 3.0.5 §4.3, §4.7):

| the JCRE calls          | because                                         | the applet         |
|-------------------------|-------------------------------------------------|--------------------|
| ``select()``            | no applet of the package is active              | init package + own |
| ``select(False)``       | another applet of the package is active         | init own           |
| ``select(True)``        | this instance is already active elsewhere       | nothing            |
| ``deselect(True)``      | this instance stays active elsewhere            | nothing            |
| ``deselect(False)``     | another applet of the package stays active      | clear own          |
| ``deselect()``          | it was the last active applet of the package    | clear package + own|

Python has no overloading, so one ``select(self, appInstAlreadyActive=None)`` receives both
``Applet.select()`` (no argument) and ``MultiSelectable.select(boolean)``; the same for
``deselect``.

Commands: ``80 CA 00 01 00`` answers ``privateData``, ``80 CA 00 02 00`` answers
``packageData`` (P2 is the notes' ``dataType``).

jcsim deviation: ``packageData`` is a Java ``static`` field, which jcsim keeps as a module-level
variable; a Python module is loaded once per process, so every simulated card in one Python
process shares it (Java loads a package once per card). The sample's behaviour does not depend
on it: every activation initialises the data it owns before use.
"""

from __future__ import annotations

from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ByteArray,
    ISOException,
    MultiSelectable,
    Util,
)

# dataType, as in the notes.
DATA_PRIVATE = 0x01
DATA_PACKAGE = 0x02
DATA_LENGTH = 8

INS_GET_DATA = 0xCA

# Java's ``static byte[] packageData``: one array for every applet of the package. jcsim keeps a
# package's static fields as module-level variables (see ``jcsim.package``).
packageData = ByteArray(DATA_LENGTH)


class SampleApplet(Applet, MultiSelectable):
    """Mirrors the notes' ``SampleApplet implements MultiSelectable``."""

    def __init__(self) -> None:
        self.privateData = ByteArray(DATA_LENGTH)

    # --- the notes' helpers ------------------------------------------------------------------

    def initData(self, dataArray: ByteArray, dataType: int) -> None:
        """Fill ``dataArray`` with its ``dataType``: what "initialised" looks like on the wire."""
        Util.arrayFillNonAtomic(dataArray, 0, len(dataArray), dataType)

    def clearData(self, dataArray: ByteArray) -> None:
        Util.arrayFillNonAtomic(dataArray, 0, len(dataArray), 0)

    # --- selection ---------------------------------------------------------------------------

    def select(self, appInstAlreadyActive: bool | None = None) -> bool:
        if appInstAlreadyActive is None:
            # Applet.select(): the first applet of the package to become active, so
            # initialise the package data and this applet's data.
            self.initData(packageData, DATA_PACKAGE)
            self.initData(self.privateData, DATA_PRIVATE)
        elif not appInstAlreadyActive:
            # MultiSelectable.select(false): the package is active through another applet,
            # but this instance is being activated: only its own data starts fresh.
            self.initData(self.privateData, DATA_PRIVATE)
        # MultiSelectable.select(true): this instance is already active on another channel;
        # its data is in use there and must be left alone.
        return True

    def deselect(self, appInstStillActive: bool | None = None) -> None:
        if appInstStillActive is None:
            # Applet.deselect(): the last active applet of the package is leaving.
            self.clearData(packageData)
            self.clearData(self.privateData)
        elif not appInstStillActive:
            # MultiSelectable.deselect(false): this instance is no longer active anywhere,
            # but another applet keeps the package (and its data) in use.
            self.clearData(self.privateData)
        # MultiSelectable.deselect(true): still active on another channel; keep everything.

    # --- commands ----------------------------------------------------------------------------

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        if buf[ISO7816.OFFSET_INS] != INS_GET_DATA:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        data_type = buf[ISO7816.OFFSET_P2]
        if buf[ISO7816.OFFSET_P1] != 0 or data_type not in (DATA_PRIVATE, DATA_PACKAGE):
            ISOException.throwIt(ISO7816.SW_INCORRECT_P1P2)
        source = self.privateData if data_type == DATA_PRIVATE else packageData
        Util.arrayCopyNonAtomic(source, 0, buf, 0, DATA_LENGTH)
        apdu.setOutgoingAndSend(0, DATA_LENGTH)
