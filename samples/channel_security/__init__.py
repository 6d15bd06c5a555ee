"""The tests of ``jcsim.samples.channel_security``."""
