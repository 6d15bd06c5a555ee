"""The tests of ``jcsim.samples.wallet``."""
