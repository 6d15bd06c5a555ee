"""The tests of ``jcsim.samples.gp_vault``."""
