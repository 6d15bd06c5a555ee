# mypy: disable-error-code="valid-type"
# A remote interface declares Java types (jshort): the RMI layer reads them at run time
# for method ids and marshalling; they are values, not Python types.
"""The secure ``Purse`` remote interface, shared by the card and the host.

The programming notes' ``examples.securepurse.Purse``: the purse of ``jcsim.samples.purse`` plus a
reason code for refused requests. ``REQUEST_DENIED`` (0x6003) is the value the Java Card
development kit's SecureRMIPurse sample gives it ("the client tries to invoke a method that it
is not allowed to access"); ``REQUEST_FAILED`` keeps reporting a rule the amount broke.
"""

from __future__ import annotations

from jcsim.rmi import Remote, jshort, remote_interface

__all__ = ["Purse"]


@remote_interface(package="examples/securepurse")
class Purse(Remote):
    """A purse whose methods need an authenticated principal and an integrity-protected
    command; they throw ``UserException(REQUEST_DENIED)`` otherwise."""

    MAX_AMOUNT = 400
    REQUEST_FAILED = 0x0102
    REQUEST_DENIED = 0x6003

    def debit(self, amount: jshort) -> jshort:
        """Cardholder, MAC-protected: take ``amount``; returns the new balance."""

    def credit(self, amount: jshort) -> jshort:
        """Application provider, MAC-protected: add ``amount``; returns the new balance."""

    def getBalance(self) -> jshort:
        """Cardholder or application provider: the balance."""
