#!/usr/bin/env python3
"""systemd's side of sd_notify for tests: binds an AF_UNIX datagram socket (a path, or an abstract
name given with a leading '@') and prints each datagram received as one line, its KEY=VALUE lines
joined by '|', until STOPPING=1, or no datagram came for IDLE seconds, or MAX datagrams came."""
import socket
import sys

path, idle, most = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + path[1:] if path.startswith("@") else path)
print("bound", flush=True)
s.settimeout(idle)
for _ in range(most):
    try:
        data = s.recv(4096)
    except socket.timeout:
        break
    text = data.decode("utf-8", "replace").strip("\n")
    print(text.replace("\n", "|"), flush=True)
    if "STOPPING=1" in text.split("\n"):
        break
print("end", flush=True)
