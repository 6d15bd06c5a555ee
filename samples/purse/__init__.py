"""The tests of ``jcsim.samples.purse``."""
