"""Applets for the package, memory, deletion and firewall tests, one Java Card package per module.

``scripted`` holds the shared machinery: an applet whose ``process`` runs the script a test
registered for its AID, so each test writes the card code it needs next to its assertions and
that code still runs in the right context. The other modules declare (or do not declare) a
package and subclass it, so each is a real firewall context.
"""
