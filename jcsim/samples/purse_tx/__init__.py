"""The transactional purse sample: a debit that updates a balance and a log atomically, and a
deliberately broken variant that a tear sweep catches."""

from jcsim.samples.purse_tx.purse import BrokenPurse, Purse

__all__ = ["BrokenPurse", "Purse"]
