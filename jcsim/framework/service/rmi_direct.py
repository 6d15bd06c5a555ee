"""The direct INVOKE of ``RMIService``: the common case in one go (JCRE 3.0.5 ch. 8).

Nearly every INVOKE calls a method whose parameters are bytes, shorts or ints and whose result
is one of those, a boolean or void, on an object of the open session. Two shortcuts take that
case, both declining anything else to the general path of ``rmi_service``:

- ``_direct_call``, inside ``processCommand``: the call and its answer from a plan made once
  per method (``rmi_plans``), the data already received;
- ``_jc_lean_command``, offered by a ``Dispatcher`` whose only service is this one: the whole
  command, from its first step to its answer in the Common Service Format, in one method. It
  declines with nothing done, so the Dispatcher then calls ``processCommand``.

Both read what the general path's firewall checks read (the service's owner, the remote
method's lookup) and stand only for a class that keeps every step they replace (``STEPS``):
a subclass overriding one takes the general path, so its override is called as in Java.
Their twins are the general path (``tests/framework/test_rmi_lean_invoke.py`` and the RMI
suite's hypothesis tests).
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Any

from jcsim.framework.apdu import APDU
from jcsim.framework.card_object import Object
from jcsim.framework.iso7816 import ISO7816
from jcsim.framework.service._rmi_values import Where, exception_response
from jcsim.framework.service.rmi_plans import direct_plan
from jcsim.lang import Throwable
from jcsim.rmi import wire
from jcsim.rmi.remote import remote_class_info

__all__ = ["CSF_MAX_RESPONSE", "SESSION_OPEN", "SW_NO_ERROR_CSF", "DirectInvoke",
           "keeps_the_steps"]

log = logging.getLogger("jcsim.service.rmi")

SESSION_OPEN = 0x01
CSF_MAX_RESPONSE = 0xFF  # the CSF keeps the output length in one byte (offset 4)
# The CSF's Output Ready header of a successful answer of n bytes: SW1 SW2 (9000), La.
SW_NO_ERROR_CSF = tuple(bytes((0x90, 0x00, n)) for n in range(CSF_MAX_RESPONSE + 1))
STATE_FULL_INCOMING = APDU.STATE_FULL_INCOMING
# The steps the shortcuts take in one go.
STEPS = ("_invoke", "_receive_invoke", "receiveInData", "_lookup", "_call", "_marshal",
         "_answer", "_send_long", "setOutputLength", "succeed", "setProcessed",
         "setStatusWord", "_direct_call", "_direct_target", "_direct_answer")
_RMI_VERSION = bytes(wire.RMI_VERSION)


@functools.cache
def keeps_the_steps(cls: type) -> bool:
    """Whether ``cls`` keeps RMIService's own version of every step in ``STEPS``."""
    from jcsim.framework.service.rmi_service import RMIService  # the module that imports this

    return all(getattr(cls, name) is getattr(RMIService, name) for name in STEPS)


@functools.cache
def _lean_class(cls: type) -> bool:
    from jcsim.framework.service.rmi_service import RMIService

    return keeps_the_steps(cls) and all(
        getattr(cls, name) is getattr(RMIService, name)
        for name in ("processCommand", "_check_incoming", "_jc_lean_command"))


class DirectInvoke(Object):
    """RMIService's shortcuts (a base of ``RMIService``; its state is RMIService's)."""

    if TYPE_CHECKING:  # RMIService's fields and steps, which these shortcuts use
        _session: Any
        _invokeIns: int  # noqa: N815 (RMIService's field)

        def _lookup(self, object_id: int) -> Any: ...

        def _marshal(self, method: Any, result: Any, where: Where) -> bytes: ...

        def _answer(self, apdu: APDU, response: bytes) -> None: ...

    def _direct_call(self, data: bytes) -> bytes | None:
        """The INVOKE of a method whose parameters and result are primitives (or void), on an
        object of this session, in an open session: called with the same firewall-checked
        reads as ``_call`` and answered alike; None for anything else."""
        cls = type(self)
        target = cls._direct_target(self, data)
        if target is None:
            return None
        return cls._direct_answer(self, data, *target)

    def _direct_target(self, data: bytes) -> tuple[Any, int, Any] | None:
        """The object, method id and plan of an INVOKE the shortcuts take (an open session,
        an object of it, a method with a plan, data of its signature's length, no debug
        tracing, which the general path writes); None for anything else. Reads only."""
        if not self._session[0] & SESSION_OPEN:
            return None
        obj = type(self)._lookup(self, (data[0] << 8) | data[1])
        if obj is None:
            return None
        method_id = (data[2] << 8) | data[3]
        plan = direct_plan(type(obj), method_id)
        if plan is None or plan[2] != len(data) or log.isEnabledFor(logging.DEBUG):
            return None  # a wrong length is error 0003, from the general path
        return obj, method_id, plan

    def _direct_answer(self, data: bytes, obj: Any, method_id: int, plan: Any) -> bytes:
        """Call the method as ``plan`` says and answer what it returns or throws, as ``_call``
        would."""
        python_name, layout, _length, encode = plan
        args = [jtype(int.from_bytes(data[start:start + width], "big"))
                for jtype, start, width in layout] if layout else ()
        try:
            result = getattr(obj, python_name)(*args)
        except Throwable as exc:
            return exception_response(exc)
        response = encode(result)
        if response is None:  # a value of the wrong type: _marshal says why (a TypeError)
            info = remote_class_info(type(obj))
            method = info.by_id[method_id]
            return type(self)._marshal(self, method, result, Where(info.class_name, method.name))
        return response

    def _jc_lean_command(self, apdu: APDU) -> bool:
        """The Dispatcher's shortcut when this service is the only one registered: a short
        INVOKE of a method ``_direct_call`` takes, from the command's first step to its answer
        in the Common Service Format, as ``processCommand`` makes it, with the firewall-checked
        reads of the general path but not its calls from step to step. False with nothing
        done for any other command: the Dispatcher then calls ``processCommand``. Its twin is
        the general path (``tests/framework/test_rmi_lean_invoke.py``)."""
        cls = type(self)
        raw = apdu._raw
        nc = apdu._nc
        if (apdu._state != APDU.STATE_INITIAL or apdu._cdata_offset != ISO7816.OFFSET_CDATA
                or nc < 4 or not raw[0] & 0x80 or raw[1] != self._invokeIns or raw[1] == 0xA4
                or raw[2:4] != _RMI_VERSION or not _lean_class(cls)):
            return False
        data = raw[ISO7816.OFFSET_CDATA:ISO7816.OFFSET_CDATA + nc]
        target = cls._direct_target(self, data)
        if target is None:
            return False
        # From here on the general path's steps, in its order: nothing above changed a thing.
        apdu.setIncomingAndReceive()  # all of a short command's data: Input Ready, Lc at 4
        response = cls._direct_answer(self, data, *target)
        count = len(response)
        buffer = apdu._buffer
        if (count <= CSF_MAX_RESPONSE and apdu._state == STATE_FULL_INCOMING
                and ISO7816.OFFSET_CDATA + count <= len(buffer)):
            apdu.setOutgoing()  # as processCommand: _answer's steps in one write
            buffer[2:ISO7816.OFFSET_CDATA + count] = SW_NO_ERROR_CSF[count] + response
        else:
            cls._answer(self, apdu, response)
        return True
