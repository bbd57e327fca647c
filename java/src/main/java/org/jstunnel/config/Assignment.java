package org.jstunnel.config;

/**
 * One option value taking effect, in file order.
 *
 * @param spec the option written on the line
 * @param target the option whose value this sets: the same as spec, or one it implies
 *     ({@code sslVersion} sets sslVersionMin/Max; {@code verifyPeer = yes} sets requireCert, ...)
 * @param value normalized value; null means "none" (e.g. {@code CAfile =})
 * @param origin the line
 */
record Assignment(OptionSpec spec, String target, String value, Origin origin) {
    boolean implied() {
        return !spec.name().equals(target);
    }
}
