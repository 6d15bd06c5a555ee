"""The wallet issuer on this machine: ``python -m jcsim.samples.wallet.server COMMAND``.

::

    python -m jcsim.samples.wallet.server issue --db wallet.db --image card.jcimg --pin 1234
    python -m jcsim.samples.wallet.server serve --db wallet.db --port 8080
    jcsim remote-card http://127.0.0.1:8080/topup/amount=2000/pin=1234 \\
        --image card.jcimg --allow-module jcsim.samples.wallet.applet
    jcsim remote-card http://127.0.0.1:8080/pay/amount=750/pin=1234 \\
        --image card.jcimg --allow-module jcsim.samples.wallet.applet
    python -m jcsim.samples.wallet.server ledger --db wallet.db

``issue`` personalises a new wallet into a card image (the ledger's master key is made on first
use) and registers it; ``serve`` runs the RAM over HTTP scripting server (OpenSCDP profile,
127.0.0.1 unless ``--host`` says otherwise, HTTPS with ``--certfile``/``--keyfile``; ``--port 0``
picks a free port, printed on the first line); ``ledger`` prints what the ledger holds.
``jcsim remote-card`` is the card side: it loads the image, runs one session and saves the image
again. The session's path is the request (see ``jcsim.samples.wallet.issuer``).
"""

from __future__ import annotations

import argparse
import os
import ssl
import sys
from collections.abc import Sequence

from jcsim.remote import ScriptServer, ServerSession
from jcsim.samples.wallet.issuer import WalletIssuer, money
from jcsim.samples.wallet.ledger import Ledger, LedgerError
from jcsim.simulator import Simulator

__all__ = ["main", "make_server"]


def make_server(issuer: WalletIssuer, host: str = "127.0.0.1", port: int = 0, *,
                ssl_context: ssl.SSLContext | None = None, response_timeout: float = 60.0,
                verbose: bool = False) -> ScriptServer:
    """A ``ScriptServer`` (not started) serving ``issuer``'s sessions in the OpenSCDP profile."""

    def ended(session: ServerSession) -> None:
        if not verbose:
            return
        outcomes = [o for o in issuer.history if o.session_id == session.id]
        if outcomes:
            outcome = outcomes[-1]
            print(f"session {session.id[:8]} {outcome.card_number or '?'} {session.path_info}: "
                  f"{outcome.message}", flush=True)
            for note in outcome.recovery:
                print(f"    recovery: {note}", flush=True)
        else:
            print(f"session {session.id[:8]} {session.path_info}: {session.error}", flush=True)

    return ScriptServer(issuer.perform, host, port, profile="openscdp", ssl_context=ssl_context,
                        response_timeout=response_timeout, on_session_end=ended)


def _serve(args: argparse.Namespace) -> int:
    context = None
    if args.certfile:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.certfile, args.keyfile)
    issuer = WalletIssuer(Ledger(args.db))
    try:
        server = make_server(issuer, args.host, args.port, ssl_context=context,
                             response_timeout=args.timeout, verbose=True)
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    print(f"Serving the wallet issuer at {server.url} (ledger {args.db}); Ctrl-C stops.",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.close()
    return 0


def _issue(args: argparse.Namespace) -> int:
    if os.path.exists(args.image):
        print(f"{args.image} exists: a new wallet goes into a new image", file=sys.stderr)
        return 2
    sim = Simulator()
    issuer = WalletIssuer(Ledger(args.db))
    try:
        card = issuer.issue(sim, args.pin.encode("ascii"), args.card_number,
                            args.unblock_code.encode("ascii") if args.unblock_code else None)
    except (ValueError, LedgerError) as exc:
        print(f"cannot issue: {exc}", file=sys.stderr)
        return 2
    sim.save(args.image)
    print(f"card number {card.card_number}, unblock code {card.unblock_code.decode()}, "
          f"image {args.image}")
    return 0


def _ledger(args: argparse.Namespace) -> int:
    ledger = Ledger(args.db)
    for number in ledger.cards():
        print(f"card {number}: balance by the ledger {money(ledger.balance(number))}")
        for credit in ledger.credits(number):
            print(f"    credit {credit.card_challenge.hex()} {money(credit.value)} {credit.state}")
        for debit in ledger.debits(number):
            sale = "sale" if debit.matched else "owed back"
            print(f"    debit {debit.sequence} {debit.challenge.hex()} {money(debit.value)} "
                  f"({sale})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jcsim.samples.wallet.server",
                                     description="The SmartWallet issuer: issue cards, serve "
                                                 "their RAM over HTTP sessions, show the ledger.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the issuer's RAM over HTTP server")
    serve.add_argument("--db", required=True, help="the SQLite ledger")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    serve.add_argument("--certfile", help="serve HTTPS with this certificate")
    serve.add_argument("--keyfile", help="the certificate's private key")
    serve.add_argument("--timeout", type=float, default=60.0,
                       help="how long a session waits for the card's answer (seconds)")
    issue = commands.add_parser("issue", help="personalise a new wallet into a card image")
    issue.add_argument("--db", required=True)
    issue.add_argument("--image", required=True, help="the card image to create")
    issue.add_argument("--pin", required=True, help="4 to 8 digits")
    issue.add_argument("--card-number", help="default: 16 random digits")
    issue.add_argument("--unblock-code", help="8 characters (default: 8 random digits)")
    show = commands.add_parser("ledger", help="print the ledger")
    show.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    return {"serve": _serve, "issue": _issue, "ledger": _ledger}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
