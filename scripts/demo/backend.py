#!/usr/bin/env python3
"""Plain-HTTP backend for scripts/demo.sh: one small page on 127.0.0.1, for jstunnel to put TLS in front of.

    backend.py --port-file FILE [--port N] [--cleanup DIR]

Binds 127.0.0.1:N (0: any free port), writes the port it got to FILE, and serves until its parent
process goes away: demo.sh starts it, then execs bin/jstunnel, so the parent is the tunnel and the
backend stops when the tunnel does, however it stops. On the way out it removes DIR (--cleanup).
"""
import argparse
import http.server
import os
import shutil
import signal
import sys
import threading
import time

MARKER = "Hello from the jstunnel demo backend"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>jstunnel demo</title></head>
<body>
<h1>{marker}</h1>
<p>This page came from a plain HTTP server on 127.0.0.1:{backend}; jstunnel decrypted your TLS
connection and passed it through.</p>
</body></html>
"""


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "jstunnel-demo-backend"
    protocol_version = "HTTP/1.1"

    def _send(self, with_body):
        body = PAGE.format(marker=MARKER, backend=self.server.server_address[1]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._send(True)

    def do_HEAD(self):  # noqa: N802
        self._send(False)

    def log_message(self, fmt, *args):
        sys.stderr.write("backend: %s %s\n" % (self.address_string(), fmt % args))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--cleanup", help="directory to remove on exit")
    args = ap.parse_args()

    parent = os.getppid()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True

    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, args.port_file)

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        server.shutdown()

    threading.Thread(target=watch_parent, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        if args.cleanup:
            shutil.rmtree(args.cleanup, ignore_errors=True)


if __name__ == "__main__":
    main()
