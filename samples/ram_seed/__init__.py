"""The tests of ``jcsim.samples.ram_seed``."""
