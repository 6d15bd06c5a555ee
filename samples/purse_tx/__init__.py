"""The tests of ``jcsim.samples.purse_tx``."""
