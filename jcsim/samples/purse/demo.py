"""``jcsim demo purse``: Java Card RMI, one host call at a time.

The programming notes' purse: the host calls ``credit``, ``debit`` and ``getBalance`` on a
proxy; each call is an INVOKE APDU the card's dispatcher hands to its RMI service, which calls
``PurseImpl`` and answers the result (or the exception it threw).
"""

from __future__ import annotations

from jcsim.cli.demo import DemoError
from jcsim.rmi.client import CardExceptionError, JCRMIConnect, SimulatorCardAccessor
from jcsim.rmi.remote import remote_class_info
from jcsim.rmi.wire import NormalResponse
from jcsim.samples.purse.narration import Narrator
from jcsim.samples.purse.purse import Purse
from jcsim.samples.purse.purse_applet import PURSE_AID, PurseApplet
from jcsim.samples.purse.purse_impl import PurseImpl


def _expect_failure(say: Narrator, call, what: str) -> CardExceptionError:
    try:
        call()
    except CardExceptionError as exc:
        say.caught(exc, Purse)
        return exc
    say.check(False, f"{what} should have been refused")
    raise AssertionError("unreachable")


def run(walk) -> None:  # walk: jcsim.cli.demo.Walkthrough
    sim = walk.simulator()
    with Narrator(walk) as say:
        walk.step("Install", "PurseApplet (jcsim.samples.purse) builds a PurseImpl "
                  "(a CardRemoteObject, exported as it is created), an RMIService with it as "
                  "the initial reference, and a Dispatcher that gives every command to that "
                  "service.")
        sim.install(PurseApplet, PURSE_AID)
        for method in remote_class_info(PurseImpl).by_name.values():
            say.note(f"Purse.{method.signature}: method id "
                     f"{method.method_id():04X}")

        walk.step("Select", "JCRMIConnect.select_applet sends SELECT with P2 = 00 "
                  "(remote_ref_with_class). The RMIService answers an FCI: 6F (FCI) > 6E "
                  "(application data) > 5E (jc_rmi_data): RMI version 2.2, the INVOKE "
                  "instruction byte, and the initial reference (tag 81, object id, class).")
        accessor = SimulatorCardAccessor(sim)
        connection = JCRMIConnect(accessor, on_invoke=say.on_invoke)
        connection.select_applet(PURSE_AID)
        say.card()
        select = connection.select_response
        if select is None or not isinstance(select.initial_ref, NormalResponse):
            raise DemoError("SELECT gave the host no initial reference")
        ref = select.initial_ref.value
        say.note(f"host: version {select.version[0]}.{select.version[1]}, INVOKE INS "
                 f"{select.invoke_ins:02X}, initial reference: object {ref.object_id:04X} of "
                 f"class {ref.java_name}")

        walk.step("The initial reference", "get_initial_reference() sends nothing: it makes a "
                  "proxy whose methods are those of the Purse interface the host shares with "
                  "the card (the rmic stub's role).")
        purse = connection.get_initial_reference()
        say.note(f"host: {purse!r}; isinstance(purse, Purse) is {isinstance(purse, Purse)}")

        walk.step("getBalance()", "A new purse holds 0.")
        balance = purse.getBalance()
        say.check(balance == 0, f"a new purse holds 0, not {balance}")
        say.note(f"balance: {balance}")

        walk.step("credit(100)", "The short 100 travels as 00 64 after the object and method "
                  "ids; PurseImpl.credit returns the new balance.")
        balance = purse.credit(100)
        say.check(balance == 100, f"expected 100, got {balance}")
        say.note(f"balance: {balance}")

        walk.step("debit(30)", "debit returns the new balance too.")
        balance = purse.debit(30)
        say.check(balance == 70, f"expected 70, got {balance}")
        say.note(f"balance: {balance}")

        walk.step("debit(500): more than the balance", "PurseImpl throws "
                  "UserException(REQUEST_FAILED). The RMIService catches it and answers an "
                  "exception response, 82 27 01 02 (type 27 = UserException, reason 0102), "
                  "with SW 9000; the proxy raises it on the host.")
        _expect_failure(say, lambda: purse.debit(500), "debit(500)")
        balance = purse.getBalance()
        say.check(balance == 70, "a refused debit changed the balance")
        say.note(f"balance: {balance} (unchanged)")

        walk.step(f"credit(401): more than MAX_AMOUNT ({Purse.MAX_AMOUNT})",
                  "A credit may not exceed MAX_AMOUNT.")
        _expect_failure(say, lambda: purse.credit(Purse.MAX_AMOUNT + 1), "credit(401)")

        walk.step("credit(-5): a negative amount", "Amounts must not be negative.")
        _expect_failure(say, lambda: purse.credit(-5), "credit(-5)")

        walk.step("Interface names", "select_applet(aid, REF_WITH_INTERFACE_NAMES) sets P2 b5 "
                  "(P2 = 10): references now name the remote interfaces the object implements, "
                  "and the host builds the proxy from them. The new selection ended the "
                  "previous session: the old proxy's object id is no longer valid.")
        connection.select_applet(PURSE_AID, JCRMIConnect.REF_WITH_INTERFACE_NAMES)
        say.card()
        fresh = connection.get_initial_reference()
        say.note(f"host: {fresh!r}")
        balance = fresh.getBalance()
        say.check(balance == 70, f"expected 70, got {balance}")
        say.note(f"balance: {balance} (persistent: it survived the new selection)")
        try:
            purse.getBalance()
        except Exception as exc:
            say.note(f"host: the old proxy raises {type(exc).__name__}: {exc}")
        else:
            say.check(False, "the previous session's proxy still worked")
        walk.done(f"The purse holds {fresh.getBalance()}. Every call was an INVOKE APDU; the "
                  "card's exceptions reached the host as Python exceptions with their reason.")
