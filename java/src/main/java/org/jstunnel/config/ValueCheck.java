package org.jstunnel.config;

/** Validates one option value and returns its normalized form ({@code null} = "set to nothing"). */
@FunctionalInterface
public interface ValueCheck {
    /**
     * @param value the value as written, whitespace already trimmed
     * @param globalSection true while the global section is being read (only {@code debug} cares)
     */
    String normalize(String value, boolean globalSection) throws BadValueException;
}
