"""One client behaviour suite for every way of reaching a card.

A test module subclasses ``ClientSuite`` and provides the fixture ``open_card(applet_class,
aid, params=b"")``: install the applet on a fresh simulated card and return a ``CardAccessor``
that reaches it (in-process, or through pcscd for the PC/SC suite).
"""

from __future__ import annotations

import pytest

from jcsim.framework import UserException
from jcsim.framework.service import SecurityService
from jcsim.rmi.client import ForwardingCardAccessor, JCRMIConnect, RemoteInvocationError
from jcsim.samples.purse import PURSE_AID, Purse, PurseApplet
from jcsim.samples.purse.client import purse_client
from jcsim.samples.securepurse import SECURE_PURSE_AID, SecurePurseApplet, personalisation
from jcsim.samples.securepurse.client import AuthenticationError, CustomCardAccessor
from jcsim.samples.securepurse.purse import Purse as SecurePurse
from tests.rmi.applets import (
    BIG_EXTENDED_AID,
    ECHOES_AID,
    OVERLOADS_AID,
    BigAnswersExtendedApplet,
    Counter,
    EchoesApplet,
    OverloadsApplet,
)

KEY = bytes(range(0x20, 0x30))
FORMATS = [JCRMIConnect.REF_WITH_CLASS_NAME, JCRMIConnect.REF_WITH_INTERFACE_NAMES]


class Recorder(ForwardingCardAccessor):
    """Keeps every command; flips a bit of the next one when asked."""

    def __init__(self, inner):
        super().__init__(inner)
        self.sent = []
        self.flip_at = None

    def exchange_apdu(self, command):
        if self.flip_at is not None:
            changed = bytearray(command)
            changed[self.flip_at] ^= 0x01
            command, self.flip_at = bytes(changed), None
        self.sent.append(bytes(command))
        return super().exchange_apdu(command)


class ClientSuite:
    """The behaviour every transport must show (``open_card`` comes from the subclass)."""

    def test_overloads_reach_the_method_of_their_descriptor(self, open_card):
        connection = JCRMIConnect(open_card(OverloadsApplet, OVERLOADS_AID))
        connection.select_applet(OVERLOADS_AID)
        proxy = connection.get_initial_reference()
        assert (proxy.debit(41), proxy.debitBytes(b"\x05\x06"), proxy.debitPair(3, 5)) == \
            (42, 11, -2)

    def test_an_extended_length_applet_answers_and_takes_over_a_thousand_bytes(self, open_card):
        connection = JCRMIConnect(open_card(BigAnswersExtendedApplet, BIG_EXTENDED_AID),
                                  extended_length=True)
        connection.select_applet(BIG_EXTENDED_AID)
        big = connection.get_initial_reference()
        values = [v * 8191 - 2**30 for v in range(254)]
        assert big.echoInts(values) == values

    def test_the_notes_purse_client_credits_20_and_debits_15(self, open_card):
        lines = []
        assert purse_client(open_card(PurseApplet, PURSE_AID), out=lines.append) == 5
        assert lines[-1] == "Balance: 5"

    @pytest.mark.parametrize("ref_format", FORMATS)
    def test_a_purse_proxy_in_either_format_follows_the_rules(self, open_card, ref_format):
        connection = JCRMIConnect(open_card(PurseApplet, PURSE_AID))
        connection.select_applet(PURSE_AID, ref_format)
        purse = connection.get_initial_reference()
        assert isinstance(purse, Purse)
        assert purse.credit(Purse.MAX_AMOUNT) == 400
        with pytest.raises(UserException) as caught:
            purse.debit(401)
        assert caught.value.getReason() == Purse.REQUEST_FAILED
        assert purse.debit(400) == 0

    def test_values_arrays_and_references_cross_the_transport(self, open_card):
        connection = JCRMIConnect(open_card(EchoesApplet, ECHOES_AID))
        connection.select_applet(ECHOES_AID, JCRMIConnect.REF_WITH_INTERFACE_NAMES)
        echoes = connection.get_initial_reference()
        assert echoes.echoBytes(bytes(range(250))) == bytes(range(250))
        assert echoes.echoInts([-1, 0x7FFFFFFF]) == [-1, 0x7FFFFFFF]
        assert echoes.echoBooleans(None) is None
        child = echoes.child(1)
        assert isinstance(child, Counter) and child.increment() == 1
        connection.select_applet(ECHOES_AID)
        with pytest.raises(RemoteInvocationError):
            child.increment()

    def test_the_secure_purse_refuses_a_wrong_pin_a_tampered_and_a_replayed_command(
            self, open_card):
        line = Recorder(open_card(SecurePurseApplet, SECURE_PURSE_AID,
                                  personalisation("1111", "2222", KEY)))
        accessor = CustomCardAccessor(line, KEY)
        connection = JCRMIConnect(accessor)
        connection.select_applet(SECURE_PURSE_AID)
        purse = connection.get_initial_reference()
        with pytest.raises(AuthenticationError) as caught:
            accessor.authenticate_user(SecurityService.PRINCIPAL_APP_PROVIDER, "1111")
        assert caught.value.tries_remaining == 2
        accessor.authenticate_user(SecurityService.PRINCIPAL_APP_PROVIDER, "2222")
        assert purse.credit(100) == 100
        accessor.authenticate_user(SecurityService.PRINCIPAL_CARDHOLDER, "1111")
        assert purse.debit(10) == 90
        captured = line.sent[-1]
        line.flip_at = 10  # the amount's low byte
        with pytest.raises(UserException) as caught:
            purse.debit(10)
        assert caught.value.getReason() == SecurePurse.REQUEST_DENIED
        replayed = line.exchange_apdu(captured)
        assert replayed == bytes.fromhex("8227600390 00".replace(" ", ""))
        assert purse.getBalance() == 90
