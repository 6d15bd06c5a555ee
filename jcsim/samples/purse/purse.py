# mypy: disable-error-code="valid-type"
# A remote interface declares Java types (jshort): the RMI layer reads them at run time
# for method ids and marshalling; they are values, not Python types.
"""The ``Purse`` remote interface, shared by the card and the host.

The Java Card programming notes' ``examples.purse.Purse`` ("Developing RMI Applications")::

    public interface Purse extends Remote {
        public static final short MAX_AMOUNT = 400;
        public static final short REQUEST_FAILED = 0x0102;
        public short debit(short amount) throws RemoteException, UserException;
        public short credit(short amount) throws RemoteException, UserException;
        public short getBalance() throws RemoteException, UserException;
    }
"""

from __future__ import annotations

from jcsim.rmi import Remote, jshort, remote_interface

__all__ = ["Purse"]


@remote_interface(package="examples/purse")
class Purse(Remote):
    """A purse holding a balance; every method may throw ``UserException(REQUEST_FAILED)``."""

    MAX_AMOUNT = 400
    REQUEST_FAILED = 0x0102

    def debit(self, amount: jshort) -> jshort:
        """Take ``amount`` from the balance; returns the new balance."""

    def credit(self, amount: jshort) -> jshort:
        """Add ``amount`` (at most MAX_AMOUNT) to the balance; returns the new balance."""

    def getBalance(self) -> jshort:
        """The balance."""
