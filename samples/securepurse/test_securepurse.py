"""The secure purse: who may do what, PINs, the MAC on every command (a tampered or replayed
command is refused), the session ending at selection, and the demo."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from jcsim import InstallError, Simulator
from jcsim.cli.demo import run_demo
from jcsim.framework import ServiceException, UserException
from jcsim.framework.service import SecurityService
from jcsim.rmi import wire
from jcsim.rmi.client import ForwardingCardAccessor, JCRMIConnect, SimulatorCardAccessor
from jcsim.rmi.remote import interface_methods
from jcsim.samples.securepurse import (
    SECURE_PURSE_AID,
    MySecurityService,
    Purse,
    SecurePurseApplet,
    personalisation,
)
from jcsim.samples.securepurse.client import AuthenticationError, CustomCardAccessor, cmac
from jcsim.samples.securepurse.protocol import MAC_LENGTH

KEY = bytes.fromhex("000102030405060708090A0B0C0D0E0F")
HOLDER, PROVIDER = SecurityService.PRINCIPAL_CARDHOLDER, SecurityService.PRINCIPAL_APP_PROVIDER


class Line(ForwardingCardAccessor):
    """The wire: records what the terminal sent."""

    def __init__(self, inner):
        super().__init__(inner)
        self.sent: list[bytes] = []

    def exchange_apdu(self, command):
        self.sent.append(bytes(command))
        return super().exchange_apdu(command)


@pytest.fixture(params=["T=0", "T=1"])
def card(request: pytest.FixtureRequest) -> Simulator:
    sim = Simulator(request.param)
    sim.install(SecurePurseApplet, SECURE_PURSE_AID, personalisation("1234", "5678", KEY))
    return sim


@pytest.fixture
def session(card):
    """(accessor, the wire below it, the Purse proxy) after SELECT, nobody authenticated."""
    line = Line(SimulatorCardAccessor(card))
    accessor = CustomCardAccessor(line, KEY)
    connection = JCRMIConnect(accessor)
    connection.select_applet(SECURE_PURSE_AID)
    return accessor, line, connection.get_initial_reference()


def denied(call, *args) -> bool:
    try:
        call(*args)
    except UserException as exc:
        return exc.getReason() == Purse.REQUEST_DENIED
    return False


def failed(call, *args) -> bool:
    try:
        call(*args)
    except UserException as exc:
        return exc.getReason() == Purse.REQUEST_FAILED
    return False


def test_nothing_is_allowed_before_authentication(session):
    _, _, purse = session
    assert denied(purse.getBalance) and denied(purse.credit, 1) and denied(purse.debit, 0)


def test_credit_needs_the_application_provider_and_debit_the_cardholder(session):
    accessor, _, purse = session
    accessor.authenticate_user(HOLDER, "1234")
    assert purse.getBalance() == 0
    assert denied(purse.credit, 10)
    accessor.authenticate_user(PROVIDER, "5678")
    assert purse.credit(10) == 10
    assert purse.debit(4) == 6  # the cardholder is still authenticated in this session


def test_a_provider_alone_may_credit_and_read_but_not_debit(session):
    accessor, _, purse = session
    accessor.authenticate_user(PROVIDER, "5678")
    assert purse.credit(50) == 50 and purse.getBalance() == 50
    assert denied(purse.debit, 1)


def test_the_purse_rules_still_apply_to_authorised_requests(session):
    accessor, _, purse = session
    accessor.authenticate_user(PROVIDER, "5678")
    accessor.authenticate_user(HOLDER, "1234")
    assert failed(purse.credit, Purse.MAX_AMOUNT + 1) and failed(purse.credit, -1)
    purse.credit(3)
    assert failed(purse.debit, 4) and purse.debit(3) == 0


def test_a_wrong_pin_counts_down_and_three_block_the_principal(session):
    accessor, _, purse = session
    for left in (2, 1, 0):
        with pytest.raises(AuthenticationError) as caught:
            accessor.authenticate_user(HOLDER, "0000")
        assert caught.value.sw == 0x63C0 | left and caught.value.tries_remaining == left
    with pytest.raises(AuthenticationError) as caught:
        accessor.authenticate_user(HOLDER, "1234")
    assert caught.value.sw == 0x6983 and caught.value.tries_remaining is None
    accessor.authenticate_user(PROVIDER, "5678")  # the other principal is not affected
    assert purse.getBalance() == 0


def test_every_command_after_authentication_carries_a_counter_and_a_real_mac(session):
    accessor, line, purse = session
    accessor.authenticate_user(PROVIDER, "5678")
    purse.credit(7)
    purse.credit(8)
    first, second = line.sent[-2:]
    for command, counter in ((first, 1), (second, 2)):
        data = command[5:5 + command[4]]
        signed, mac = data[:-MAC_LENGTH], data[-MAC_LENGTH:]
        assert signed[-2:] == counter.to_bytes(2, "big")
        assert mac == cmac(accessor.session_key, command[:4] + signed)[:MAC_LENGTH]


def test_a_tampered_command_is_refused_whichever_byte_changed(card):
    for position in range(5, 5 + 4 + 2 + 2 + MAC_LENGTH):  # ids, amount, counter, MAC
        line = Line(SimulatorCardAccessor(card))
        accessor = CustomCardAccessor(line, KEY)
        connection = JCRMIConnect(accessor)
        connection.select_applet(SECURE_PURSE_AID)
        purse = connection.get_initial_reference()
        accessor.authenticate_user(PROVIDER, "5678")
        balance = purse.getBalance()
        command = bytearray(accessor.protect(credit_apdu(purse, 5, connection.invoke_ins)))
        command[position] ^= 0x01
        response = line.exchange_apdu(bytes(command))
        assert response[:1] != b"\x81", f"byte {position} changed and the card accepted it"
        assert purse.getBalance() == balance


def credit_apdu(purse, amount: int, ins: int = 0x38) -> bytes:
    """The INVOKE APDU of ``purse.credit(amount)``, without counter or MAC."""
    method = interface_methods(Purse)["credit"]
    return wire.encode_invoke(purse.remote_ref.object_id, method.method_id(),
                              wire.encode_params(method.params, [amount]), ins=ins)


def test_a_replayed_command_is_refused(session):
    accessor, line, purse = session
    accessor.authenticate_user(PROVIDER, "5678")
    assert purse.credit(100) == 100
    captured = line.sent[-1]
    assert line.exchange_apdu(captured) == bytes.fromhex("82276003 9000".replace(" ", ""))
    assert purse.credit(1) == 101
    assert line.exchange_apdu(captured)[:4] == bytes.fromhex("82276003")
    assert purse.getBalance() == 101


def test_a_command_without_its_mac_is_not_integrity_protected(session):
    accessor, line, purse = session
    accessor.authenticate_user(PROVIDER, "5678")
    assert line.exchange_apdu(credit_apdu(purse, 5)) == bytes.fromhex("82276003 9000"
                                                                      .replace(" ", ""))
    assert purse.getBalance() == 0


def test_a_new_selection_ends_the_authentication(card, session):
    accessor, _, purse = session
    accessor.authenticate_user(HOLDER, "1234")
    assert purse.getBalance() == 0
    connection = JCRMIConnect(accessor)
    connection.select_applet(SECURE_PURSE_AID)
    purse = connection.get_initial_reference()
    assert denied(purse.getBalance)


def test_the_security_service_answers_its_queries_as_the_javadoc_says(card, session):
    accessor, _, _ = session
    record = card.card.registry.find(bytes.fromhex(SECURE_PURSE_AID.replace(" ", "")))
    service = next(s for s in record.instance.dispatcher._services
                   if isinstance(s, MySecurityService))
    assert service.isAuthenticated(SecurityService.PRINCIPAL_CARD_ISSUER) is False
    for call in (lambda: service.isAuthenticated(9), lambda: service.isCommandSecure(0x10),
                 lambda: service.isChannelSecure(0x40)):
        with pytest.raises(ServiceException) as caught:
            call()
        assert caught.value.getReason() == ServiceException.ILLEGAL_PARAM
    assert service.isChannelSecure(SecurityService.PROPERTY_INPUT_INTEGRITY) is False
    accessor.authenticate_user(PROVIDER, "5678")
    assert service.isChannelSecure(SecurityService.PROPERTY_INPUT_INTEGRITY) is True
    assert service.isChannelSecure(SecurityService.PROPERTY_OUTPUT_INTEGRITY) is False
    assert service.isAuthenticated(PROVIDER) and not service.isAuthenticated(HOLDER)


def test_the_applet_needs_its_personalisation():
    sim = Simulator()
    with pytest.raises(InstallError):
        sim.install(SecurePurseApplet, SECURE_PURSE_AID)


def test_jcsim_demo_securepurse_runs_to_the_end():
    out = io.StringIO()
    console = Console(file=out, width=100, force_terminal=False)
    assert run_demo("securepurse", console, pause=False) == 0
    text = out.getvalue()
    assert "63 C2" in text and "AuthenticationError" in text
    assert "Purse.REQUEST_DENIED" in text and "Purse.REQUEST_FAILED" in text
    assert "The purse holds 150" in text
