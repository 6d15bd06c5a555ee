"""The issuer's ledger: SQLite through the standard library, one database transaction per step.

Theory of operation. The card is the only record of the value; the ledger is the issuer's
record of what the card has *proven*. Four tables:

- ``cards``: each card number with its derived key and unblock code (``issuer`` keeps the master
  key the keys are derived from);
- ``challenges``: every debit challenge the server issued, a nonce used once (its primary key
  makes a repeat impossible). ``issued`` until settled by the card's proof, or ``void`` when the
  card shows it did not use it; a late proof still settles a void challenge;
- ``debits``: every debit the card proved, keyed by the card's own debit sequence number, so
  one debit is settled once whatever the network repeats;
- ``credits``: every credit the server granted (it computed the card's credit response),
  ``granted`` until the card's receipt makes it ``applied``, or ``refused`` when the card turned
  it down; a late receipt still applies a refused credit.

For every card, once each session's recovery has run: balance on the card = applied credits -
debits. The transitions below are the only ones the ledger makes; each runs in a ``BEGIN
IMMEDIATE`` transaction, so two sessions cannot settle the same thing twice.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs

__all__ = ["Challenge", "Credit", "Debit", "Ledger", "LedgerError"]

CHALLENGE_TRANSITIONS = {"issued": {"settled", "void"}, "void": {"settled"}, "settled": set()}
CREDIT_TRANSITIONS = {"granted": {"applied", "refused"}, "refused": {"applied"}, "applied": set()}

SCHEMA = """
CREATE TABLE IF NOT EXISTS issuer (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    master_key BLOB NOT NULL CHECK (length(master_key) = 16)
);
CREATE TABLE IF NOT EXISTS cards (
    card_number TEXT PRIMARY KEY,
    card_key BLOB NOT NULL CHECK (length(card_key) = 16),
    unblock_code BLOB NOT NULL,
    issued_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS challenges (
    challenge BLOB PRIMARY KEY CHECK (length(challenge) = 6),
    card_number TEXT NOT NULL REFERENCES cards,
    value INTEGER NOT NULL CHECK (value > 0),
    state TEXT NOT NULL CHECK (state IN ('issued', 'settled', 'void')),
    issued_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS debits (
    card_number TEXT NOT NULL REFERENCES cards,
    sequence INTEGER NOT NULL,
    challenge BLOB NOT NULL,
    value INTEGER NOT NULL CHECK (value > 0),
    proof BLOB NOT NULL,
    requested INTEGER,
    confirmed_at REAL NOT NULL,
    PRIMARY KEY (card_number, sequence)
);
CREATE TABLE IF NOT EXISTS credits (
    card_number TEXT NOT NULL REFERENCES cards,
    card_challenge BLOB NOT NULL,
    value INTEGER NOT NULL CHECK (value > 0),
    response BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('granted', 'applied', 'refused')),
    receipt BLOB,
    granted_at REAL NOT NULL,
    PRIMARY KEY (card_number, card_challenge)
);
"""


class LedgerError(Exception):
    """A step the ledger refuses: an unknown card, a card issued twice, a wrong transition."""


@attrs.frozen
class Challenge:
    challenge: bytes
    card_number: str
    value: int
    state: str


@attrs.frozen
class Debit:
    """A debit the card proved. ``requested`` is the value the server asked for with that
    challenge, or None when the challenge was not an open one (a replay at the card)."""

    card_number: str
    sequence: int
    challenge: bytes
    value: int
    proof: bytes
    requested: int | None

    @property
    def matched(self) -> bool:
        """Whether the card paid what the server asked: a sale went through."""
        return self.requested == self.value


@attrs.frozen
class Credit:
    card_number: str
    card_challenge: bytes
    value: int
    response: bytes
    state: str
    receipt: bytes | None


class Ledger:
    """The issuer's SQLite database at ``path``, created on first use."""

    def __init__(self, path: str | Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = str(path)
        self.clock = clock
        db = self._connect()
        try:
            # executescript commits whatever is open first, so the schema brings its own
            # transaction: all the tables appear, or none.
            db.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA}\nCOMMIT;")
        finally:
            db.close()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA foreign_keys = ON")
        return db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One step: BEGIN IMMEDIATE (the write lock first, so steps run one after another),
        then COMMIT, or ROLLBACK if anything in the step raised."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    # --- the issuer and its cards ------------------------------------------------------------

    def master_key(self) -> bytes:
        """The issuer's master key, made at random the first time it is asked for."""
        with self._transaction() as db:
            row = db.execute("SELECT master_key FROM issuer").fetchone()
            if row is not None:
                return bytes(row[0])
            key = secrets.token_bytes(16)
            db.execute("INSERT INTO issuer (id, master_key) VALUES (1, ?)", (key,))
            return key

    def register_card(self, card_number: str, card_key: bytes, unblock_code: bytes) -> None:
        with self._transaction() as db:
            try:
                db.execute("INSERT INTO cards VALUES (?, ?, ?, ?)",
                           (card_number, card_key, unblock_code, self.clock()))
            except sqlite3.IntegrityError as exc:
                raise LedgerError(f"card {card_number} is already issued") from exc

    def card_key(self, card_number: str) -> bytes | None:
        with self._transaction() as db:
            row = db.execute("SELECT card_key FROM cards WHERE card_number = ?",
                             (card_number,)).fetchone()
        return None if row is None else bytes(row[0])

    def cards(self) -> list[str]:
        with self._transaction() as db:
            return [row[0] for row in db.execute("SELECT card_number FROM cards ORDER BY 1")]

    # --- debits ------------------------------------------------------------------------------

    def issue_challenge(self, card_number: str, value: int,
                        nonce: Callable[[int], bytes] = secrets.token_bytes) -> bytes:
        """A fresh 6-byte challenge for a debit of ``value``, recorded as issued."""
        with self._transaction() as db:
            for _ in range(16):
                challenge = nonce(6)
                try:
                    db.execute("INSERT INTO challenges VALUES (?, ?, ?, 'issued', ?)",
                               (challenge, card_number, value, self.clock()))
                except sqlite3.IntegrityError:
                    continue  # a nonce seen before is never issued again
                return challenge
        raise LedgerError("no fresh challenge after 16 tries: the nonce source repeats itself")

    def challenge(self, challenge: bytes) -> Challenge | None:
        with self._transaction() as db:
            row = db.execute("SELECT * FROM challenges WHERE challenge = ?",
                             (challenge,)).fetchone()
        return None if row is None else Challenge(bytes(row[0]), row[1], row[2], row[3])

    def open_challenges(self, card_number: str) -> list[Challenge]:
        with self._transaction() as db:
            rows = db.execute("SELECT * FROM challenges WHERE card_number = ? AND state = 'issued'"
                              " ORDER BY issued_at", (card_number,)).fetchall()
        return [Challenge(bytes(r[0]), r[1], r[2], r[3]) for r in rows]

    def void_challenge(self, challenge: bytes) -> None:
        with self._transaction() as db:
            self._move(db, "challenges", "challenge = ?", (challenge,), "void",
                       CHALLENGE_TRANSITIONS)

    def confirm_debit(self, card_number: str, sequence: int, challenge: bytes, value: int,
                      proof: bytes) -> Debit | None:
        """Record a debit the card proved (the caller checked the proof). Returns the new
        ``Debit``, or None when that debit (card, sequence) is already on the ledger. An open
        or void challenge of this card is settled by it, in the same transaction."""
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM debits WHERE card_number = ? AND sequence = ?",
                          (card_number, sequence)).fetchone():
                return None
            row = db.execute("SELECT value, state FROM challenges WHERE challenge = ? AND "
                             "card_number = ?", (challenge, card_number)).fetchone()
            requested = None
            if row is not None and row[1] != "settled":
                requested = row[0]
                self._move(db, "challenges", "challenge = ?", (challenge,), "settled",
                           CHALLENGE_TRANSITIONS)
            db.execute("INSERT INTO debits VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (card_number, sequence, challenge, value, proof, requested, self.clock()))
            return Debit(card_number, sequence, challenge, value, proof, requested)

    def last_sequence(self, card_number: str) -> int:
        """The highest debit sequence number on the ledger for this card (0: none)."""
        with self._transaction() as db:
            row = db.execute("SELECT max(sequence) FROM debits WHERE card_number = ?",
                             (card_number,)).fetchone()
        return row[0] or 0

    def debits(self, card_number: str | None = None) -> list[Debit]:
        with self._transaction() as db:
            rows = db.execute("SELECT card_number, sequence, challenge, value, proof, requested "
                              "FROM debits WHERE ? IS NULL OR card_number = ? "
                              "ORDER BY card_number, sequence", (card_number, card_number))
            return [Debit(r[0], r[1], bytes(r[2]), r[3], bytes(r[4]), r[5]) for r in rows]

    # --- credits -----------------------------------------------------------------------------

    def grant_credit(self, card_number: str, card_challenge: bytes, value: int,
                     response: bytes) -> None:
        """Record that the server computed the credit response for this card challenge: from
        now on the card may apply it, once."""
        with self._transaction() as db:
            try:
                db.execute("INSERT INTO credits VALUES (?, ?, ?, ?, 'granted', NULL, ?)",
                           (card_number, card_challenge, value, response, self.clock()))
            except sqlite3.IntegrityError as exc:
                raise LedgerError("that card challenge was already granted a credit") from exc

    def apply_credit(self, card_number: str, card_challenge: bytes, receipt: bytes) -> bool:
        """Record the card's receipt (the caller checked it); False if already applied."""
        with self._transaction() as db:
            state = self._credit_state(db, card_number, card_challenge)
            if state == "applied":
                return False
            self._move(db, "credits", "card_number = ? AND card_challenge = ?",
                       (card_number, card_challenge), "applied", CREDIT_TRANSITIONS)
            db.execute("UPDATE credits SET receipt = ? WHERE card_number = ? AND "
                       "card_challenge = ?", (receipt, card_number, card_challenge))
            return True

    def refuse_credit(self, card_number: str, card_challenge: bytes) -> None:
        with self._transaction() as db:
            self._move(db, "credits", "card_number = ? AND card_challenge = ?",
                       (card_number, card_challenge), "refused", CREDIT_TRANSITIONS)

    def credit(self, card_number: str, card_challenge: bytes) -> Credit | None:
        with self._transaction() as db:
            row = db.execute("SELECT * FROM credits WHERE card_number = ? AND card_challenge = ?",
                             (card_number, card_challenge)).fetchone()
        return None if row is None else _credit(row)

    def credits(self, card_number: str | None = None, state: str | None = None) -> list[Credit]:
        with self._transaction() as db:
            rows = db.execute("SELECT * FROM credits WHERE (? IS NULL OR card_number = ?) AND "
                              "(? IS NULL OR state = ?) ORDER BY granted_at",
                              (card_number, card_number, state, state)).fetchall()
        return [_credit(r) for r in rows]

    # --- summaries ---------------------------------------------------------------------------

    def balance(self, card_number: str) -> int:
        """What the card's balance is by the ledger: applied credits - debits."""
        credited = sum(c.value for c in self.credits(card_number, "applied"))
        return credited - sum(d.value for d in self.debits(card_number))

    def money(self) -> tuple[tuple[Debit, ...], tuple[Credit, ...]]:
        """Every debit and every applied credit: the part of the ledger that is money."""
        return tuple(self.debits()), tuple(self.credits(state="applied"))

    # --- internals ---------------------------------------------------------------------------

    @staticmethod
    def _credit_state(db: sqlite3.Connection, card_number: str, card_challenge: bytes) -> str:
        row = db.execute("SELECT state FROM credits WHERE card_number = ? AND card_challenge = ?",
                         (card_number, card_challenge)).fetchone()
        if row is None:
            raise LedgerError("no such credit")
        return row[0]

    @staticmethod
    def _move(db: sqlite3.Connection, table: str, where: str, key: tuple, new: str,
              transitions: dict[str, set[str]]) -> None:
        row = db.execute(f"SELECT state FROM {table} WHERE {where}", key).fetchone()
        if row is None:
            raise LedgerError(f"no such row in {table}")
        if new not in transitions[row[0]]:
            raise LedgerError(f"{table}: {row[0]} cannot become {new}")
        db.execute(f"UPDATE {table} SET state = ? WHERE {where}", (new, *key))


def _credit(row: tuple) -> Credit:
    return Credit(row[0], bytes(row[1]), row[2], bytes(row[3]), row[4],
                  None if row[5] is None else bytes(row[5]))
