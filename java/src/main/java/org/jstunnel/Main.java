package org.jstunnel;

import org.jstunnel.cli.Command;
import org.jstunnel.cli.CommandLine;
import org.jstunnel.cli.InfoCommands;
import org.jstunnel.cli.LogLine;
import org.jstunnel.cli.UsageException;
import org.jstunnel.log.Log;

/** {@code jstunnel [FILE] | -fd N | -help | -version | -sockets | -options}, as stunnel. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Command cmd;
        try {
            cmd = CommandLine.parse(args);
        } catch (UsageException e) {
            try {
                for (String line : InfoCommands.bannerLines()) Log.notice(line);
            } catch (UnsatisfiedLinkError noNative) {
                // the banner names the OpenSSL version; without libjstunnel the error alone will do
            }
            for (LogLine l : e.lines()) Log.log(l.level(), l.text());
            Log.flushAsErrors();
            return e.exitCode();
        }
        if (cmd.isInfo()) return InfoCommands.run(cmd, System.err);
        return new Daemon(cmd).run();
    }
}
