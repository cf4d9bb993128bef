#!/bin/bash
# bench/profile.sh — where `run` of /bin/true spends its time, runcs vs runc:
# perf stat, an strace phase timeline and perf record's top symbols (see bench/profile.py).
# Usage: bench/profile.sh [--runs N] [--stat-runs N] [--record-runs N] [RUNTIME...]
# Needs root, strace and perf (apt-get install -y strace linux-perf; installed here when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[[ $(id -u) -eq 0 ]] || { echo "bench/profile.sh: needs root" >&2; exit 1; }
missing=()
command -v strace >/dev/null || missing+=(strace)
command -v perf >/dev/null || missing+=(linux-perf)
if [[ ${#missing[@]} -gt 0 ]] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || echo "bench/profile.sh: could not install ${missing[*]}" >&2
fi
py=/usr/bin/python3
[[ -x $py ]] || py=$(command -v python3)
exec "$py" "$here/bench/profile.py" "$@"
