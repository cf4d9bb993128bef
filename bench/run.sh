#!/bin/bash
# bench/run.sh — runcs against runc (and any other OCI runtime) on one machine, in one run.
#
# Usage: bench/run.sh [OPTIONS] [RUNTIME...]
#   RUNTIME   paths (or names on PATH) of runc-compatible binaries;
#             default: bin/runcs /usr/sbin/runc. Ratios are against the one named
#             "runc" (else the last one).
#   OPTIONS   passed to bench/bench.py: --rounds N (30), --warmup N (3), --seq N (100),
#             --seq-rounds N (3), --par N (20), --par-rounds N (3), --rss-rounds N (5),
#             --only run,lifecycle,exec,seq,par,rss,memfloor, --keep-work, --out DIR
#   env BENCH_MAX_LOAD=X   first wait (polling every 20 s, at most BENCH_LOAD_WAIT s,
#                          default 900) until the 1-minute load average is below X.
#
# Measures, interleaved (every round runs each runtime once, in rotating order):
#   1. run /bin/true (create+start+wait+delete in one command)
#   2. create, state, start, delete separately
#   3. exec true into a running container
#   4. 100 x run true in sequence (total); 20 x run -d at once (total, successes), 20 x delete --force at once
#   5. peak RSS: /usr/bin/time -f %M (ru_maxrss) of `run true` and of `create`; VmHWM/VmRSS and the cgroup charge of init
#      while it waits for start
#   6. the smallest memory limit (swap = limit) at which `run true` exits 0 (bisection, 64 KiB..64 MiB)
#   7. the floor: unshare --fork --pid --mount --uts --ipc --net --cgroup true (and the harness's own
#      spawn of /bin/true)
# Prints the machine, a table of medians (min-max) and ratios; writes bench/results/<timestamp>.json
# and bench/results/<timestamp>.png (ratios). Takes about 3-5 minutes on an idle 2-core machine.
# Needs root, jq, file, busybox-static, python3 (+ python3-matplotlib for the chart, installed here
# with apt-get when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

if [[ $(id -u) -ne 0 ]]; then
  echo "bench/run.sh: needs root (containers with namespaces and cgroups)" >&2
  exit 1
fi

# Debian's python3 (apt's matplotlib goes there), not whatever python3 is first on PATH.
py=/usr/bin/python3
[[ -x $py ]] || py=$(command -v python3)

missing=()
command -v jq >/dev/null || missing+=(jq)
command -v file >/dev/null || missing+=(file)
command -v unshare >/dev/null || missing+=(util-linux)
[[ -x /usr/bin/time ]] || missing+=(time)
if ! { command -v busybox >/dev/null && file -L "$(command -v busybox)" | grep -q 'statically linked'; } &&
   ! file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
  missing+=(busybox-static)
fi
"$py" -c 'import matplotlib' 2>/dev/null || missing+=(python3-matplotlib)
if [[ ${#missing[@]} -gt 0 ]]; then
  if command -v apt-get >/dev/null; then
    echo "bench/run.sh: installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; } ||
      echo "bench/run.sh: could not install ${missing[*]} (the chart needs python3-matplotlib)" >&2
  else
    echo "bench/run.sh: missing ${missing[*]}" >&2
  fi
fi

if [[ -n ${BENCH_MAX_LOAD:-} ]]; then
  deadline=$((SECONDS + ${BENCH_LOAD_WAIT:-900}))
  while :; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load" -v m="$BENCH_MAX_LOAD" 'BEGIN { exit !(l < m) }'; then
      echo "bench/run.sh: load average $load < $BENCH_MAX_LOAD, starting" >&2
      break
    fi
    if ((SECONDS >= deadline)); then
      echo "bench/run.sh: load average still $load after ${BENCH_LOAD_WAIT:-900} s; running anyway (numbers are noisy)" >&2
      break
    fi
    echo "bench/run.sh: load average $load >= $BENCH_MAX_LOAD, waiting 20 s" >&2
    sleep 20
  done
fi

exec "$py" "$here/bench/bench.py" "$@"
