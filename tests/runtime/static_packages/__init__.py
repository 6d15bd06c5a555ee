"""A declared package with static fields that card images save (tests/runtime/test_image_statics.py)."""

from jcsim import JavaCardPackage

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 54 01", statics=("counter", "store.table"))

counter = 0
