package org.jstunnel.config;

/**
 * Where a value came from.
 *
 * @param file the file name as stunnel prints it (real path of the main file, DIR/NAME for included ones)
 * @param line 1-based line number
 * @param text the line as written, with any secret already masked
 */
record Origin(String file, int line, String text) {
    String where() {
        return file + ":" + line;
    }
}
