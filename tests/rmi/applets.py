"""Remote interfaces and RMI applets for the tests: one method per wire type, remote returns,
every kind of exception, and applets built with a ``Dispatcher`` and an ``RMIService``."""

from __future__ import annotations

from jcsim.framework import (
    APDU,
    APDUException,
    Applet,
    ArithmeticException,
    ArrayIndexOutOfBoundsException,
    ByteArray,
    CardException,
    CardRuntimeException,
    CryptoException,
    ISOException,
    NullPointerException,
    PINException,
    RuntimeException,
    SecurityException,
    ServiceException,
    SystemException,
    Throwable,
    TransactionException,
    UserException,
    UtilException,
)
from jcsim.framework.service import CardRemoteObject, Dispatcher, RMIService
from jcsim.lang import Exception as JavaException
from jcsim.lang import IOException
from jcsim.framework.casts import byte, short
from jcsim.framework.interfaces import ExtendedLength
from jcsim.rmi import (
    Remote,
    RemoteException,
    java_method,
    jboolean,
    jbyte,
    jint,
    jshort,
    remote_interface,
)

ECHOES_AID = "F0 00 00 00 77 01"
OTHER_INS_AID = "F0 00 00 00 77 02"
HIDDEN_AID = "F0 00 00 00 77 03"


@remote_interface(package="tests/rmi")
class Counter(Remote):
    """A remote object a method can return."""

    def increment(self) -> jshort: ...


@remote_interface(package="tests/rmi")
class Echoes(Remote):
    """Each method returns what it is given (or something built from it)."""

    def echoBoolean(self, value: jboolean) -> jboolean: ...
    def echoByte(self, value: jbyte) -> jbyte: ...
    def echoShort(self, value: jshort) -> jshort: ...
    def echoInt(self, value: jint) -> jint: ...
    def echoBooleans(self, values: jboolean[...]) -> jboolean[...]: ...
    def echoBytes(self, values: jbyte[...]) -> jbyte[...]: ...
    def echoShorts(self, values: jshort[...]) -> jshort[...]: ...
    def echoInts(self, values: jint[...]) -> jint[...]: ...
    def mix(self, flag: jboolean, b: jbyte, s: jshort, i: jint, data: jbyte[...]) -> jint: ...
    def nothing(self) -> None: ...
    def calls(self) -> jshort: ...
    def makeBytes(self, length: jshort) -> jbyte[...]: ...
    def child(self, which: jbyte) -> Counter: ...
    def fresh(self) -> Counter: ...
    def forget(self, which: jbyte) -> None: ...
    def throwIt(self, kind: jbyte, reason: jshort) -> None: ...


class MyUserException(UserException):
    """An applet's own subclass of UserException (answered with tag 83)."""


class MyRuntimeException(RuntimeException):
    """A subclass of java.lang.RuntimeException (tag 83, type 09, reason 0)."""


# kind -> what throwIt throws (reason ignored for java.lang / java.io / java.rmi classes)
THROWN = {
    1: UserException, 2: MyUserException, 3: ISOException, 4: NullPointerException,
    5: ArithmeticException, 6: RemoteException, 7: CryptoException, 8: ServiceException,
    9: ArrayIndexOutOfBoundsException, 10: SystemException, 11: PINException,
    12: TransactionException, 13: UtilException, 14: APDUException, 15: CardRuntimeException,
    16: CardException, 17: JavaException, 18: MyRuntimeException, 19: SecurityException,
    20: IOException, 21: Throwable,
}
PYTHON_BUG = 99  # throwIt(99, ...) raises a plain Python TypeError


class CounterImpl(CardRemoteObject, Counter, package="tests/rmi"):
    def __init__(self) -> None:
        self.count = 0

    def increment(self) -> int:
        self.count = self.count + 1
        return self.count


class EchoesImpl(CardRemoteObject, Echoes, Counter, package="tests/rmi"):
    """Implements Echoes, and Counter too (two interfaces in one reference descriptor)."""

    def __init__(self) -> None:
        self.callCount = 0
        self.count = 0
        self.exported = CounterImpl()
        self.hidden = CounterImpl()
        CardRemoteObject.unexport(self.hidden)

    def echoBoolean(self, value):
        return value

    def echoByte(self, value):
        return value

    def echoShort(self, value):
        return value

    def echoInt(self, value):
        return value

    def echoBooleans(self, values):
        return values

    def echoBytes(self, values):
        return values

    def echoShorts(self, values):
        return values

    def echoInts(self, values):
        return values

    def mix(self, flag, b, s, i, data):
        total = b + s + i + (sum(data) if data is not None else 0)
        return -total if flag else total

    def nothing(self):
        self.callCount = self.callCount + 1

    def calls(self):
        return self.callCount

    def makeBytes(self, length):
        return ByteArray([i & 0xFF for i in range(length)])

    def child(self, which):
        return {0: None, 1: self.exported, 2: self.hidden}[which]

    def fresh(self):
        return CounterImpl()

    def forget(self, which):
        CardRemoteObject.unexport(self.exported if which == 1 else self)

    def throwIt(self, kind, reason):
        if kind == PYTHON_BUG:
            raise TypeError("a bug in applet code")
        exc = THROWN.get(kind)
        if exc is None:
            return
        if issubclass(exc, (CardException, CardRuntimeException)):
            exc.throwIt(reason)
        raise exc()

    def increment(self) -> int:
        self.count = self.count + 1
        return self.count


class EchoesApplet(Applet):
    """Dispatcher + RMIService with an ``EchoesImpl`` as the initial reference."""

    def __init__(self) -> None:
        self.impl = EchoesImpl()
        self.rmi = RMIService(self.impl)
        self.dispatcher = Dispatcher(1)
        self.dispatcher.addService(self.rmi, Dispatcher.PROCESS_COMMAND)

    def process(self, apdu: APDU) -> None:
        self.dispatcher.process(apdu)


class OtherInsApplet(EchoesApplet):
    """Announces INVOKE on INS 40 (``setInvokeInstructionByte`` before the first SELECT)."""

    def __init__(self) -> None:
        super().__init__()
        self.rmi.setInvokeInstructionByte(0x40)


class HiddenApplet(Applet):
    """Its initial reference is not exported: the FCI carries error 0001."""

    def __init__(self) -> None:
        impl = CounterImpl()
        CardRemoteObject.unexport(impl)
        self.dispatcher = Dispatcher(1)
        self.dispatcher.addService(RMIService(impl), Dispatcher.PROCESS_COMMAND)

    def process(self, apdu: APDU) -> None:
        self.dispatcher.process(apdu)


BIG_AID = "F0 00 00 00 77 04"
BIG_EXTENDED_AID = "F0 00 00 00 77 06"
OVERLOADS_AID = "F0 00 00 00 77 05"


@remote_interface(package="tests/rmi")
class BigAnswers(Remote):
    """Answers longer than a short response: ``int[] ints(short count)``."""

    def ints(self, count: jshort) -> jint[...]: ...

    def echoInts(self, values: jint[...]) -> jint[...]: ...


class BigAnswersImpl(CardRemoteObject, BigAnswers, package="tests/rmi"):
    def ints(self, count):
        return [i * 65537 - 2**31 for i in range(count)]

    def echoInts(self, values):
        return values


class BigAnswersApplet(Applet):
    """Dispatcher + RMIService over ``BigAnswersImpl``; short answers only."""

    def __init__(self) -> None:
        self.dispatcher = Dispatcher(1)
        self.dispatcher.addService(RMIService(BigAnswersImpl()), Dispatcher.PROCESS_COMMAND)

    def process(self, apdu: APDU) -> None:
        self.dispatcher.process(apdu)


class BigAnswersExtendedApplet(BigAnswersApplet, ExtendedLength):
    """The same, implementing ``ExtendedLength``: answers up to 32767 bytes."""


@remote_interface(package="tests/rmi")
class Overloads(Remote):
    """Java's ``short debit(short)``, ``short debit(byte[])`` and ``byte debit(byte, byte)``."""

    def debit(self, amount: jshort) -> jshort: ...

    @java_method("debit")
    def debitBytes(self, amounts: jbyte[...]) -> jshort: ...

    @java_method("debit")
    def debitPair(self, high: jbyte, low: jbyte) -> jbyte: ...


class OverloadsImpl(CardRemoteObject, Overloads, package="tests/rmi"):
    def debit(self, amount):
        return short(amount + 1)

    def debitBytes(self, amounts):
        return short(sum(amounts[i] for i in range(amounts.length)))

    def debitPair(self, high, low):
        return byte(high - low)


class OverloadsApplet(Applet):
    def __init__(self) -> None:
        self.dispatcher = Dispatcher(1)
        self.dispatcher.addService(RMIService(OverloadsImpl()), Dispatcher.PROCESS_COMMAND)

    def process(self, apdu: APDU) -> None:
        self.dispatcher.process(apdu)
