"""The samples' tests, one package per sample; the samples themselves are ``jcsim.samples``."""
