"""The programming notes' MultiSelectable sample: package data and per-applet data initialised
on first activation and cleared on last deactivation."""

from jcsim.samples.multiselectable.sample_applet import SampleApplet

__all__ = ["SampleApplet"]
