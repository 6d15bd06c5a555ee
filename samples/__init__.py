"""Sample applets, each with its tests and a ``jcsim demo`` walkthrough."""
