"""The programming notes' ``updateBuffer`` example (Java Card application programming notes,
chapter 1, "Requesting the Object Deletion Mechanism"): grow a buffer inside a transaction and
request the deletion of the old one."""

from jcsim.samples.update_buffer.update_buffer import UpdateBuffer

__all__ = ["UpdateBuffer"]
