"""The tests of ``jcsim.samples.hotp``."""
