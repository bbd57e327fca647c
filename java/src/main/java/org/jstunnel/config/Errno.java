package org.jstunnel.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** stunnel's ioerror() text, "%s: %s (%d)", for the I/O failures Java reports as exceptions. */
final class Errno {
    private Errno() {}

    static String describe(String call, IOException e) {
        return call + ": " + text(e);
    }

    private static String text(IOException e) {
        if (e instanceof NoSuchFileException) return "No such file or directory (2)";
        if (e instanceof AccessDeniedException) return "Permission denied (13)";
        if (e instanceof NotDirectoryException) return "Not a directory (20)";
        if (e instanceof FileSystemLoopException) return "Too many levels of symbolic links (40)";
        return "Input/output error (5)";
    }
}
