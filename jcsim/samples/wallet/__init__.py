"""The e-cash wallet: ``SmartWallet`` on the card (a SmartID profile and a purse), an issuer
server that credits and debits it over RAM over HTTP with a SQLite ledger, and the faults it
survives (a lost response, a replay, a tampered value, a card torn mid-debit).

Run both ends on this machine (see ``jcsim.samples.wallet.server``)::

    python -m jcsim.samples.wallet.server issue --db wallet.db --image card.jcimg --pin 1234
    python -m jcsim.samples.wallet.server serve --db wallet.db --port 8080
    jcsim remote-card http://127.0.0.1:8080/topup/amount=2000/pin=1234 \\
        --image card.jcimg --allow-module jcsim.samples.wallet.applet
"""

from jcsim.samples.wallet.applet import SmartWallet
from jcsim.samples.wallet.protocol import AID

__all__ = ["AID", "SmartWallet"]
