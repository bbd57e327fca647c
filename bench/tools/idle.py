#!/usr/bin/env python3
"""Holds N established, idle TLS connections to HOST:PORT (the idle-connection scenario).

  idle.py HOST PORT N MAX_SECONDS

Opens the connections from a few threads (handshake done, nothing sent), prints
"established E failed F seconds S" on stdout, then holds them until a line arrives on stdin, stdin
closes, or MAX_SECONDS pass; then closes them all and exits. Bounded: at most N connections, each
with a 30 s timeout, and MAX_SECONDS of holding.
"""

import resource
import select
import socket
import ssl
import sys
import threading
import time


def main():
    host, port, n, max_seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < n + 100:
        sys.exit(f"idle.py: RLIMIT_NOFILE hard limit {hard} is below {n + 100}: raise `ulimit -Hn`")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    held = []
    failed = [0]
    lock = threading.Lock()
    threads = 8
    t0 = time.monotonic()

    def worker(count):
        for _ in range(count):
            try:
                raw = socket.create_connection((host, port), timeout=30)
                s = ctx.wrap_socket(raw, server_hostname="localhost")
                with lock:
                    held.append(s)
            except OSError:
                with lock:
                    failed[0] += 1

    ts = [threading.Thread(target=worker, args=(n // threads + (1 if i < n % threads else 0),)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(f"established {len(held)} failed {failed[0]} seconds {time.monotonic() - t0:.1f}", flush=True)
    select.select([sys.stdin], [], [], max_seconds)
    for s in held:
        try:
            s.close()
        except OSError:
            pass


if __name__ == "__main__":
    main()
