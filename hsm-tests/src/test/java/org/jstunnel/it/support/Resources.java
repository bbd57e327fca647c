package org.jstunnel.it.support;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Per-test owner of processes, backends and clients: closes all of them (newest first) after each
 * test whatever happened, and on failure appends their logs and outputs to the failure message.
 * Use as {@code @RegisterExtension final Resources res = new Resources();}.
 */
public final class Resources implements AfterEachCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    /** Registers {@code c} for closing after the test (and for diagnostics if it is {@link Diagnosable}). */
    public synchronized <T extends AutoCloseable> T add(T c) {
        owned.push(c);
        return c;
    }

    public synchronized String diagnostics() {
        StringBuilder sb = new StringBuilder();
        // oldest first reads naturally: tunnel, then its peers
        owned.descendingIterator().forEachRemaining(c -> {
            if (c instanceof Diagnosable d) {
                try {
                    sb.append(d.diagnostics()).append('\n');
                } catch (RuntimeException e) {
                    sb.append("<diagnostics failed: ").append(e).append(">\n");
                }
            }
        });
        return sb.toString();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw withDiagnostics(t);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw withDiagnostics(t);
    }

    private Throwable withDiagnostics(Throwable t) {
        if (t instanceof TestAbortedException) {
            return t;
        }
        String d = diagnostics();
        if (d.isEmpty()) {
            return t;
        }
        // same stack and cause as the original, so the report does not print everything twice
        AssertionError e = new AssertionError(t + "\n\n======== diagnostics ========\n" + d);
        e.setStackTrace(t.getStackTrace());
        if (t.getCause() != null) {
            e.initCause(t.getCause());
        }
        return e;
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        RuntimeException first = null;
        while (!owned.isEmpty()) {
            AutoCloseable c = owned.pop();
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("cleanup failed: " + c, e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
