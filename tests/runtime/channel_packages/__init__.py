"""Applets for the logical channel tests, one Python module per Java Card package.

Until packages are declared explicitly, the applet classes of one Python module form one
package (one context, one CLEAR_ON_DESELECT segment, one MultiSelectable choice). The tests need
a MultiSelectable package, a package that is not, and a package that mixes the two, so each
lives in a module of its own: ``multi``, ``single`` and ``mixed``. ``recorder`` holds their
shared behaviour and is never installed itself.
"""
