package org.jstunnel.os;

import java.util.concurrent.TimeUnit;

/**
 * What jstunnel tells systemd (Type=notify): READY after "Accepting new connections",
 * RELOADING/READY around a reload, STOPPING, STATUS lines, and WATCHDOG=1 at half the interval
 * systemd asks for ({@code WatchdogSec=}, passed as {@code WATCHDOG_USEC}). Does nothing outside systemd.
 */
public final class Systemd {
    private static volatile Thread watchdog;

    private Systemd() {}

    /** Whether systemd waits for our notifications: then jstunnel does not fork (foreground = no). */
    public static boolean notifying() {
        return SdNotify.socket() != null;
    }

    public static void ready(String status) {
        if (!notifying()) return;
        SdNotify.send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
        startWatchdog();
    }

    /** Before a reload: MONOTONIC_USEC is CLOCK_MONOTONIC, which System.nanoTime reads on Linux. */
    public static void reloading() {
        if (!notifying()) return;
        SdNotify.send("RELOADING=1\nSTATUS=Reloading the configuration\nMONOTONIC_USEC="
            + TimeUnit.NANOSECONDS.toMicros(System.nanoTime()));
    }

    public static void reloaded(String status) {
        if (notifying()) SdNotify.send("READY=1\nSTATUS=" + status);
    }

    public static void stopping() {
        if (notifying()) SdNotify.send("STOPPING=1\nSTATUS=Terminated");
    }

    /** WATCHDOG_USEC (and WATCHDOG_PID, when set, naming us): ping at half the interval. */
    private static synchronized void startWatchdog() {
        if (watchdog != null) return;
        long usec = watchdogUsec();
        if (usec <= 0) return;
        long periodMs = Math.max(1, usec / 2000);
        Thread t = new Thread(() -> {
            while (true) {
                SdNotify.send("WATCHDOG=1");
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "jstunnel-sd-watchdog");
        t.setDaemon(true);
        t.start();
        watchdog = t;
    }

    static long watchdogUsec() {
        String pid = System.getenv("WATCHDOG_PID");
        if (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid()))) return 0;
        try {
            return Long.parseLong(System.getenv().getOrDefault("WATCHDOG_USEC", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
