"""The tests of ``jcsim.samples.echo``."""
