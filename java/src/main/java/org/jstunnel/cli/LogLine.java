package org.jstunnel.cli;

import org.jstunnel.log.LogLevel;

/**
 * One message as stunnel logs it: a syslog level ({@link LogLevel}) and the text. While the
 * configuration has not been loaded stunnel prints them on stderr as {@code [c] text}, c being
 * {@code "***!:.  "} indexed by the level; see {@link #errorForm()}.
 */
public record LogLine(int level, String text) {

    /** The line as stunnel prints a buffered message when the configuration fails: "[!] text". */
    public String errorForm() {
        char c = level >= 0 && level <= 7 ? "***!:.  ".charAt(level) : '?';
        return "[" + c + "] " + text;
    }

    static LogLine err(String text) { return new LogLine(LogLevel.ERR, text); }
    static LogLine notice(String text) { return new LogLine(LogLevel.NOTICE, text); }
    static LogLine info(String text) { return new LogLine(LogLevel.INFO, text); }
    static LogLine debug(String text) { return new LogLine(LogLevel.DEBUG, text); }
}
