#!/usr/bin/env python3
"""jstunnel vs stunnel4 benchmark suite: the orchestrator behind bench/run.sh.

Runs jstunnel and Debian's stunnel4 on the same stunnel.conf (only ports and log file differ), the
same certificates and the same local HTTP backend, one scenario after the other, and prints every
figure for both plus the ratio jstunnel/stunnel. Everything listens on 127.0.0.1; every load loop is
bounded in time and in count and stops by itself.

Server cost is read from /proc of the server process: CPU = utime+stime of /proc/PID/stat (all
threads, dead ones included), memory = VmRSS of /proc/PID/status, each sampled right before and right
after the measured interval.

Usage (normally through bench/run.sh, which builds what is needed first):
  bench.py --root REPO [--only handshake,resume,bulk,wrk,idle,startup,jmh] [--quick] [--out FILE]
"""

import argparse
import json
import os
import re
import resource
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
SCENARIOS = ["handshake", "resume", "bulk", "wrk", "idle", "startup", "jmh", "hsm"]
SERVERS = ["jstunnel", "stunnel"]
GIB = 1 << 30

# Each scenario's durations: (full, quick). Chosen so that the full suite stays under ~20 minutes
# and QUICK under ~4 on a 2-core machine; see docs/performance.md for how noisy each figure is.
PROFILE = {
    "hs_warm": (3, 1), "hs_time": (5, 2), "hs_reps": (3, 1), "hs_clients": (2, 2),
    "bulk_bytes": (GIB, 256 << 20), "bulk_reps": (2, 1),
    "wrk_warm": (3, 1), "wrk_time": (8, 3), "wrk_reps": (3, 1),
    "idle_counts": ((1000, 10000), (1000, 10000)), "idle_settle": (3, 2), "idle_probe": (3, 2),
    "startup_runs": (9, 3),
    "jmh": (("-f", "1", "-wi", "5", "-w", "1s", "-i", "8", "-r", "1s"),
            ("-f", "1", "-wi", "2", "-w", "1s", "-i", "2", "-r", "1s")),
}

# Global bound on the whole run: a stuck scenario cannot make the suite run forever.
RUN_DEADLINE = time.monotonic() + 45 * 60


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# ---------------------------------------------------------------- /proc

def proc_cpu(pid):
    """utime+stime of the whole process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    fields = s[s.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_rss(pid):
    """VmRSS in bytes."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise BenchError(f"no VmRSS for {pid}")


def proc_jit_cpu(pid):
    """CPU seconds of the JVM's JIT compiler threads (C1/C2) that are alive now; 0 for other programs."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0.0
    for t in tasks:
        try:
            with open(f"/proc/{pid}/task/{t}/stat") as f:
                st = f.read()
        except OSError:
            continue
        name = st[st.index("(") + 1:st.rindex(")")]
        if name.startswith(("C1 CompilerThre", "C2 CompilerThre")):
            fields = st[st.rindex(")") + 2:].split()
            total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def proc_threads(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


def listening(port):
    """Is something listening on 127.0.0.1:port? (reads /proc/net/tcp, so no connection is made)"""
    want = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):  # the JVM binds 127.0.0.1 on an IPv6 socket
        with open(table) as f:
            for line in f.readlines()[1:]:
                parts = line.split()
                if parts[1].endswith(want) and parts[3] == "0A":
                    return True
    return False


_ports_given = set()


def free_port():
    """A port free on 127.0.0.1 now and not handed out before in this run."""
    for _ in range(1000):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _ports_given:
            _ports_given.add(port)
            return port
    raise BenchError("no free port")


def machine_busy():
    """(busy, steal) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (v + [0] * 8)[:8]
    return user + nice + system + irq + softirq + steal, steal


def own_cpu():
    """CPU seconds of this script and every child it has reaped (servers, backend, load generators)."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def check_deadline():
    if time.monotonic() > RUN_DEADLINE:
        raise BenchError("the whole run exceeded its 45-minute bound")


def run(cmd, timeout, **kw):
    """Runs a bounded command; returns CompletedProcess (text)."""
    check_deadline()
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


# ---------------------------------------------------------------- the servers under test

class Env:
    """Work directory, certificates, backend, tools: what every scenario shares."""

    def __init__(self, root, work, quick):
        self.root = root
        self.work = work
        self.quick = quick
        self.backend_port = free_port()
        self.backend = None
        self.java = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64") + "/bin/java"

    def p(self, key):
        full, quick = PROFILE[key]
        return quick if self.quick else full

    def make_certs(self):
        w = self.work
        for name, alg in (("ec", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]),
                          ("rsa", ["-newkey", "rsa:2048"])):
            r = run(["openssl", "req", "-x509", *alg, "-nodes", "-keyout", f"{w}/{name}.key",
                     "-out", f"{w}/{name}.crt", "-subj", "/CN=localhost", "-days", "30"], 60)
            if r.returncode:
                raise BenchError("openssl req failed: " + r.stderr)
            with open(f"{w}/{name}.pem", "w") as out:
                for part in ("crt", "key"):
                    with open(f"{w}/{name}.{part}") as f:
                        out.write(f.read())
            for part in ("key", "pem"):
                os.chmod(f"{w}/{name}.{part}", 0o600)

    def start_backend(self):
        exe = os.path.join(self.work, "backend")
        src = os.path.join(self.root, "bench", "tools", "backend.c")
        r = run(["cc", "-O2", "-o", exe, src], 120)
        if r.returncode:
            raise BenchError("cannot build the backend: " + r.stderr)
        self.backend = subprocess.Popen([exe, str(self.backend_port)], stdout=subprocess.PIPE, text=True)
        if self.backend.stdout.readline().strip() != "ready":
            raise BenchError("backend did not start")

    def backend_stats(self):
        with socket.create_connection(("127.0.0.1", self.backend_port), timeout=5) as s:
            s.sendall(b"GET /stats HTTP/1.0\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        m = re.search(rb"open=(\d+) accepted=(\d+)", data)
        return (int(m.group(1)), int(m.group(2))) if m else (-1, -1)

    def stop(self):
        if self.backend and self.backend.poll() is None:
            self.backend.terminate()
            try:
                self.backend.wait(5)
            except subprocess.TimeoutExpired:
                self.backend.kill()


class Server:
    """One tunnel process (jstunnel or stunnel4) on its own ports, with the shared config text.

    Services: [ec] and [rsa] (server mode, ECDSA P-256 / RSA-2048 file keys) → backend;
    [ec-sid] as [ec] with options = NO_TICKET (TLS 1.2 session-ID resumption);
    [chain] client mode → this same process's [ec] (the client→server chain of the bulk scenario).
    """

    def __init__(self, env, kind, debug="notice", logfile=True, head=(), services=None, extra_env=None):
        """head: extra global lines; services: {name: [option lines]} in place of the four above (accept
        is added); extra_env: variables added to the server's environment."""
        self.env = env
        self.kind = kind
        self.extra_env = extra_env or {}
        self.ports = {s: free_port() for s in (services or ("ec", "rsa", "ec-sid", "chain"))}
        self.conf = os.path.join(env.work, f"{kind}.conf")
        self.log = os.path.join(env.work, f"{kind}.log")
        self.proc = None
        w = env.work
        be = env.backend_port
        lines = ["foreground = yes", "pid =", "syslog = no", f"debug = {debug}"]
        if logfile:
            lines.append(f"output = {self.log}")
        lines += list(head)
        for name, opts in (services or {}).items():
            lines += ["", f"[{name}]", f"accept = 127.0.0.1:{self.ports[name]}", *opts]
        lines += [] if services else [
            "", "[ec]", f"accept = 127.0.0.1:{self.ports['ec']}", f"connect = 127.0.0.1:{be}", f"cert = {w}/ec.pem",
            "", "[rsa]", f"accept = 127.0.0.1:{self.ports['rsa']}", f"connect = 127.0.0.1:{be}", f"cert = {w}/rsa.pem",
            "", "[ec-sid]", f"accept = 127.0.0.1:{self.ports['ec-sid']}", f"connect = 127.0.0.1:{be}",
            f"cert = {w}/ec.pem", "options = NO_TICKET",
            "", "[chain]", "client = yes", f"accept = 127.0.0.1:{self.ports['chain']}",
            f"connect = 127.0.0.1:{self.ports['ec']}",
        ]
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")

    def argv(self):
        if self.kind == "jstunnel":
            return [os.path.join(self.env.root, "bin", "jstunnel"), self.conf]
        return ["stunnel4", self.conf]

    def start(self):
        check_deadline()
        self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     env=dict(os.environ, **self.extra_env) if self.extra_env else None,
                                     stderr=open(os.path.join(self.env.work, f"{self.kind}.stderr"), "a"))
        deadline = time.monotonic() + 30
        while not all(listening(p) for p in self.ports.values()):
            if self.proc.poll() is not None:
                raise BenchError(f"{self.kind} exited with {self.proc.returncode}; see {self.env.work}/{self.kind}.stderr")
            if time.monotonic() > deadline:
                self.stop()  # never leave a half-started server behind
                raise BenchError(f"{self.kind} did not start listening within 30 s")
            time.sleep(0.02)
        return self

    @property
    def pid(self):
        return self.proc.pid

    def cpu(self):
        return proc_cpu(self.pid)

    def jit(self):
        return proc_jit_cpu(self.pid)

    def rss(self):
        return proc_rss(self.pid)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class Servers:
    """Both servers started for one scenario, stopped at the end of it whatever happens."""

    def __init__(self, env, **kw):
        self.env = env
        self.kw = kw
        self.s = {}

    def __enter__(self):
        try:
            for k in SERVERS:
                self.s[k] = Server(self.env, k, **self.kw)
                self.s[k].start()
        except BaseException:
            self.__exit__()
            raise
        return self.s

    def __exit__(self, *exc):
        for srv in self.s.values():
            srv.stop()


def order(rep):
    """Alternate which server goes first, so drift on the machine hits both alike."""
    return SERVERS if rep % 2 == 0 else list(reversed(SERVERS))


# ---------------------------------------------------------------- results

class Results:
    def __init__(self):
        self.rows = []      # dicts: section, name, unit, j, s, better ('lower'|'higher'|None), target, note
        self.checks = []    # (target text, measured text, met bool|None)
        self.notes = []
        self.jit_share = []  # (figure, share of jstunnel's CPU spent in JIT compiler threads)

    def add(self, section, name, unit, j, s, better=None, target=None, fmt="{:.0f}"):
        """j and s: one value each, or the per-repetition lists (then each is shown as its median and
        the ratio is the median of the per-repetition ratios: the two servers of one repetition ran
        back to back, so load from elsewhere on the machine cancels better than across repetitions)."""
        ratio = None
        if isinstance(j, list) and isinstance(s, list):
            pairs = [a / b for a, b in zip(j, s) if a is not None and b]
            ratio = median(pairs)
            j, s = median(j), median(s)
        elif isinstance(j, (int, float)) and isinstance(s, (int, float)) and s != 0:
            ratio = j / s
        met = None
        if target is not None and ratio is not None:
            met = ratio <= target if better == "lower" else ratio >= target
        self.rows.append(dict(section=section, name=name, unit=unit, j=j, s=s, ratio=ratio,
                              better=better, target=target, met=met, fmt=fmt))
        return ratio

    def check(self, what, measured, met):
        self.checks.append((what, measured, met))

    @staticmethod
    def _v(v, fmt):
        if v is None:
            return "n/a"
        if isinstance(v, str):
            return v
        return fmt.format(v)

    def table(self):
        out = ["| scenario | figure | jstunnel | stunnel4 | ratio j/s | target | met |",
               "|---|---|---:|---:|---:|---|---|"]
        for r in self.rows:
            tgt = ""
            if r["target"] is not None:
                tgt = ("≤ " if r["better"] == "lower" else "≥ ") + f"{r['target']:g}×"
            met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
            ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
            unit = f" ({r['unit']})" if r["unit"] else ""
            out.append(f"| {r['section']} | {r['name']}{unit} | {self._v(r['j'], r['fmt'])} | "
                       f"{self._v(r['s'], r['fmt'])} | {ratio} | {tgt} | {met} |")
        return "\n".join(out)

    def checks_table(self):
        out = ["| target | measured | met |", "|---|---|---|"]
        for what, measured, met in self.checks:
            out.append(f"| {what} | {measured} | {'n/a' if met is None else ('yes' if met else '**no**')} |")
        return "\n".join(out)


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# ---------------------------------------------------------------- scenario 1 and 2: handshakes

def s_time(port, seconds, proto, reuse, clients):
    """`openssl s_time` from `clients` parallel processes; returns (connections, reused, wall seconds)."""
    cmd = ["openssl", "s_time", "-connect", f"127.0.0.1:{port}", "-time", str(seconds), proto]
    cmd += ["-reuse", "-www", "/"] if reuse else ["-new"]
    t0 = time.monotonic()
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(clients)]
    total = reused = 0
    for p in procs:
        try:
            out, _ = p.communicate(timeout=seconds + 30)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
        m = re.search(r"(\d+) connections in [\d.]+s", out)
        if m:
            total += int(m.group(1))
        if reuse:
            # s_time prints one character per connection: 'r' when the session was resumed
            tail = out.split("starting", 1)[-1]
            reused += tail.count("r")
    wall = time.monotonic() - t0
    return total, reused, wall


def handshake_figure(env, servers, res, section, label, service, proto, reuse, target=0.7):
    warm, secs, reps, clients = env.p("hs_warm"), env.p("hs_time"), env.p("hs_reps"), env.p("hs_clients")
    per = {k: [] for k in SERVERS}
    rate = {k: [] for k in SERVERS}
    reuse_frac = {k: [] for k in SERVERS}
    for k in SERVERS:  # warm-up: JIT, session cache, thread pools
        s_time(servers[k].ports[service], warm, proto, reuse, clients)
    jit = cpu_total = 0.0
    for rep in range(reps):
        for k in order(rep):
            srv = servers[k]
            c0, j0 = srv.cpu(), srv.jit()
            n, r, wall = s_time(srv.ports[service], secs, proto, reuse, clients)
            c1, j1 = srv.cpu(), srv.jit()
            if k == "jstunnel":
                jit += max(0.0, j1 - j0)
                cpu_total += c1 - c0
            if n == 0:
                raise BenchError(f"{k}: s_time made no connection ({label})")
            per[k].append((c1 - c0) / n * 1e6)
            rate[k].append(n / wall)
            if reuse:
                reuse_frac[k].append(r / n)
    j, s = median(per["jstunnel"]), median(per["stunnel"])
    res.add(section, f"{label}: server CPU per handshake", "µs", per["jstunnel"], per["stunnel"], "lower", target)
    res.add(section, f"{label}: handshakes/s ({clients} s_time clients)", "1/s",
            rate["jstunnel"], rate["stunnel"], "higher")
    if cpu_total > 0:
        res.jit_share.append((label, jit / cpu_total))
    if reuse:
        for k in SERVERS:
            f = median(reuse_frac[k])
            if f is not None and f < 0.95:
                res.notes.append(f"{label}: only {f:.0%} of {k}'s connections were resumed")
    log(f"{label}: jstunnel {j:.0f} µs, stunnel {s:.0f} µs per handshake")


def scenario_handshake(env, res):
    with Servers(env) as servers:
        for proto, pname in (("-tls1_3", "TLS 1.3"), ("-tls1_2", "TLS 1.2")):
            for service, kname in (("ec", "ECDSA P-256"), ("rsa", "RSA-2048")):
                handshake_figure(env, servers, res, "1 full handshake", f"{pname} {kname}", service, proto, False)


def scenario_resume(env, res):
    with Servers(env) as servers:
        for label, service, proto in (("TLS 1.2 session ID", "ec-sid", "-tls1_2"),
                                      ("TLS 1.2 ticket", "ec", "-tls1_2"),
                                      ("TLS 1.3 ticket", "ec", "-tls1_3")):
            handshake_figure(env, servers, res, "2 resumed handshake", label, service, proto, True)


# ---------------------------------------------------------------- scenario 3: bulk

def curl_streams(url, streams, nbytes, timeout):
    """`streams` parallel curl downloads of nbytes each; returns (bytes received, wall seconds)."""
    cmd = ["curl", "-sS", "-k", "--max-time", str(timeout), "-o", "/dev/null", "-w", "%{size_download}\n",
           f"{url}/bytes/{nbytes}"]
    t0 = time.monotonic()
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(streams)]
    got = 0
    for p in procs:
        try:
            out, err = p.communicate(timeout=timeout + 10)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
        try:
            got += int(out.strip() or 0)
        except ValueError:
            pass
    return got, time.monotonic() - t0


def scenario_bulk(env, res):
    nbytes = env.p("bulk_bytes")
    reps = env.p("bulk_reps")
    size = f"{nbytes / GIB:g} GiB" if nbytes >= GIB else f"{nbytes >> 20} MiB"
    with Servers(env) as servers:
        for k in SERVERS:  # warm-up
            curl_streams(f"https://127.0.0.1:{servers[k].ports['ec']}", 1, 64 << 20, 60)
            curl_streams(f"http://127.0.0.1:{servers[k].ports['chain']}", 1, 64 << 20, 60)
        for topo, service, scheme in (("server mode (TLS→plain)", "ec", "https"),
                                      ("client→server chain, one process", "chain", "http")):
            for streams in (1, 4):
                cpu = {k: [] for k in SERVERS}
                mbps = {k: [] for k in SERVERS}
                for rep in range(reps):
                    for k in order(rep):
                        srv = servers[k]
                        c0 = srv.cpu()
                        got, wall = curl_streams(f"{scheme}://127.0.0.1:{srv.ports[service]}", streams, nbytes, 300)
                        c1 = srv.cpu()
                        if got != streams * nbytes:
                            raise BenchError(f"{k}: bulk received {got} of {streams * nbytes} bytes")
                        cpu[k].append((c1 - c0) / (got / 1e9))
                        mbps[k].append(got / wall / 1e6)
                label = f"{topo}, {streams} stream{'s' if streams > 1 else ''} × {size}"
                j, s = median(cpu["jstunnel"]), median(cpu["stunnel"])
                res.add("3 bulk", f"{label}: server CPU per GB", "s/GB", cpu["jstunnel"], cpu["stunnel"], "lower", 0.5,
                        fmt="{:.2f}")
                res.add("3 bulk", f"{label}: throughput", "MB/s", mbps["jstunnel"], mbps["stunnel"], "higher")
                log(f"bulk {label}: jstunnel {j:.2f} s/GB, stunnel {s:.2f} s/GB")


# ---------------------------------------------------------------- scenario 4: wrk

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(port, conns, seconds):
    r = run(["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--timeout", "5s", "--latency",
             f"https://127.0.0.1:{port}/1k"], seconds + 60)
    out = r.stdout
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not m:
        raise BenchError("wrk failed: " + out + r.stderr)
    lat = {}
    for pct in ("50", "99"):
        lm = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        lat[pct] = float(lm.group(1)) * UNITS[lm.group(2)] if lm else None
    errors = re.search(r"Socket errors: (.*)", out)
    n = re.search(r"(\d+) requests in", out)
    return float(m.group(1)), lat["50"], lat["99"], int(n.group(1)) if n else 0, errors.group(1) if errors else ""


def scenario_wrk(env, res):
    warm, secs, reps = env.p("wrk_warm"), env.p("wrk_time"), env.p("wrk_reps")
    with Servers(env) as servers:
        for conns in (50, 500):
            vals = {k: {"rps": [], "p50": [], "p99": [], "cpu": []} for k in SERVERS}
            for k in SERVERS:
                wrk(servers[k].ports["ec"], conns, warm)
            for rep in range(reps):
                for k in order(rep):
                    srv = servers[k]
                    c0 = srv.cpu()
                    rps, p50, p99, n, errors = wrk(srv.ports["ec"], conns, secs)
                    c1 = srv.cpu()
                    if errors:
                        res.notes.append(f"wrk -c{conns} against {k}: socket errors: {errors}")
                    v = vals[k]
                    v["rps"].append(rps)
                    v["p50"].append(p50)
                    v["p99"].append(p99)
                    v["cpu"].append((c1 - c0) / max(n, 1) * 1e6)
            med = {k: {m: median(vals[k][m]) for m in vals[k]} for k in SERVERS}
            big = conns == 500
            j, s = vals["jstunnel"], vals["stunnel"]
            res.add("4 keep-alive", f"wrk -c{conns}: requests/s", "1/s", j["rps"], s["rps"], "higher", 2.0 if big else None)
            res.add("4 keep-alive", f"wrk -c{conns}: p50 latency", "ms", j["p50"], s["p50"], "lower", fmt="{:.2f}")
            res.add("4 keep-alive", f"wrk -c{conns}: p99 latency", "ms", j["p99"], s["p99"], "lower",
                    0.5 if big else None, fmt="{:.2f}")
            res.add("4 keep-alive", f"wrk -c{conns}: server CPU per request", "µs", j["cpu"], s["cpu"], "lower",
                    fmt="{:.1f}")
            log(f"wrk -c{conns}: jstunnel {med['jstunnel']['rps']:.0f} req/s, stunnel {med['stunnel']['rps']:.0f} req/s")


# ---------------------------------------------------------------- scenario 5: idle connections

def scenario_idle(env, res):
    tool = os.path.join(env.root, "bench", "tools", "idle.py")
    settle, probe = env.p("idle_settle"), env.p("idle_probe")
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    for wanted in env.p("idle_counts"):
        # the tunnel holds two descriptors per connection (client side and backend side); the
        # RLIMIT_NOFILE hard limit can only be raised with CAP_SYS_RESOURCE (run.sh tries)
        # ... and stunnel refuses clients beyond RLIMIT_NOFILE*125/256 ("too many clients"): stay under
        # both, so that the two servers are compared at the same count
        count = min(wanted, (hard - 300) // 2, hard * 125 // 256 - 100)
        if count < wanted:
            res.notes.append(f"idle: {wanted:,} connections asked, {count:,} held: RLIMIT_NOFILE's hard limit is {hard} "
                             f"here and raising it needs CAP_SYS_RESOURCE, which this machine does not grant; a tunnel "
                             f"holds 2 descriptors per connection and stunnel refuses clients beyond "
                             f"{hard * 125 // 256} (limit×125/256)")
        per = {}
        probe_rate = {}
        held_ok = {}
        for k in SERVERS:  # one fresh server each: the baseline is a server that served little
            srv = Server(env, k).start()
            try:
                # warm-up: the code paths of a connection run once, so the baseline includes them
                s_time(srv.ports["ec"], 1, "-tls1_3", False, 1)
                time.sleep(settle)
                rss0 = srv.rss()
                holder = subprocess.Popen([sys.executable, tool, "127.0.0.1", str(srv.ports["ec"]), str(count), "300"],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                line = ""
                deadline = time.monotonic() + 240
                while time.monotonic() < deadline:
                    r, _, _ = select.select([holder.stdout], [], [], 1)
                    if r:
                        line = holder.stdout.readline()
                        if line.startswith("established") or line == "":
                            break
                m = re.match(r"established (\d+) failed (\d+)", line)
                if not m:
                    holder.kill()
                    raise BenchError(f"idle holder against {k} did not report: {line!r}")
                est = int(m.group(1))
                # the tunnel connects the backend after the handshake: wait until all are through
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and env.backend_stats()[0] < est:
                    time.sleep(0.2)
                time.sleep(settle)
                rss1 = srv.rss()
                backend_open = env.backend_stats()[0]
                # new handshakes while the idle connections are held
                n, _, wall = s_time(srv.ports["ec"], probe, "-tls1_3", False, 1)
                probe_rate[k] = n / wall
                held_ok[k] = est == count and backend_open >= count and n > 0
                per[k] = (rss1 - rss0) / max(est, 1)
                log(f"idle {count}: {k} {per[k] / 1024:.1f} KiB/conn, established {est}, backend open {backend_open}, "
                    f"{proc_threads(srv.pid)} threads, probe {n} handshakes")
                try:
                    holder.stdin.write("close\n")
                    holder.stdin.flush()
                except BrokenPipeError:
                    pass
                try:
                    holder.wait(60)
                except subprocess.TimeoutExpired:
                    holder.kill()
            finally:
                srv.stop()
            # let the backend see every close before the next server's baseline
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and env.backend_stats()[0] > 1:
                time.sleep(0.2)
        res.add("5 idle", f"{count:,} idle TLS connections: RSS per connection", "KiB",
                per["jstunnel"] / 1024, per["stunnel"] / 1024, "lower", 0.3, fmt="{:.1f}")
        res.add("5 idle", f"{count:,} idle: new handshakes/s while held (1 s_time client)", "1/s",
                probe_rate["jstunnel"], probe_rate["stunnel"], "higher")
        res.add("5 idle", f"{count:,} idle: all held and new handshakes completed", "",
                "yes" if held_ok["jstunnel"] else "no", "yes" if held_ok["stunnel"] else "no")
        if wanted >= 10000:
            res.check(f"10,000 idle connections held while new handshakes complete (jstunnel; {count:,} held)",
                      f"held: {'yes' if held_ok['jstunnel'] else 'no'}, {probe_rate['jstunnel']:.0f} new handshakes/s",
                      held_ok["jstunnel"])


# ---------------------------------------------------------------- scenario 6: start-up

def startup_once(env, kind):
    srv = Server(env, kind, debug="info", logfile=False)
    t0 = time.monotonic()
    p = subprocess.Popen(srv.argv(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    srv.proc = p
    buf = b""
    elapsed = None
    deadline = t0 + 30
    try:
        while time.monotonic() < deadline:
            r, _, _ = select.select([p.stderr], [], [], 0.5)
            if not r:
                if p.poll() is not None:
                    break
                continue
            chunk = os.read(p.stderr.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            if b"Accepting new connections" in buf:
                elapsed = time.monotonic() - t0
                break
    finally:
        srv.stop()
    if elapsed is None:
        raise BenchError(f"{kind} never logged 'Accepting new connections': {buf[-2000:]!r}")
    return elapsed * 1000


def scenario_startup(env, res):
    runs = env.p("startup_runs")
    times = {k: [] for k in SERVERS}
    for i in range(runs):
        for k in order(i):
            times[k].append(startup_once(env, k))
    j, s = median(times["jstunnel"]), median(times["stunnel"])
    res.add("6 start-up", f"exec → \"Accepting new connections\", median of {runs}", "ms", j, s, "lower", fmt="{:.0f}")
    res.check("start-up ≤ 300 ms (jstunnel, absolute)", f"{j:.0f} ms (min {min(times['jstunnel']):.0f}, "
              f"max {max(times['jstunnel']):.0f})", j <= 300)
    log(f"start-up: jstunnel {j:.0f} ms, stunnel {s:.0f} ms")


# ---------------------------------------------------------------- scenario 7: JMH record path

def libssl_dir():
    """Where the system's libssl.so is (wildfly-openssl loads it by path)."""
    r = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=20)
    m = re.search(r"libssl\.so\.3 .*=> (\S+)", r.stdout)
    return os.path.dirname(m.group(1)) if m else "/usr/lib/x86_64-linux-gnu"


def scenario_jmh(env, res):
    jmh = os.path.join(env.root, "bench", "jmh", "target")
    jar = os.path.join(env.root, "java", "target", "jstunnel.jar")
    if not os.path.isdir(os.path.join(jmh, "classes")):
        raise BenchError("bench/jmh is not built (bench/run.sh builds it)")
    cp = ":".join([os.path.join(jmh, "classes"), os.path.join(jmh, "lib", "*"), jar])
    out_json = os.path.join(env.work, "jmh.json")
    native = os.path.join(env.root, "java", "target", "native", "libjstunnel.so")
    cmd = [env.java, "-cp", cp, f"-Djstunnel.native={native}", "--enable-native-access=ALL-UNNAMED",
           "org.openjdk.jmh.Main", "RecordPath", *env.p("jmh"), "-t", "1", "-bm", "thrpt", "-tu", "s",
           "-rf", "json", "-rff", out_json,
           "-jvmArgsAppend", f"-Djstunnel.native={native} --enable-native-access=ALL-UNNAMED "
                             f"-Dbench.certdir={env.work} -Dorg.wildfly.openssl.path={libssl_dir()}"]
    r = run(cmd, 900)
    with open(os.path.join(env.work, "jmh.log"), "w") as f:
        f.write(r.stdout + r.stderr)
    if r.returncode or not os.path.exists(out_json):
        raise BenchError("JMH failed; see " + os.path.join(env.work, "jmh.log"))
    with open(out_json) as f:
        data = json.load(f)
    score = {}
    for b in data:
        name = b["benchmark"].rsplit(".", 1)[-1]
        size = int(b.get("params", {}).get("size", 16384))
        ops = b["primaryMetric"]["score"]
        err = b["primaryMetric"].get("scoreError")
        err = err if isinstance(err, (int, float)) else 0.0
        score[name] = (ops * size / 1e6, err * size / 1e6)
    for mine, mlabel in (("jni", "SslConnection (JNI, production path)"), ("jniRaw", "NativeSsl calls (JNI binding)")):
        m = score.get(mine, (None, 0))[0]
        for other, label in (("jsse", "JSSE SSLEngine"), ("wildfly", "wildfly-openssl SSLEngine")):
            o = score.get(other, (None, 0))[0]
            res.add("7 record path (JMH)", f"16 KiB encrypt+decrypt per core: {mlabel} vs {label}", "MB/s",
                    m, o, "higher", 1.0)
    for name in ("jni", "jniRaw", "jsse", "wildfly"):
        if name not in score:
            res.notes.append(f"JMH: no result for {name}; see jmh.log")
    for name, (mb, err) in sorted(score.items()):
        res.notes.append(f"JMH {name}: {mb:.0f} ± {err:.0f} MB/s (99.9% confidence interval)")


# ---------------------------------------------------------------- scenario 8: key on a SoftHSM2 token

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


def make_softhsm_token(env):
    """A private SoftHSM2 token (label bench, PIN 1234) in the work directory with an EC P-256 key
    (label k, id 01) and a self-signed certificate for it made through libp11's engine.
    Returns (SOFTHSM2_CONF path, certificate path)."""
    d = os.path.join(env.work, "softhsm")
    tokens = os.path.join(d, "tokens")
    os.makedirs(tokens)
    conf = os.path.join(d, "softhsm2.conf")
    with open(conf, "w") as f:
        f.write(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
                "slots.removable = false\n")
    crt = os.path.join(env.work, "hsm.crt")
    e = dict(os.environ, SOFTHSM2_CONF=conf)
    for cmd in (["softhsm2-util", "--init-token", "--free", "--label", "bench", "--pin", "1234", "--so-pin", "5678"],
                ["pkcs11-tool", "--module", SOFTHSM_MODULE, "--login", "--pin", "1234", "--keypairgen",
                 "--key-type", "EC:prime256v1", "--label", "k", "--id", "01"],
                ["openssl", "req", "-new", "-x509", "-engine", "pkcs11", "-keyform", "engine",
                 "-key", "pkcs11:token=bench;object=k;type=private;pin-value=1234",
                 "-subj", "/CN=localhost", "-days", "2", "-out", crt]):
        if shutil.which(cmd[0]) is None:
            raise BenchError(f"{cmd[0]} missing (Debian: softhsm2, opensc, libengine-pkcs11-openssl)")
        r = run(cmd, 60, env=e)
        if r.returncode:
            raise BenchError(f"{cmd[0]} failed: {(r.stdout + r.stderr).strip()[-500:]}")
    return conf, crt


def scenario_hsm(env, res):
    """Scenario 1's TLS 1.3 full handshake with the server key on a SoftHSM2 token, both servers on the
    manual's engine configuration (engine = pkcs11, engineCtrl MODULE_PATH and PIN, engineId)."""
    conf, crt = make_softhsm_token(env)
    head = ["engine = pkcs11", f"engineCtrl = MODULE_PATH:{SOFTHSM_MODULE}", "engineCtrl = PIN:1234"]
    services = {"hsm": [f"connect = 127.0.0.1:{env.backend_port}", "engineId = pkcs11", f"cert = {crt}",
                        "key = pkcs11:token=bench;object=k;type=private"]}
    with Servers(env, head=head, services=services, extra_env={"SOFTHSM2_CONF": conf}) as servers:
        handshake_figure(env, servers, res, "8 HSM key", "TLS 1.3 ECDSA P-256 on SoftHSM2", "hsm", "-tls1_3", False,
                         target=None)  # no ratio target for a key on a token


# ---------------------------------------------------------------- main

def machine_lines(env):
    def first(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
            return (r.stdout + r.stderr).strip().splitlines()
        except (OSError, subprocess.TimeoutExpired):
            return ["?"]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    java = first([env.java, "-version"])
    stunnel = [l for l in first(["stunnel4", "-version"]) if "stunnel" in l and "platform" in l]
    return [
        f"- CPU: {os.cpu_count()} × {cpu} (virtual machine: `{first(['systemd-detect-virt'])[0]}`), "
        f"{mem / 1024:.1f} GiB RAM, kernel {os.uname().release}",
        f"- Java: {java[1] if len(java) > 1 else java[0]}",
        f"- stunnel: {(stunnel or ['?'])[0].split(']: ')[-1]}; {first(['openssl', 'version'])[0]}",
        f"- load generators on the same 2 cores: openssl s_time, curl {first(['curl', '--version'])[0].split()[1]}, "
        f"{first(['wrk', '-v'])[0].split(' [')[0]}, python3 {sys.version.split()[0]}",
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--only", default=",".join(SCENARIOS))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", help="write the markdown results block here")
    ap.add_argument("--command", default="bench/run.sh")
    a = ap.parse_args()
    only = [s.strip() for s in a.only.split(",") if s.strip()]
    for s in only:
        if s not in SCENARIOS:
            sys.exit(f"unknown scenario {s}; known: {', '.join(SCENARIOS)}")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    work = tempfile.mkdtemp(prefix="jstunnel-bench.")
    env = Env(os.path.abspath(a.root), work, a.quick)
    res = Results()
    started = time.time()
    busy0, steal0 = machine_busy()
    own0 = own_cpu()
    failed = []
    log(f"work directory {work}; scenarios: {', '.join(only)}; {'QUICK' if a.quick else 'full'} durations")
    try:
        env.make_certs()
        env.start_backend()
        for name in SCENARIOS:
            if name not in only:
                continue
            log(f"scenario {name}")
            t = time.monotonic()
            try:
                globals()[f"scenario_{name}"](env, res)
            except (BenchError, subprocess.TimeoutExpired, OSError) as e:
                failed.append(name)
                res.notes.append(f"scenario {name} FAILED: {e}")
                log(f"scenario {name} FAILED: {e}")
            log(f"scenario {name} took {time.monotonic() - t:.0f} s")
    finally:
        env.stop()
    took = time.time() - started
    busy1, steal1 = machine_busy()
    foreign = max(0.0, (busy1 - busy0) / CLK_TCK - (own_cpu() - own0))
    load_line = (f"Other processes on the machine used {foreign:.0f} CPU-seconds during the run "
                 f"({foreign / took / os.cpu_count():.0%} of its {os.cpu_count()} cores; steal "
                 f"{(steal1 - steal0) / CLK_TCK:.0f} s); load average at the end: "
                 f"{' '.join(open('/proc/loadavg').read().split()[:3])}")
    # targets that are ratios, in the checks list too, before the absolute ones
    ratio_checks = []
    for r in res.rows:
        if r["target"] is not None:
            ratio_checks.append((f"{r['section']}: {r['name']} ratio "
                                  + ("≤ " if r["better"] == "lower" else "≥ ") + f"{r['target']:g}×",
                                  "n/a" if r["ratio"] is None else f"{r['ratio']:.2f}×", r["met"]))
    res.checks[:0] = ratio_checks
    lines = [
        f"Command: `{a.command}`" + (" (BENCH_QUICK=1: shortened durations)" if a.quick else ""),
        f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}; whole run {took / 60:.1f} min; scenarios: {', '.join(only)}",
        "",
        *machine_lines(env),
        f"- {load_line}",
        "",
        res.table(),
        "",
        "Targets:",
        "",
        res.checks_table(),
    ]
    if res.jit_share:
        res.notes.append("share of jstunnel's measured CPU spent by its JIT compiler threads (C1/C2, still "
                         "warming up): " + "; ".join(f"{l} {v:.0%}" for l, v in res.jit_share))
    if res.notes:
        lines += ["", "Notes from this run:", ""] + [f"- {n}" for n in res.notes]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    shutil.rmtree(work, ignore_errors=True) if not failed and not os.environ.get("BENCH_KEEP") else \
        log(f"kept {work} for inspection")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
