#!/usr/bin/env python3
"""Where does `RUNTIME run` of /bin/true spend its time? runcs vs runc, phase by phase.

Called by bench/profile.sh. Three views, each over several interleaved runs:

1. perf stat (no tracing overhead): wall time, CPU time (task-clock of the whole
   process tree: runtime, helpers, container init), context switches, page faults.
2. strace -f -ttt -T --seccomp-bpf on a set of marker syscalls: a timeline of
   phases (medians over the runs, ms since the runtime's execve). strace slows
   every traced syscall (tens of us each), so the absolute numbers are inflated;
   the phase boundaries and the ordering are what count. Also the slowest single
   syscalls (by -T), which point at kernel-side waits (RCU grace periods, cgroup
   migration).
3. perf record -e cpu-clock -g over a loop of runs: the top symbols by sampled CPU
   time, split by process name (comm) and object (dso). runcs's symbols come from
   its .dbg file (obj/publish/runcs.dbg, matched by build-id).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

DEVNULL = subprocess.DEVNULL
TRACE = ("execve,clone,clone3,vfork,fork,exit_group,unshare,setns,mount,pivot_root,mkdir,mkdirat,rmdir,"
         "openat,memfd_create,sendfile,wait4,waitid,write,read,recvfrom,recvmsg,sendmsg,sendto,socketpair,"
         "fcntl,mknodat,kill,pidfd_send_signal")

LINE = re.compile(r"^(\d+)\s+(\d+\.\d+)\s+(.*)$")


def parse_strace(path):
    """[(pid, t, text, dur)] with '<unfinished ...>' and '<... resumed>' lines joined at the start time."""
    events, pending = [], {}
    for raw in open(path, errors="replace"):
        m = LINE.match(raw.rstrip("\n"))
        if not m:
            continue
        pid, t, text = int(m.group(1)), float(m.group(2)), m.group(3)
        if text.endswith("<unfinished ...>"):
            pending[pid] = (t, text[: -len("<unfinished ...>")])
            continue
        rm = re.match(r"<\.\.\. (\w+) resumed>(.*)$", text)
        if rm and pid in pending:
            t0, head = pending.pop(pid)
            text, t = head + rm.group(2), t0
        d = re.search(r"<(\d+\.\d+)>$", text)
        events.append((pid, t, text, float(d.group(1)) if d else 0.0))
    events.sort(key=lambda e: e[1])
    # Threads (Go's goroutines, .NET's helpers) count as their process: map tid -> tgid.
    tgid = {}
    for pid, t, text, d in events:
        m = re.match(r"clone3?\(.*CLONE_THREAD.*= (\d+)", text)
        if m:
            tgid[int(m.group(1))] = tgid.get(pid, pid)
    return [(tgid.get(pid, pid), t, text, d) for pid, t, text, d in events]


def phases(events, bundle):
    """Marker times (ms after the runtime's execve) from one strace of `run`."""
    parent, t0 = events[0][0], events[0][1]
    ms = lambda t: round((t - t0) * 1000, 3)
    mk = {}

    def first(name, pred, after=None):
        for pid, t, text, d in events:
            if after is not None and t < after:
                continue
            if pred(pid, text):
                mk.setdefault(name, t)
                return t
        return None

    def last(name, pred):
        hit = None
        for pid, t, text, d in events:
            if pred(pid, text):
                hit = t
        if hit is not None:
            mk[name] = hit
        return hit

    # The container process: whoever execs /bin/true.
    init = next((pid for pid, t, text, d in events if text.startswith('execve("/bin/true"')), None)
    first("config.json read", lambda p, s: s.startswith("openat(") and bundle + "/config.json" in s)
    first("state dir made", lambda p, s: p == parent and (s.startswith("mkdir(") or s.startswith("mkdirat(")) and "/sys/fs/cgroup" not in s)
    first("cgroup mkdir", lambda p, s: s.startswith("mkdir") and "/sys/fs/cgroup/" in s)
    first("helper spawned", lambda p, s: p == parent and re.match(r"(clone3?|vfork|fork)\(", s) and "CLONE_THREAD" not in s)
    first("helper execve", lambda p, s: p != parent and s.startswith("execve("))
    first("namespaces unshared", lambda p, s: s.startswith("unshare("))
    if init is not None:
        # The clone that made init (in its parent, or CLONE_PARENT'd from a helper).
        for pid, t, text, d in events:
            if re.match(r"(clone3?|vfork|fork)\(", text) and re.search(r"= %d( |$)" % init, text):
                mk["init forked"] = t
                break
        first("init gets config", lambda p, s: p == init and re.match(r"(read|recvfrom|recvmsg)\(\d+, \"\{", s) is not None)
        first("init first mount", lambda p, s: p == init and s.startswith("mount("))
        first("pivot_root", lambda p, s: p == init and s.startswith("pivot_root("))
        last("init last mount", lambda p, s: p == init and s.startswith("mount(") and not s.startswith('execve'))
        first("init ready", lambda p, s: p == init and s.startswith("write(") and ("ready" in s or "procReady" in s))
    last("start (fifo opened)", lambda p, s: p == parent and s.startswith("openat(") and "exec.fifo" in s)
    first("execve /bin/true", lambda p, s: s.startswith('execve("/bin/true"'))
    if init is not None:
        first("init exited", lambda p, s: p == init and s.startswith("+++ exited"))
    if "execve /bin/true" in mk:
        first("delete: cgroup rmdir", lambda p, s: s.startswith("rmdir(") and "/sys/fs/cgroup/" in s, after=mk["execve /bin/true"])
    first("runtime exited", lambda p, s: p == parent and s.startswith("+++ exited"))
    # Where the C-stage copy and cgroup joins show up.
    extra = {}
    for pid, t, text, d in events:
        if text.startswith("sendfile("):
            extra["sendfile (memfd copy) us"] = extra.get("sendfile (memfd copy) us", 0) + d * 1e6
        if text.startswith("fcntl(") and "F_DUPFD" in text:
            extra["fcntl F_DUPFD us"] = extra.get("fcntl F_DUPFD us", 0) + d * 1e6
        if text.startswith("write(") and re.match(r'write\(\d+, "\d+", \d+ ?\)', text):
            extra["pid writes (cgroup.procs) us"] = extra.get("pid writes (cgroup.procs) us", 0) + d * 1e6
    return {k: ms(v) for k, v in sorted(mk.items(), key=lambda kv: kv[1])}, extra, len(events)


def slow_syscalls(events, top=12):
    out = []
    for pid, t, text, d in events:
        if d > 0:
            name = text.split("(", 1)[0]
            arg = text.split("(", 1)[1][:70] if "(" in text else ""
            out.append((d * 1000, name, arg))
    out.sort(reverse=True)
    return out[:top]


INTERESTING = ("runcs_Runcs_", "OciRuntime_Spec_", "JsonSerializerOptions__GetTypeInfoInternal",
               "StartupCodeHelpers__InitializeModules", "WKS::GCHeap::Alloc")


def inclusive(perf, data, env, runs, top=14):
    """Inclusive CPU ms per run of runcs's own functions (and JSON metadata, startup, GC), by process name."""
    p = subprocess.run([perf, "script", "-i", data, "-F", "comm,ip,sym"], env=env, capture_output=True, text=True)
    per = {}
    comm, frames = None, set()

    def flush():
        if comm is None:
            return
        c = per.setdefault(comm, {"_samples": 0})
        c["_samples"] += 1
        for f in frames:
            c[f] = c.get(f, 0) + 1

    for line in p.stdout.splitlines():
        if not line.strip():
            flush()
            comm, frames = None, set()
        elif comm is None:
            comm = line.split()[0]
        else:
            parts = line.split(None, 1)
            sym = parts[1].strip() if len(parts) > 1 else ""
            if any(k in sym for k in INTERESTING):
                frames.add(re.sub(r"\s*\(.*$", "", sym)[:110])
    flush()
    out = {}
    for c, counts in sorted(per.items(), key=lambda kv: -kv[1]["_samples"])[:3]:
        rows = sorted(((n * 0.1 / runs, f) for f, n in counts.items() if f != "_samples"), reverse=True)[:top]
        out[c] = {"total_ms": round(counts["_samples"] * 0.1 / runs, 2), "top": [[round(ms, 2), f] for ms, f in rows]}
    return out


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runtimes", nargs="*", default=[os.path.join(here, "bin", "runcs"), "/usr/sbin/runc"])
    ap.add_argument("--runs", type=int, default=9, help="strace runs per runtime")
    ap.add_argument("--stat-runs", type=int, default=20, help="perf stat runs per runtime")
    ap.add_argument("--record-runs", type=int, default=20, help="runs per runtime under perf record")
    ap.add_argument("--dbg", default=os.path.join(here, "obj", "publish", "runcs.dbg"))
    ap.add_argument("--out", default=os.path.join(here, "bench", "results"))
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="runcs-profile-", dir="/tmp")
    os.chmod(work, 0o755)
    ts = time.strftime("%Y%m%d-%H%M%S")
    report = {"timestamp": ts, "load_start": list(os.getloadavg()), "runtimes": {}}
    rts = []
    for p in args.runtimes:
        p = os.path.abspath(p) if os.sep in p else (shutil.which(p) or p)
        name = os.path.basename(p)
        b = os.path.join(work, "bundle-" + name)
        env = dict(os.environ, RUNTIME_FOR_SPEC="/usr/sbin/runc")
        subprocess.run([os.path.join(here, "bundles", "make-bundle.sh"), b, "true"], env=env, check=True, stdout=DEVNULL)
        rts.append((name, p, b, os.path.join(work, "root-" + name)))
    seq = [0]

    def run_cmd(name, path, bundle, root):
        seq[0] += 1
        return [path, "--root", root, "run", "--bundle", bundle, "p%d-%s" % (seq[0], name)]

    perf = shutil.which("perf")
    try:
        # warm-up
        for r in rts:
            for _ in range(3):
                subprocess.run(run_cmd(*r), stdin=DEVNULL, stdout=DEVNULL)

        # 1. perf stat
        stat = {r[0]: [] for r in rts}
        if perf:
            for i in range(args.stat_runs):
                for r in (rts if i % 2 == 0 else rts[::-1]):
                    f = os.path.join(work, "stat.csv")
                    t0 = time.perf_counter_ns()
                    subprocess.run([perf, "stat", "-x,", "-o", f, "-e", "task-clock,context-switches,cpu-migrations,page-faults",
                                    "--", *run_cmd(*r)], stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL)
                    wall = (time.perf_counter_ns() - t0) / 1e6
                    row = {"wall_ms": wall}
                    for line in open(f):
                        parts = line.strip().split(",")
                        if len(parts) > 3 and parts[0] not in ("", "<not supported>", "<not counted>"):
                            row[parts[2]] = float(parts[0])
                    stat[r[0]].append(row)
        report["perf_stat"] = {n: {k: statistics.median([x[k] for x in rows if k in x]) for k in rows[0]}
                               for n, rows in stat.items() if rows}

        # 2. strace timelines
        timelines = {r[0]: [] for r in rts}
        extras = {r[0]: [] for r in rts}
        slow = {r[0]: [] for r in rts}
        counts = {r[0]: [] for r in rts}
        for i in range(args.runs):
            for r in (rts if i % 2 == 0 else rts[::-1]):
                f = os.path.join(work, "trace.txt")
                subprocess.run(["strace", "-f", "-ttt", "-T", "--seccomp-bpf", "-s", "48", "-e", "trace=" + TRACE, "-o", f,
                                "--", *run_cmd(*r)], stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL)
                ev = parse_strace(f)
                mk, extra, n = phases(ev, r[2])
                timelines[r[0]].append(mk)
                extras[r[0]].append(extra)
                counts[r[0]].append(n)
                slow[r[0]].extend(slow_syscalls(ev))
                if i == 0:
                    shutil.copy(f, os.path.join(work, "trace-%s.txt" % r[0]))
        report["timeline_ms"] = {}
        for name, runs in timelines.items():
            keys = []
            for run in runs:
                for k in run:
                    if k not in keys:
                        keys.append(k)
            med = {k: statistics.median([run[k] for run in runs if k in run]) for k in keys}
            report["timeline_ms"][name] = dict(sorted(med.items(), key=lambda kv: kv[1]))
            ex = {}
            for e in extras[name]:
                for k, v in e.items():
                    ex.setdefault(k, []).append(v)
            report["runtimes"][name] = {
                "traced_syscalls_median": statistics.median(counts[name]),
                "extra_us_median": {k: round(statistics.median(v), 1) for k, v in ex.items()},
            }
            agg = {}
            for d, sc, arg in slow[name]:
                key = sc + "(" + re.sub(r"\d{3,}", "N", arg)[:50]
                agg.setdefault(key, []).append(d)
            report["runtimes"][name]["slowest_syscalls_ms"] = sorted(
                ((round(statistics.median(v), 2), len(v), k) for k, v in agg.items() if len(v) >= max(2, args.runs // 2)),
                reverse=True)[:10]

        # 3. perf record
        if perf:
            phome = os.path.join(work, "perfhome")
            os.makedirs(phome, exist_ok=True)
            penv = dict(os.environ, HOME=phome)
            if os.path.exists(args.dbg):
                subprocess.run([perf, "buildid-cache", "-a", args.dbg], env=penv, stdout=DEVNULL, stderr=DEVNULL)
            report["perf_record"] = {}
            for r in rts:
                script = os.path.join(work, "loop-%s.sh" % r[0])
                with open(script, "w") as f:
                    f.write("#!/bin/sh\n")
                    for _ in range(args.record_runs):
                        f.write(" ".join(run_cmd(*r)) + " </dev/null >/dev/null\n")
                os.chmod(script, 0o755)
                data = os.path.join(work, "perf-%s.data" % r[0])
                subprocess.run([perf, "record", "-q", "-g", "-o", data, "-e", "cpu-clock", "-F", "10000", "--buildid-mmap",
                                "--", script], env=penv, stdout=DEVNULL, stderr=DEVNULL)
                out = {}
                for sort in ("comm,dso", "dso,sym"):
                    p = subprocess.run([perf, "report", "-i", data, "--no-children", "-g", "none", "--sort", sort, "--stdio",
                                        "--percent-limit", "0.7"], env=penv, capture_output=True, text=True)
                    rows = [l.strip() for l in p.stdout.splitlines() if l.strip() and not l.startswith("#")]
                    out[sort] = rows[:40]
                cnt = subprocess.run([perf, "script", "-i", data, "-F", "comm"], env=penv, capture_output=True, text=True)
                out["samples"] = len(cnt.stdout.splitlines())
                out["inclusive_ms_per_run"] = inclusive(perf, data, penv, args.record_runs)
                out["sample_period_us"] = 100
                out["cpu_ms_per_run"] = round(out["samples"] * 0.1 / args.record_runs, 2)
                report["perf_record"][r[0]] = out
    finally:
        for name, path, bundle, root in rts:
            p = subprocess.run([path, "--root", root, "list", "-q"], capture_output=True, text=True)
            for cid in p.stdout.split():
                subprocess.run([path, "--root", root, "delete", "--force", cid], stdout=DEVNULL, stderr=DEVNULL)
        keep = os.path.join(args.out, "profile-%s" % ts)
        os.makedirs(keep, exist_ok=True)
        for f in os.listdir(work):
            if f.startswith("trace-"):
                shutil.copy(os.path.join(work, f), keep)
        shutil.rmtree(work, ignore_errors=True)

    report["load_end"] = list(os.getloadavg())
    # Print
    print("load average: start %s, end %s" % (report["load_start"][0], report["load_end"][0]))
    print("\n## perf stat (medians over %d runs each; CPU = whole process tree)" % args.stat_runs)
    for n, s in report.get("perf_stat", {}).items():
        print("  %-8s wall %.1f ms  task-clock %.1f ms  ctx-switches %d  migrations %d  page-faults %d" % (
            n, s.get("wall_ms", 0), s.get("task-clock", 0), s.get("context-switches", 0), s.get("cpu-migrations", 0),
            s.get("page-faults", 0)))
    print("\n## strace timeline (ms since execve, median of %d runs; strace inflates every traced syscall)" % args.runs)
    names = [r[0] for r in rts]
    keys = []
    for n in names:
        for k in report["timeline_ms"][n]:
            if k not in keys:
                keys.append(k)
    keys.sort(key=lambda k: report["timeline_ms"][names[0]].get(k, 1e9))
    print("  %-24s" % "marker" + "".join("%12s" % n for n in names))
    for k in keys:
        print("  %-24s" % k + "".join("%12s" % ("%.1f" % report["timeline_ms"][n][k] if k in report["timeline_ms"][n] else "-")
                                        for n in names))
    for n in names:
        print("\n  %s: traced syscalls %d; %s" % (n, report["runtimes"][n]["traced_syscalls_median"],
                                                 report["runtimes"][n]["extra_us_median"]))
        print("  slowest syscalls (median ms, count, call):")
        for d, c, k in report["runtimes"][n]["slowest_syscalls_ms"]:
            print("     %7.2f %3d  %s" % (d, c, k))
    for n, out in report.get("perf_record", {}).items():
        print("\n## perf record %s: %s samples of 100 us = %.1f ms CPU per run" % (n, out["samples"], out["cpu_ms_per_run"]))
        for sort in ("comm,dso", "dso,sym"):
            print("  by %s:" % sort)
            for l in out[sort][:18 if sort == "dso,sym" else 10]:
                print("     " + l[:130])
        for c, v in out.get("inclusive_ms_per_run", {}).items():
            if not v["top"]:
                continue
            print("  inclusive CPU per run, process %s (%.1f ms in all):" % (c, v["total_ms"]))
            for ms, f in v["top"]:
                print("     %6.2f ms  %s" % (ms, f))
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "profile-%s.json" % ts)
    with open(path, "w") as f:
        json.dump(report, f, indent=1)
    print("\njson: %s\ntraces: %s" % (path, os.path.join(args.out, "profile-%s" % ts)))


if __name__ == "__main__":
    main()
