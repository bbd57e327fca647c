# shellcheck shell=bash
# Sourced by scripts/demo.sh and scripts/aot-train.sh (bash).
#
# await_port_file FILE PID: waits (up to 10 s) for scripts/demo/backend.py, started as PID with
# --port-file FILE, to write the port it listens on; prints the port, or the reason it failed
# (exit status 1).
await_port_file() {
    local _
    for _ in $(seq 100); do
        if [ -s "$1" ]; then
            cat "$1"
            return 0
        fi
        if ! kill -0 "$2" 2>/dev/null; then
            echo "the backend did not start"
            return 1
        fi
        sleep 0.1
    done
    echo "the backend did not start within 10 s"
    return 1
}
