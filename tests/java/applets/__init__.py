"""Java Card applets written in Java for the tests (compiled by ``jcsim javac`` during the run),
and the Python twins of those that have no sample."""
