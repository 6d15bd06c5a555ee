"""``RMIService``: the card's half of Java Card RMI (JCRE 3.0.5 ch. 8).

Mirrors ``javacard.framework.service.RMIService``. Its ``processCommand`` handles the two RMI
access commands and leaves every other command alone (returns False):

- the applet SELECT that selected the applet: answers the FCI with the RMI version (2.2), the
  INVOKE instruction byte and the initial reference, in the format SELECT's P2 asked for
  (b5 = 1: remote_ref_with_interfaces, else remote_ref_with_class), and opens a session;
- INVOKE (``CLA`` with b8 = 1, the session's INS, P1 P2 = 02 02): finds the object among
  those returned in this session, the method by its id, unmarshals the parameters (arrays
  become global arrays), calls the method and marshals what it returns or throws.

The references returned in a session live in CLEAR_ON_DESELECT transient arrays, so they stay
valid exactly while some applet of the package stays active (JCRE §8.5); their object ids are
unique on the card (``jcsim.runtime.remote_refs``). jcsim keeps up to ``SESSION_OBJECTS`` (16)
references per session; one more gives error 0005.

Lengths. An INVOKE and its response of up to 255 data bytes go through the Common Service
Format like any service's. A longer response is sent by the service itself: up to 256 bytes
(short Le ``00``) for any applet, and up to 32767 for an applet implementing ``ExtendedLength``,
which the terminal reads with an extended Le (T=1) or with GET RESPONSE (T=0); longer than
the applet may send gives error 0005. An ``ExtendedLength`` applet also takes an extended
INVOKE, whose parameters may pass 255 bytes.

Two paths, one behaviour. Nearly every INVOKE calls a method whose parameters and result are
primitives, on an object of the open session: ``rmi_direct`` takes that case in one go (in
``processCommand``, and for the whole command when the service is its ``Dispatcher``'s only
one), and declines anything else to the general path here, which checks everything from the
start: nothing was changed on the way.

Failures, on the wire: an unknown object id gives error 0001, an unknown method 0002,
parameters that do not match the signature 0003, a wrong P1 P2 or data shorter than the two ids
0006. A method returning an object that is not exported makes ``processCommand`` throw
``ServiceException(REMOTE_OBJECT_NOT_EXPORTED)``, as the javadoc says (6F00 through
``Dispatcher.process``); an initial reference that is not exported is announced in the FCI as
error 0001. Deviations: ``TransactionException.IN_PROGRESS`` for an object exported in a
transaction still open is not raised (the JCRE answers 6F00 for the open transaction anyway).
"""

from __future__ import annotations

import logging
from typing import Any

from jcsim import lang
from jcsim.framework import _jcre
from jcsim.framework.apdu import APDU
from jcsim.framework.casts import short, ushort
from jcsim.framework.exceptions import (
    APDUException,
    ServiceException,
)
from jcsim.framework.iso7816 import ISO7816
from jcsim.framework.jcsystem import JCSystem
from jcsim.framework.service._rmi_values import (
    Where,
    describe_ref,
    exception_response,
    from_card,
    show,
    to_card,
)
from jcsim.framework.service.basic_service import BasicService
from jcsim.framework.service.card_remote_object import is_exported
from jcsim.framework.service.rmi_direct import (
    CSF_MAX_RESPONSE,
    SESSION_OPEN,
    STATE_FULL_INCOMING,
    SW_NO_ERROR_CSF,
    DirectInvoke,
    keeps_the_steps,
)
from jcsim.framework.service.service import RemoteService
from jcsim.lang import NullPointerException, Throwable
from jcsim.rmi import wire
from jcsim.rmi.remote import RemoteMethod, java_package, remote_class_info
from jcsim.rmi.wire import RefFormat, WireFormatError

__all__ = ["RMIService"]

log = logging.getLogger("jcsim.service.rmi")



class _RefusedError(Exception):
    """An INVOKE the service answers with an error response (never leaves this module)."""

    def __init__(self, detail: int, why: str) -> None:
        super().__init__(why)
        self.detail = detail


class RMIService(BasicService, RemoteService, DirectInvoke):
    """Mirrors ``javacard.framework.service.RMIService``."""

    DEFAULT_RMI_INVOKE_INSTRUCTION = wire.DEFAULT_INVOKE_INS
    SESSION_OBJECTS = 16  # jcsim: references remembered per session

    def __init__(self, initialObject: Any) -> None:
        if initialObject is None:
            raise NullPointerException("initialObject is null")
        self._initialObject = initialObject
        self._invokeIns = self.DEFAULT_RMI_INVOKE_INSTRUCTION
        self._nextInvokeIns = self.DEFAULT_RMI_INVOKE_INSTRUCTION
        size = self.SESSION_OBJECTS
        self._objects = JCSystem.makeTransientObjectArray(size, JCSystem.CLEAR_ON_DESELECT)
        self._ids = JCSystem.makeTransientShortArray(size, JCSystem.CLEAR_ON_DESELECT)
        # [0]: the session's reference format (RefFormat) | SESSION_OPEN
        self._session = JCSystem.makeTransientByteArray(1, JCSystem.CLEAR_ON_DESELECT)

    def setInvokeInstructionByte(self, ins: int) -> None:
        """Use ``ins`` for INVOKE from the next SELECT this service processes on."""
        self._nextInvokeIns = ins & 0xFF

    # --- dispatch ----------------------------------------------------------------------------

    # On the INVOKE path methods are looked up on the class (``cls = type(self)``), still
    # virtual: on the instance each lookup would be one more firewall-checked attribute read,
    # and the check already passed when the Dispatcher got ``processCommand``.

    def processCommand(self, apdu: APDU) -> bool:
        """Handle SELECT (the FCI) and INVOKE; False for any other command."""
        cla, ins, p1, p2 = apdu.getBuffer()[0:4]
        if ins == 0xA4 and self.selectingApplet():
            self._check_incoming(apdu)
            self._answer(apdu, self._select(apdu))
            return True
        if cla & 0x80 and ins == self._invokeIns:
            cls = type(self)
            cls._check_incoming(apdu)
            response = cls._invoke(self, apdu, (p1, p2))
            buffer = apdu.getBuffer()
            end = ISO7816.OFFSET_CDATA + len(response)
            if (len(response) <= CSF_MAX_RESPONSE and end <= len(buffer)
                    and keeps_the_steps(cls)
                    and apdu.getCurrentState() == STATE_FULL_INCOMING):
                # _answer's steps, in one write: from Input Ready, with the answer inside the
                # buffer, none of them can fail (setOutgoing is allowed), so their order is
                # not seen.
                apdu.setOutgoing()
                buffer[2:end] = SW_NO_ERROR_CSF[len(response)] + response
                return True
            cls._answer(self, apdu, response)
            return True
        return False

    @staticmethod
    def _check_incoming(apdu: APDU) -> None:
        if apdu.getCurrentState() not in (APDU.STATE_INITIAL, APDU.STATE_FULL_INCOMING):
            ServiceException.throwIt(ServiceException.CANNOT_ACCESS_IN_COMMAND)

    def _answer(self, apdu: APDU, response: bytes) -> None:
        if len(response) > CSF_MAX_RESPONSE:
            if self._send_long(apdu, response):
                return
            response = wire.encode_error(wire.ERROR_MARSHAL_RESOURCES)
        start = ISO7816.OFFSET_CDATA
        buffer = apdu.getBuffer()
        end = start + len(response)
        if end > len(buffer):  # as the first write past the end would
            raise lang.ArrayIndexOutOfBoundsException(len(buffer))
        buffer[start:end] = response
        cls = type(self)
        cls.setOutputLength(self, apdu, len(response))
        cls.succeed(self, apdu)

    @staticmethod
    def _send_long(apdu: APDU, response: bytes) -> bool:
        """Send a response longer than the CSF holds, through the APDU buffer a piece at a
        time; False (nothing sent) when the applet may not send that much."""
        if apdu.getCurrentState() < APDU.STATE_OUTGOING:
            apdu.setOutgoing()
        try:
            apdu.setOutgoingLength(len(response))
        except APDUException:
            return False
        buffer = apdu.getBuffer()
        piece = len(buffer)
        for start in range(0, len(response), piece):
            chunk = response[start:start + piece]
            for offset, value in enumerate(chunk):
                buffer[offset] = value
            apdu.sendBytes(0, len(chunk))
        return True

    # --- SELECT ------------------------------------------------------------------------------

    def _select(self, apdu: APDU) -> bytes:
        buffer = apdu.getBuffer()
        fmt = RefFormat.INTERFACES if buffer[ISO7816.OFFSET_P2] & 0x10 else RefFormat.CLASS
        self.receiveInData(apdu)
        if self._nextInvokeIns != self._invokeIns:
            self._invokeIns = self._nextInvokeIns
        self._session[0] = int(fmt) | SESSION_OPEN
        initial = self._initialObject
        if not is_exported(initial):
            log.debug("SELECT: the initial reference %s is not exported: error 0001",
                      type(initial).__name__)
            ref = wire.encode_error(wire.ERROR_OBJECT_ID)
        else:
            try:
                ref = bytes((wire.NORMAL_TAG,)) + wire.encode_ref(self._descriptor(initial))
                wire.encode_fci(self._invokeIns, ref)  # raises if too long for the FCI
            except _RefusedError as refused:
                ref = wire.encode_error(refused.detail)
            except WireFormatError:
                ref = wire.encode_error(wire.ERROR_MARSHAL_RESOURCES)
        fci = wire.encode_fci(self._invokeIns, ref)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("SELECT (P2=%02X, %s): INVOKE uses INS %02X; initial reference %s",
                      buffer[ISO7816.OFFSET_P2], "remote_ref_with_interfaces"
                      if fmt == RefFormat.INTERFACES else "remote_ref_with_class",
                      self._invokeIns, describe_ref(ref))
        return fci

    def _format(self) -> RefFormat:
        return RefFormat(self._session[0] & RefFormat.INTERFACES)

    def _descriptor(self, obj: Any) -> wire.ClassRef | wire.InterfacesRef:
        ref_id = self._remember(obj)
        info = remote_class_info(type(obj))
        if self._format() == RefFormat.INTERFACES:
            names = tuple((java_package(i), i.__name__) for i in info.interfaces)
            return wire.InterfacesRef(ref_id, info.hash_modifier, names)
        return wire.ClassRef(ref_id, info.hash_modifier, info.package, info.class_name)

    # --- the session's references ------------------------------------------------------------

    def _remember(self, obj: Any) -> int:
        """The object id of ``obj`` in this session, added if new (error 0005 when full)."""
        objects, ids = self._objects, self._ids
        free = -1
        for slot in range(len(objects)):
            held = objects[slot]
            if held is obj:
                return ushort(ids[slot])
            if held is None and free < 0:
                free = slot
        if free < 0:
            raise _RefusedError(wire.ERROR_MARSHAL_RESOURCES,
                                f"no room for another reference ({len(objects)} in this session)")
        ref_id = _jcre.active().remote_refs.allocate(objects, ids, free)
        if ref_id < 0:
            raise _RefusedError(wire.ERROR_MARSHAL_RESOURCES,
                                "no free remote object id on the card")
        ids[free] = short(ref_id)
        objects[free] = obj
        return ref_id

    def _lookup(self, object_id: int) -> Any:
        # The ids read whole (one access check), then the object of each slot holding that id
        # until one is not null (the ids are kept as Java shorts).
        objects, ids = self._objects, self._ids[:]
        wanted = object_id - 0x10000 if object_id >= 0x8000 else object_id
        slot = -1
        while True:
            try:
                slot = ids.index(wanted, slot + 1)
            except ValueError:
                return None
            held = objects[slot]
            if held is not None:
                return held

    # --- INVOKE ------------------------------------------------------------------------------

    def _invoke(self, apdu: APDU, version: tuple[int, int]) -> bytes:
        cls = type(self)
        data = cls._receive_invoke(self, apdu)
        if version == wire.RMI_VERSION and len(data) >= 4 and keeps_the_steps(cls):
            # The common INVOKE (see _direct_call); anything it does not take (an error to
            # answer, a remote reference or an array to marshal) goes the general way below,
            # which checks everything again from the start: nothing was changed on the way.
            response = cls._direct_call(self, data)
            if response is not None:
                return response
        try:
            if version != wire.RMI_VERSION:
                raise _RefusedError(wire.ERROR_PROTOCOL,
                                    f"P1 P2 = {version[0]:02X} {version[1]:02X},"
                                    " not the RMI version 02 02")
            if not self._session[0] & SESSION_OPEN:
                raise _RefusedError(wire.ERROR_OBJECT_ID, "no RMI session: SELECT the applet first")
            try:
                invoke = wire.decode_invoke(data)
            except WireFormatError as exc:
                raise _RefusedError(wire.ERROR_PROTOCOL, str(exc)) from exc
            return cls._call(self, invoke)
        except _RefusedError as refused:
            log.debug("INVOKE refused: %s: error %04X", refused, refused.detail)
            return wire.encode_error(refused.detail)

    def _receive_invoke(self, apdu: APDU) -> bytes:
        """The INVOKE data: from the CSF for a short command (an earlier service may have
        unwrapped it there), read whole for an extended one."""
        buffer = apdu.getBuffer()
        if apdu.getCurrentState() != APDU.STATE_INITIAL:
            length = self.receiveInData(apdu)
            return bytes(buffer[ISO7816.OFFSET_CDATA:ISO7816.OFFSET_CDATA + length])
        received = apdu.setIncomingAndReceive()
        offset = apdu.getOffsetCdata()
        total = apdu.getIncomingLength()
        if offset == ISO7816.OFFSET_CDATA:
            # A short command: the data stays in the buffer, in the Common Service Format's
            # Input Ready state (Lc at offset 4).
            while received < total:
                received += apdu.receiveBytes(offset + received)
            buffer[ISO7816.OFFSET_LC] = total
            return bytes(buffer[offset:offset + total])
        data = bytearray(buffer[offset:offset + received])
        while len(data) < total:
            count = apdu.receiveBytes(offset)
            data += buffer[offset:offset + count]
        return bytes(data)

    def _call(self, invoke: wire.Invoke) -> bytes:
        cls = type(self)
        obj = cls._lookup(self, invoke.object_id)
        if obj is None:
            raise _RefusedError(wire.ERROR_OBJECT_ID,
                                f"no object {invoke.object_id:04X} was returned in this session")
        info = remote_class_info(type(obj))
        method = info.by_id.get(invoke.method_id)
        if method is None:
            raise _RefusedError(wire.ERROR_METHOD, f"{info.class_name} has no method with id "
                                f"{invoke.method_id:04X}")
        try:
            values = wire.decode_params(method.params, invoke.params)
        except WireFormatError as exc:
            raise _RefusedError(wire.ERROR_SIGNATURE, f"{method.signature}: {exc}") from exc
        args = [to_card(jtype, value) for jtype, value in zip(method.params, values, strict=True)]
        where = Where(info.class_name, method.name)
        debug = log.isEnabledFor(logging.DEBUG)
        if debug:
            log.debug("INVOKE object %04X (%s) method %04X = %s with (%s)", invoke.object_id,
                      info.class_name, invoke.method_id, method.signature,
                      ", ".join(show(a) for a in args))
        try:
            result = getattr(obj, method.python_name)(*args)
        except Throwable as exc:
            response = exception_response(exc)
            if debug:
                log.debug("%s threw %s: %s", where, exc, response.hex(" ").upper())
            return response
        response = cls._marshal(self, method, result, where)
        if debug:
            log.debug("%s returned %s: %s", where, show(result), response.hex(" ").upper())
        return response

    def _marshal(self, method: RemoteMethod, result: Any, where: Where) -> bytes:
        if method.returns_remote:
            if result is None:
                return wire.encode_normal(wire.REMOTE, None)
            if not isinstance(result, method.returns):
                raise TypeError(f"{where} must return a {method.returns.__name__}, "
                                f"not {result!r}")
            if not is_exported(result):
                log.debug("%s returned %s, which is not exported", where,
                          type(result).__name__)
                ServiceException.throwIt(ServiceException.REMOTE_OBJECT_NOT_EXPORTED)
            try:
                response = wire.encode_normal(wire.REMOTE, self._descriptor(result))
            except _RefusedError as refused:
                return wire.encode_error(refused.detail)
            except WireFormatError:
                return wire.encode_error(wire.ERROR_MARSHAL_RESOURCES)
        elif method.returns.is_void:
            response = wire.encode_normal(method.returns, None)
        else:
            value = from_card(method.returns, result, where)
            if method.returns.is_array and value is not None and (
                    len(value) > wire.MAX_ARRAY_LENGTH):
                return wire.encode_error(wire.ERROR_MARSHAL_RESOURCES)
            try:
                response = wire.encode_normal(method.returns, value)
            except WireFormatError as exc:
                raise TypeError(f"{where} returned {result!r}: {exc}") from exc
        return response
