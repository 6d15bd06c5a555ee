"""The tests of ``jcsim.samples.securepurse``."""
