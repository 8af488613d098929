package dev.ferry.api.testing;

/** The databases repository-level tests run on. */
public enum Engine { H2, POSTGRESQL }
