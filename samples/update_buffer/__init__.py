"""The tests of ``jcsim.samples.update_buffer``."""
