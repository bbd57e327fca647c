package org.jstunnel.config;

/**
 * One line of the global section as written, for options whose effect depends on the order of
 * lines rather than on their effective value (engine, engineCtrl, engineDefault, provider,
 * providerParameter: each acts on the engine or provider opened by an earlier line).
 *
 * @param option the option's canonical name
 * @param value its normalized value
 * @param where {@code FILE:LINE}
 * @param text the line as written, secrets masked: what an error message may echo
 */
public record OptionLine(String option, String value, String where, String text) {}
