"""The tests of ``jcsim.samples.multiselectable``."""
