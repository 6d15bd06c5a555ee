"""An applet that keeps all its state in static fields (class attributes), for the statics
tests."""
