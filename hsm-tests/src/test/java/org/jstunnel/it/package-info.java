/**
 * End-to-end tests: each test starts the real program ({@code -Djstunnel.bin}, default
 * {@code ${jstunnel.home}/bin/jstunnel}) with a generated stunnel.conf and talks to it with real
 * peers (openssl s_client/s_server, Debian's stunnel4, curl, JSSE, plain sockets).
 *
 * <p>The suite is a specification taken from real stunnel: run it against Debian's stunnel 5.68 with
 * {@code -Djstunnel.bin=/usr/bin/stunnel4 -DexcludedGroups=stunnel-5.68-fails}. Tests tagged
 * {@code stunnel-5.68-fails} check behaviour stunnel 5.68 gets wrong (it drops queued backend data
 * when the backend's FIN arrives while the TLS side is congested; fixed in later stunnel releases);
 * the program under test must pass them too.
 */
package org.jstunnel.it;
