"""Methods that Java declares static are static here too: callable on the class
(``APDU.getOutBlockSize()``) as in Java, and still through an instance as Java allows."""

from __future__ import annotations

import importlib
import inspect

import pytest

from jcsim import Simulator
from jcsim.framework import APDU
from tests.helpers import install_probe

# Every static method of the Java Card 3.0.5 Classic API packages jcsim mirrors (javadoc of
# javacard.framework, javacard.framework.service, javacard.security, javacardx.crypto,
# javacard.framework.service's CardRemoteObject), by class.
JAVA_STATICS = {
    "jcsim.framework:APDU": "getCurrentAPDU getCurrentAPDUBuffer getCLAChannel waitExtension "
                            "getInBlockSize getOutBlockSize getProtocol",
    "jcsim.framework:JCSystem": "getAID lookupAID beginTransaction abortTransaction "
                                "commitTransaction getTransactionDepth getUnusedCommitCapacity "
                                "getMaxCommitCapacity getVersion getAssignedChannel "
                                "isAppletActive makeTransientBooleanArray makeTransientByteArray "
                                "makeTransientShortArray makeTransientObjectArray makeGlobalArray "
                                "isTransient getAvailableMemory isObjectDeletionSupported "
                                "requestObjectDeletion getPreviousContextAID "
                                "getAppletShareableInterfaceObject",
    "jcsim.framework:Util": "arrayCopy arrayCopyNonAtomic arrayFill arrayFillNonAtomic "
                            "arrayCompare makeShort getShort setShort",
    "jcsim.framework:Applet": "install",
    "jcsim.framework:CardException": "throwIt",
    "jcsim.framework:CardRuntimeException": "throwIt",
    "jcsim.framework:ISOException": "throwIt",
    "jcsim.framework:APDUException": "throwIt",
    "jcsim.framework:SystemException": "throwIt",
    "jcsim.framework:TransactionException": "throwIt",
    "jcsim.framework:PINException": "throwIt",
    "jcsim.framework:UtilException": "throwIt",
    "jcsim.framework:UserException": "throwIt",
    "jcsim.framework.service:ServiceException": "throwIt",
    "jcsim.security:CryptoException": "throwIt",
    "jcsim.security:KeyBuilder": "buildKey",
    "jcsim.security:MessageDigest": "getInstance getInitializedMessageDigestInstance",
    "jcsim.security:Signature": "getInstance",
    "jcsim.security:RandomData": "getInstance",
    "jcsim.security:KeyAgreement": "getInstance",
    "jcsim.security:Checksum": "getInstance",
    "jcsim.crypto:Cipher": "getInstance",
    "jcsim.rmi:CardRemoteObject": "export unexport",
}


@pytest.mark.parametrize(("path", "name"), [(path, name) for path, names in JAVA_STATICS.items()
                                            for name in names.split()])
def test_a_method_java_declares_static_is_static(path: str, name: str) -> None:
    module, _, cls = path.partition(":")
    method = inspect.getattr_static(getattr(importlib.import_module(module), cls), name)
    assert isinstance(method, (staticmethod, classmethod)), f"{cls}.{name} is not static"


def test_the_apdu_static_accessors_answer_on_the_class_and_on_the_instance(
        sim: Simulator) -> None:
    seen: dict[str, object] = {}

    def script(apdu: APDU) -> None:
        seen["class"] = (APDU.getProtocol(), APDU.getInBlockSize(), APDU.getOutBlockSize(),
                         APDU.getCurrentAPDU() is apdu,
                         APDU.getCurrentAPDUBuffer() is apdu.getBuffer())
        seen["instance"] = (apdu.getProtocol(), apdu.getInBlockSize(), apdu.getOutBlockSize(),
                            apdu.getCurrentAPDU() is apdu, True)

    install_probe(sim, script)
    assert sim.transmit("80 10 00 00").sw == 0x9000
    expected = ((APDU.PROTOCOL_T0, 1, 258) if sim.protocol == "T=0"
                else (APDU.PROTOCOL_T1, 254, 254))
    assert seen["class"] == seen["instance"] == (*expected, True, True)


def test_the_protocol_is_the_contactless_one_for_a_contactless_command(t1: Simulator) -> None:
    seen: list[int] = []
    install_probe(t1, lambda apdu: seen.append(APDU.getProtocol()), select=False)
    assert t1.select("F0 00 00 00 02 01", interface="contactless").sw == 0x9000
    t1.transmit("80 10 00 00", interface="contactless")
    assert seen == [APDU.PROTOCOL_MEDIA_CONTACTLESS_TYPE_A | APDU.PROTOCOL_T1]
