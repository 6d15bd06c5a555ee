"""``javacard.framework.service`` for applets written in Python.

Mirrors the Java Card 3.0.5 service framework: build an applet from services registered with a
``Dispatcher`` (input, command and output phases), derive services from ``BasicService`` (whose
helpers keep status word and lengths in the APDU buffer), serve Java Card RMI with
``RMIService`` and remote objects derived from ``CardRemoteObject``, and describe security with
``SecurityService``::

    from jcsim.framework.service import Dispatcher, RMIService

    class PurseApplet(Applet):
        def __init__(self):
            self.dispatcher = Dispatcher(1)
            self.dispatcher.addService(RMIService(PurseImpl()), Dispatcher.PROCESS_COMMAND)

        def process(self, apdu):
            self.dispatcher.process(apdu)
"""

from jcsim.framework.exceptions import ServiceException
from jcsim.framework.service.basic_service import BasicService
from jcsim.framework.service.card_remote_object import CardRemoteObject
from jcsim.framework.service.dispatcher import Dispatcher
from jcsim.framework.service.rmi_service import RMIService
from jcsim.framework.service.service import RemoteService, SecurityService, Service

__all__ = [
    "BasicService",
    "CardRemoteObject",
    "Dispatcher",
    "RMIService",
    "RemoteService",
    "SecurityService",
    "Service",
    "ServiceException",
]
