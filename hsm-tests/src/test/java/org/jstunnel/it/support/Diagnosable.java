package org.jstunnel.it.support;

/** Something whose state (log, output) explains a failure. */
public interface Diagnosable {
    String diagnostics();
}
