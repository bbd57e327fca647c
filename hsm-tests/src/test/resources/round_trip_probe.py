#!/usr/bin/env python3
"""A bystander for the token tests, in its own process so the load generator's pauses never show in it:
one TLS connection to an echo service, 32 bytes every 10 ms, each round trip printed as
"<CLOCK_MONOTONIC ns at send> <round trip ns>". Runs for SECONDS, or until stdin closes."""
import os, select, socket, ssl, sys, time

host, port, cafile, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
ctx = ssl.create_default_context(cafile=cafile)
s = ctx.wrap_socket(socket.create_connection((host, port), timeout=30), server_hostname="localhost")
print("ready", flush=True)
end = time.monotonic() + seconds
msg = bytes(32)
while time.monotonic() < end:
    if select.select([sys.stdin], [], [], 0)[0] and not os.read(sys.stdin.fileno(), 1):
        break
    t0 = time.monotonic_ns()
    s.sendall(msg)
    got = 0
    while got < len(msg):
        chunk = s.recv(len(msg) - got)
        if not chunk:
            sys.exit("EOF from the echo")
        got += len(chunk)
    print(t0, time.monotonic_ns() - t0, flush=True)
    time.sleep(0.01)
s.close()
