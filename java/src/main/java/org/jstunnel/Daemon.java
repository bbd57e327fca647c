package org.jstunnel;

import java.io.IOException;
import java.nio.file.Path;
import org.jstunnel.cli.Command;
import org.jstunnel.config.ConfigException;
import org.jstunnel.config.Configuration;
import org.jstunnel.config.GlobalOptions;
import org.jstunnel.conn.Connection;
import org.jstunnel.conn.Watchdog;
import org.jstunnel.log.Log;
import org.jstunnel.service.ServiceException;
import org.jstunnel.service.ServiceRegistry;
import org.jstunnel.ssl.NativeLibrary;

/** The running program: configuration → services → signal loop, with stunnel's log lines and exit codes. */
final class Daemon {
    private final ConfigSource source;
    private final ServiceRegistry registry = new ServiceRegistry();
    private final SignalQueue signals = new SignalQueue();
    private org.jstunnel.metrics.AdminServer admin; // adminListen (issue 13); null when unset
    private volatile int drainTimeout; // issue 14: seconds to drain on SIGTERM; 0 = stunnel's immediate exit

    Daemon(Command cmd) { this.source = new ConfigSource(cmd); }

    int run() {
        try {
            NativeLibrary.load();
        } catch (UnsatisfiedLinkError e) {
            Log.err("Cannot load libjstunnel: " + e.getMessage());
            Log.err("Configuration failed");
            Log.flushAsErrors();
            return 1;
        }
        if (!signals.catchEarly()) Log.err("Signal pipe initialization failed");
        banner();
        Configuration config;
        java.util.List<org.jstunnel.service.Service> services;
        try {
            config = source.load();
            applySetEnv(config.global());
            org.jstunnel.service.GlobalCryptoSetup.apply(config.global()); // engines, providers, FIPS (issue 5)
            org.jstunnel.service.GlobalTlsSetup.apply(config.global()); // compression, PRNG (issue 3)
            services = ServiceRegistry.create(config.services());
        } catch (ConfigException e) {
            for (String line : e.logLines()) Log.err(line);
            return configFailed(null);
        } catch (ServiceException e) {
            for (String d : e.details()) Log.err(d);
            return configFailed(e.getMessage());
        } catch (IOException e) {
            return configFailed(e.getMessage());
        }
        PidFile pid;
        // inetd mode never forks: the connection is this process's stdin/stdout
        boolean daemon = !config.inetdMode() && "no".equalsIgnoreCase(config.global().string("foreground"));
        if (daemon && org.jstunnel.os.Systemd.notifying()) {
            Log.info("systemd (NOTIFY_SOCKET): not forking, so systemd keeps the right main process");
            daemon = false;
        }
        if (daemon && !Daemonizer.isChild()) {
            // this JVM only checked the configuration; the daemon JVM does the rest
            for (var s : services) s.stop();
            return Daemonizer.spawn(source.stdinCopy());
        }
        Log.notice("Configuration successful");
        drainTimeout = config.global().integer("drainTimeout");
        if (config.inetdMode()) {
            SignalQueue.defaults(); // stunnel installs no handlers in inetd mode
            if (!openLog(config.global(), services)) return 1;
            return InetdMode.serve(services.get(0));
        }
        // stunnel's order (main_configure, main_unix): bind, chroot, drop privileges, open the log
        // file, daemonize, pid file, signal handlers, accept
        try {
            admin = AdminListen.start(config.global(), registry); // bound before privileges drop, as the services
        } catch (IOException e) {
            for (var s : services) s.stop();
            Log.flushAsErrors();
            return 1;
        }
        try {
            registry.start(services);
        } catch (IOException e) {
            AdminListen.stop(admin);
            Log.flushAsErrors();
            return 1;
        }
        try {
            Confinement.apply(config.global());
        } catch (org.jstunnel.os.OsCallException e) {
            Log.err(e.getMessage());
            registry.stopAll();
            AdminListen.stop(admin);
            Log.flushAsErrors();
            return 1;
        }
        if (!openLog(config.global(), java.util.List.of())) {
            registry.stopAll();
            AdminListen.stop(admin);
            return 1;
        }
        try {
            pid = PidFile.create(config.global().string("pid"));
        } catch (IOException e) {
            registry.stopAll();
            AdminListen.stop(admin);
            Log.close();
            return 1;
        }
        signals.install();
        Log.info("Accepting new connections");
        org.jstunnel.os.Systemd.ready("Accepting new connections");
        org.jstunnel.metrics.Health.accepting(true);
        if (daemon) Daemonizer.ready();
        int status = loop();
        org.jstunnel.metrics.Health.accepting(false);
        registry.stopAll();
        AdminListen.stop(admin);
        pid.remove();
        Log.close();
        return status;
    }

    /** Opens the log sinks (after chroot and setuid, as stunnel: the file is then the user's and inside the jail). */
    private static boolean openLog(GlobalOptions g, java.util.List<org.jstunnel.service.Service> toStop) {
        try {
            configureLog(g);
            return true;
        } catch (IOException e) {
            Log.err("Cannot open log file: " + e.getMessage());
            for (var s : toStop) s.stop();
            Log.flushAsErrors();
            return false;
        }
    }

    /** setEnv lines, before the providers and engines that may read them (stunnel sets them while parsing). */
    private static void applySetEnv(GlobalOptions g) throws ServiceException {
        java.util.List<String> lines = g.lines("setEnv").stream().map(org.jstunnel.config.OptionLine::value).toList();
        String refused = org.jstunnel.os.Environment.apply(lines);
        if (refused != null) throw new ServiceException("setEnv: cannot set variable \"" + refused + "\"", java.util.List.of());
    }

    private int configFailed(String message) {
        if (message != null) Log.err(message);
        Log.err("Configuration failed");
        registry.stopAll();
        Log.flushAsErrors();
        return 1;
    }

    private void banner() {
        for (String line : org.jstunnel.cli.InfoCommands.bannerLines()) Log.notice(line);
    }

    private static void configureLog(GlobalOptions g) throws IOException {
        String output = g.string("output");
        String foreground = g.string("foreground");
        Log.configure(new Log.Settings(g.logLevel(), g.logFacility(),
            output == null || output.isEmpty() ? null : Path.of(output),
            !"overwrite".equalsIgnoreCase(g.string("log")),
            g.bool("syslog"),
            "yes".equalsIgnoreCase(foreground),
            g.string("service") == null ? "stunnel" : g.string("service")));
    }

    /** stunnel's signal loop: TERM ends it ("Terminated"), INT and QUIT too ("Received SIGINT; terminating"); HUP reloads; USR1 reopens the log; USR2 lists connections. */
    private int loop() {
        while (true) {
            String sig;
            try {
                sig = signals.take(60_000);
            } catch (InterruptedException e) {
                sig = "TERM";
            }
            if (sig == null) continue;
            switch (sig) {
                case "TERM" -> {
                    Log.debug("Processing SIGNAL_TERMINATE");
                    if (drainTimeout > 0) Drain.run(registry, drainTimeout, signals);
                    Log.notice("Terminated");
                    org.jstunnel.os.Systemd.stopping();
                    return 0;
                }
                case "HUP" -> {
                    Log.debug("Processing SIGNAL_RELOAD_CONFIG");
                    org.jstunnel.os.Systemd.reloading();
                    org.jstunnel.os.Systemd.reloaded(reload() ? "Configuration successful" : "Failed to reload the configuration file");
                }
                case "USR1" -> {
                    Log.debug("Processing SIGNAL_REOPEN_LOG");
                    Log.reopen();
                    Log.notice("Log file reopened");
                }
                case "USR2" -> listConnections();
                default -> { // stunnel's signal_name: SIGINT, SIGQUIT
                    Log.err("Received SIG" + sig + "; terminating");
                    return 0;
                }
            }
        }
    }

    /** Returns whether the new configuration is in force. */
    private boolean reload() {
        try {
            Configuration next = source.load();
            if (next.inetdMode()) // stunnel would go on without any service; keep serving the old ones
                throw new ServiceException("Inetd mode: a configuration without [sections] cannot replace a running daemon's",
                    java.util.List.of());
            applySetEnv(next.global());
            org.jstunnel.service.GlobalCryptoSetup.apply(next.global()); // refuses changed engine/provider/fips lines
            org.jstunnel.service.GlobalTlsSetup.apply(next.global()); // compression, PRNG (issue 3)
            registry.reload(next.services());
            AdminListen.warnIfChanged(admin, next.global());
            configureLog(next.global());
            drainTimeout = next.global().integer("drainTimeout");
            Log.notice("Configuration successful");
            return true;
        } catch (ConfigException e) {
            for (String line : e.logLines()) Log.err(line);
            Log.err("Configuration failed");
            Log.err("Failed to reload the configuration file");
        } catch (ServiceException e) {
            for (String d : e.details()) Log.err(d);
            Log.err(e.getMessage());
            Log.err("Configuration failed");
            Log.err("Failed to reload the configuration file");
        } catch (IOException e) {
            Log.err(e.getMessage());
            Log.err("Configuration failed");
            Log.err("Failed to reload the configuration file");
        }
        return false;
    }

    private static void listConnections() {
        Log.emerg("Active connections:");
        int n = 0;
        for (Connection c : Watchdog.live()) {
            Log.emerg("Active connection " + (++n) + ": Service [" + c.serviceName() + "], "
                + c.sslBytes() + " byte(s) sent to TLS, " + c.sockBytes() + " byte(s) sent to socket");
        }
        Log.emerg("Listed " + n + " active connection(s)");
    }
}
