#!/usr/bin/env python3
"""runcs vs runc (vs any other OCI runtime): start-up latency, throughput and memory.

Called by bench/run.sh (which checks the machine and installs what is missing);
see the usage text there. Every runtime runs the same busybox bundle (made with
bundles/make-bundle.sh from `runc spec`, terminal false), with its own --root,
in the same run, interleaved: each round runs every runtime once, and the order
rotates from round to round, so drift in machine load hits all of them alike.

Clock: time.perf_counter_ns() (CLOCK_MONOTONIC) around a subprocess call, so
every number includes the harness's fork+exec+wait of the runtime command
(about 1 ms; the "spawn /bin/true" row measures exactly that overhead).

Memory:
  * "run true: max RSS of tree" is `/usr/bin/time -f %M` on the `run` command
    (ru_maxrss from wait4, with GNU time's ~1 MB as the fork's starting point): the largest peak RSS of any single
    process among the runtime command and the descendants it waited for. For a
    foreground `run` that includes the container's init, whose peak covers its
    life before execve (the runtime's init code) as well as after (busybox
    true); it is a maximum, not a sum.
  * "create: max RSS of CLI" is the same for `create`, whose init is not
    waited for: the runtime command plus its short-lived bootstrap helpers.
  * "init before start: VmHWM/VmRSS" read from /proc/<init>/status while the
    created container's init waits for `start` (this is the runtime's own code
    running inside the container), and "init cgroup charge" is the container
    cgroup's memory usage at that moment (memory.usage_in_bytes on cgroup v1,
    memory.current on v2) and its peak since creation (max_usage_in_bytes /
    memory.peak): what the container's memory limit has to pay for before the
    user's program even starts.
  * "memory floor" is the smallest linux.resources.memory.limit (swap = limit)
    at which `run` of true still exits 0, by bisection on 4 KiB pages between
    64 KiB and 64 MiB.
"""

import argparse
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

DEVNULL = subprocess.DEVNULL
KIB = 1024
MIB = 1024 * 1024


def now_ns():
    return time.perf_counter_ns()


def blocking_wait(p, timeout, t0):
    """Waits for p in a blocking waitpid (exact end time), killing it after timeout seconds
    (p.timed_out is then True). Returns the elapsed ms since t0 (ns)."""
    import threading

    def kill():
        p.timed_out = True
        try:
            p.kill()
        except OSError:
            pass
    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        p.wait()
    finally:
        timer.cancel()
    return (now_ns() - t0) / 1e6


def summarize(samples):
    """median/min/max/mean of a list of numbers (None entries are failures and are dropped)."""
    ok = [s for s in samples if s is not None]
    if not ok:
        return {"n": 0, "failures": len(samples), "samples": samples}
    return {
        "n": len(ok),
        "failures": len(samples) - len(ok),
        "median": statistics.median(ok),
        "min": min(ok),
        "max": max(ok),
        "mean": statistics.fmean(ok),
        "stdev": statistics.stdev(ok) if len(ok) > 1 else 0.0,
        "samples": samples,
    }


class Runtime:
    def __init__(self, name, path, work):
        self.name = name
        self.path = path
        self.root = os.path.join(work, "root-" + name)
        self.bundles = {}
        self.errlog_path = os.path.join(work, "stderr-" + name + ".log")
        self.errlog = open(self.errlog_path, "ab", buffering=0)
        os.makedirs(self.root, mode=0o700, exist_ok=True)
        self.version = ""

    def cmd(self, *args):
        return [self.path, "--root", self.root, *args]

    def last_error(self):
        try:
            with open(self.errlog_path, "rb") as f:
                f.seek(max(0, os.path.getsize(self.errlog_path) - 600))
                return f.read().decode("utf-8", "replace").strip().splitlines()[-3:]
        except OSError:
            return []


class Bench:
    def __init__(self, args):
        self.args = args
        self.here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.tag = "%06x" % random.randrange(1 << 24)
        self.work = tempfile.mkdtemp(prefix="runcs-bench-%s-" % self.tag, dir="/tmp")
        os.chmod(self.work, 0o755)
        self.seq = 0
        self.runtimes = []
        names = set()
        for path in args.runtimes:
            path = os.path.abspath(path) if os.sep in path else (shutil.which(path) or path)
            base = os.path.basename(path)
            name, i = base, 2
            while name in names:
                name, i = "%s%d" % (base, i), i + 1
            names.add(name)
            self.runtimes.append(Runtime(name, path, self.work))
        # The baseline of every ratio: the runtime called runc, else the last one.
        self.base = next((r for r in self.runtimes if r.name == "runc"), self.runtimes[-1])
        self.results = {}
        self.notes = {}
        self.log_lines = []

    # ---------------------------------------------------------------- helpers

    def say(self, msg):
        print(msg, flush=True)

    def new_id(self, rt, what):
        self.seq += 1
        return "b%s-%s-%s-%d" % (self.tag, rt.name, what, self.seq)

    def call(self, rt, args, timeout=60.0):
        """Runs one runtime command; returns (elapsed ms, rc). rc is None on timeout.
        The wait blocks in waitpid: Popen.wait(timeout=...) polls with sleeps that double
        from 0.5 ms to 50 ms, which rounded every time up to ~32 or ~64 ms."""
        cmd = rt.cmd(*args)
        t0 = now_ns()
        p = subprocess.Popen(cmd, stdin=DEVNULL, stdout=DEVNULL, stderr=rt.errlog)
        return (blocking_wait(p, timeout, t0), p.returncode if p.returncode is not None and not getattr(p, "timed_out", False) else None)

    def must(self, rt, args, timeout=60.0):
        ms, rc = self.call(rt, args, timeout)
        if rc != 0:
            raise RuntimeError("%s %s: exit %s: %s" % (rt.name, " ".join(args), rc, " | ".join(rt.last_error())))
        return ms

    def output(self, rt, args, timeout=30.0):
        p = subprocess.run(rt.cmd(*args), stdin=DEVNULL, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")

    def state(self, rt, cid):
        rc, out = self.output(rt, ["state", cid])
        if rc != 0:
            return None
        return json.loads(out)

    def force_delete(self, rt, cid):
        self.call(rt, ["delete", "--force", cid], timeout=60)

    def order(self, rnd, items=None):
        items = list(items if items is not None else self.runtimes)
        k = rnd % len(items)
        return items[k:] + items[:k]

    def make_bundles(self):
        mk = os.path.join(self.here, "bundles", "make-bundle.sh")
        env = dict(os.environ, RUNTIME_FOR_SPEC=self.args.spec_runtime)
        for rt in self.runtimes:
            for kind, argv in (("true", ["true"]), ("sleep", ["sleep", "3600"]), ("mem", ["true"])):
                d = os.path.join(self.work, "bundles", rt.name, kind)
                subprocess.run([mk, d, *argv], env=env, check=True, stdout=DEVNULL)
                cfg_path = os.path.join(d, "config.json")
                with open(cfg_path) as f:
                    cfg = json.load(f)
                cfg["process"]["terminal"] = False
                with open(cfg_path, "w") as f:
                    json.dump(cfg, f, indent=1)
                rt.bundles[kind] = d
            rc, out = self.output(rt, ["--version"])
            rt.version = out.strip().splitlines()[0] if out.strip() else "?"
            rt.sha256 = self.digest(rt.path)

    @staticmethod
    def digest(path):
        """sha256 of a binary: others may rebuild it while the benchmark runs."""
        import hashlib
        try:
            with open(path, "rb") as f:
                return hashlib.sha256(f.read()).hexdigest()[:16]
        except OSError:
            return "?"

    def record(self, metric, unit, per_runtime, extra=None, better="lower"):
        entry = {"unit": unit, "better": better, "runtimes": {}}
        for name, samples in per_runtime.items():
            entry["runtimes"][name] = summarize(samples)
        if extra:
            entry.update(extra)
        self.results[metric] = entry

    # ------------------------------------------------------------ the tests

    def test_run_true(self):
        """1 and 7: `run` of /bin/true, the unshare floor and the harness's spawn overhead, interleaved."""
        n = self.args.rounds
        floor_cmd = ["unshare", "--fork", "--pid", "--mount", "--uts", "--ipc", "--net", "--cgroup", "true"]
        entries = [("rt", rt) for rt in self.runtimes] + [("unshare", None), ("spawn", None)]
        samples = {rt.name: [] for rt in self.runtimes}
        floor, spawn = [], []

        def one(kind, rt):
            if kind == "rt":
                cid = self.new_id(rt, "run")
                ms, rc = self.call(rt, ["run", "--bundle", rt.bundles["true"], cid])
                if rc != 0:
                    self.force_delete(rt, cid)
                    self.say("  %s run failed (rc %s): %s" % (rt.name, rc, rt.last_error()))
                    return None
                return ms
            cmd = floor_cmd if kind == "unshare" else ["/bin/true"]
            t0 = now_ns()
            rc = subprocess.run(cmd, stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL).returncode
            return (now_ns() - t0) / 1e6 if rc == 0 else None

        for _ in range(self.args.warmup):
            for kind, rt in entries:
                one(kind, rt)
        for r in range(n):
            for kind, rt in self.order(r, entries):
                ms = one(kind, rt)
                if kind == "rt":
                    samples[rt.name].append(ms)
                elif kind == "unshare":
                    floor.append(ms)
                else:
                    spawn.append(ms)
        self.record("run_true", "ms", samples)
        self.results["floor_unshare"] = {"unit": "ms", "command": " ".join(floor_cmd), "summary": summarize(floor)}
        self.results["floor_spawn_true"] = {"unit": "ms", "command": "/bin/true (harness fork+exec+wait)",
                                            "summary": summarize(spawn)}

    def wait_stopped(self, pid, timeout=10.0):
        """Until pid is gone or a zombie (its reaper may be slow); True when it got there."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                with open("/proc/%d/stat" % pid) as f:
                    st = f.read().rsplit(")", 1)[1].split()[0]
                if st in ("Z", "X"):
                    return True
            except (FileNotFoundError, ProcessLookupError, IndexError):
                return True
            time.sleep(0.001)
        return False

    def test_lifecycle(self):
        """2: create, state, start, delete of a `true` container, each timed on its own."""
        ops = ["create", "state", "start", "delete"]
        samples = {op: {rt.name: [] for rt in self.runtimes} for op in ops}

        def one(rt):
            cid = self.new_id(rt, "life")
            t = {}
            try:
                t["create"], rc = self.call(rt, ["create", "--bundle", rt.bundles["true"], cid])
                if rc != 0:
                    raise RuntimeError("create rc %s: %s" % (rc, rt.last_error()))
                t0 = now_ns()
                rc, out = self.output(rt, ["state", cid])
                t["state"] = (now_ns() - t0) / 1e6
                pid = json.loads(out)["pid"]
                t["start"], rc = self.call(rt, ["start", cid])
                if rc != 0:
                    raise RuntimeError("start rc %s: %s" % (rc, rt.last_error()))
                if not self.wait_stopped(pid):
                    raise RuntimeError("init %d did not exit after start" % pid)
                t["delete"], rc = self.call(rt, ["delete", cid])
                if rc != 0:
                    raise RuntimeError("delete rc %s: %s" % (rc, rt.last_error()))
                return t
            except (RuntimeError, ValueError, KeyError) as e:
                self.say("  %s lifecycle failed: %s" % (rt.name, e))
                self.force_delete(rt, cid)
                return None

        for _ in range(self.args.warmup):
            for rt in self.runtimes:
                one(rt)
        for r in range(self.args.rounds):
            for rt in self.order(r):
                t = one(rt)
                for op in ops:
                    samples[op][rt.name].append(t[op] if t else None)
        for op in ops:
            self.record(op, "ms", samples[op])

    def test_exec(self):
        """3: `exec true` into a running sleep container."""
        cids = {}
        samples = {rt.name: [] for rt in self.runtimes}
        try:
            for rt in self.runtimes:
                cid = self.new_id(rt, "exec")
                cids[rt.name] = cid
                self.must(rt, ["run", "-d", "--bundle", rt.bundles["sleep"], cid])
            for _ in range(self.args.warmup):
                for rt in self.runtimes:
                    self.call(rt, ["exec", cids[rt.name], "true"])
            for r in range(self.args.rounds):
                for rt in self.order(r):
                    ms, rc = self.call(rt, ["exec", cids[rt.name], "true"])
                    if rc != 0:
                        self.say("  %s exec failed (rc %s): %s" % (rt.name, rc, rt.last_error()))
                    samples[rt.name].append(ms if rc == 0 else None)
        finally:
            for rt in self.runtimes:
                if rt.name in cids:
                    self.force_delete(rt, cids[rt.name])
        self.record("exec_true", "ms", samples)

    def test_sequential(self):
        """4a: N containers one after another (`run` true each), total time."""
        n, rounds = self.args.seq, self.args.seq_rounds
        samples = {rt.name: [] for rt in self.runtimes}
        fails = {rt.name: 0 for rt in self.runtimes}
        for r in range(rounds):
            for rt in self.order(r):
                t0 = now_ns()
                bad = 0
                for _ in range(n):
                    cid = self.new_id(rt, "seq")
                    _, rc = self.call(rt, ["run", "--bundle", rt.bundles["true"], cid])
                    if rc != 0:
                        bad += 1
                        self.force_delete(rt, cid)
                samples[rt.name].append((now_ns() - t0) / 1e9)
                fails[rt.name] += bad
        self.record("seq_%d_total" % n, "s", samples,
                    extra={"containers": n, "rounds": rounds, "failed_runs": fails})

    def test_parallel(self):
        """4b: N `run -d` sleep containers at once; all must succeed; then N `delete --force` at once."""
        n, rounds = self.args.par, self.args.par_rounds
        t_up = {rt.name: [] for rt in self.runtimes}
        t_down = {rt.name: [] for rt in self.runtimes}
        ok = {rt.name: [] for rt in self.runtimes}

        def burst(rt, argv_of):
            procs = []
            t0 = now_ns()
            for cid in argv_of:
                procs.append(subprocess.Popen(rt.cmd(*cid), stdin=DEVNULL, stdout=DEVNULL, stderr=rt.errlog))
            rcs = []
            for p in procs:
                blocking_wait(p, 120, t0)
                rcs.append(None if getattr(p, "timed_out", False) else p.returncode)
            return (now_ns() - t0) / 1e9, rcs

        for r in range(rounds):
            for rt in self.order(r):
                cids = [self.new_id(rt, "par") for _ in range(n)]
                try:
                    secs, rcs = burst(rt, [["run", "-d", "--bundle", rt.bundles["sleep"], c] for c in cids])
                    good = 0
                    for c, rc in zip(cids, rcs):
                        st = self.state(rt, c) if rc == 0 else None
                        if st and st.get("status") == "running":
                            good += 1
                    ok[rt.name].append(good)
                    t_up[rt.name].append(secs)
                    if good < n:
                        self.say("  %s: %d of %d concurrent run -d succeeded: %s" % (rt.name, good, n, rt.last_error()))
                    secs, rcs = burst(rt, [["delete", "--force", c] for c in cids])
                    t_down[rt.name].append(secs if all(rc == 0 for rc in rcs) else None)
                finally:
                    for c in cids:
                        if os.path.exists(os.path.join(rt.root, c)):
                            self.force_delete(rt, c)
        self.record("par_%d_run_d_total" % n, "s", t_up, extra={"containers": n, "rounds": rounds})
        self.record("par_%d_delete_force_total" % n, "s", t_down, extra={"containers": n, "rounds": rounds})
        self.record("par_%d_success" % n, "count", ok, better="higher")

    @staticmethod
    def read_status(pid):
        out = {}
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem", "Threads"):
                    out[k] = int(v.split()[0])
        return out

    @staticmethod
    def cgroup_memory(pid, cid):
        """(usage KiB, peak KiB) of the container's memory cgroup, v1 or v2; None where unknown.
        Found through init's: a runtime whose init joins the memory cgroup only at execve
        (runcs on v1) has init still in the parent, where the container's is the child <cid>."""
        with open("/proc/%d/cgroup" % pid) as f:
            lines = f.read().splitlines()
        for line in lines:
            _, ctrls, path = line.split(":", 2)
            if "memory" in ctrls.split(","):
                d = "/sys/fs/cgroup/memory" + path
                if os.path.basename(path) != cid and os.path.isdir(os.path.join(d, cid)):
                    d = os.path.join(d, cid)
                files = ("memory.usage_in_bytes", "memory.max_usage_in_bytes")
                break
        else:
            path = next(l.split(":", 2)[2] for l in lines if l.startswith("0::"))
            d = "/sys/fs/cgroup" + path
            if not os.path.isdir(d):
                d = "/sys/fs/cgroup/unified" + path
            files = ("memory.current", "memory.peak")
        vals = []
        for name in files:
            try:
                with open(os.path.join(d, name)) as f:
                    vals.append(int(f.read().split()[0]) // KIB)
            except (OSError, ValueError):
                vals.append(None)
        return vals[0], vals[1]

    def test_rss(self):
        """5: peak RSS of the runtime's processes."""
        rounds = self.args.rss_rounds
        keys = ["rss_run_tree_kb", "rss_create_cli_kb", "init_vmhwm_kb", "init_vmrss_kb",
                "init_rss_anon_kb", "init_cgroup_usage_kb", "init_cgroup_peak_kb"]
        s = {k: {rt.name: [] for rt in self.runtimes} for k in keys}

        # Through GNU time, not wait4 here: a child forked (or vforked) by this Python
        # process starts with Python's RSS as its high-water mark, and exec keeps it.
        out = os.path.join(self.work, "maxrss")

        def maxrss_of(rt, args):
            rc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out, *rt.cmd(*args)],
                                stdin=DEVNULL, stdout=DEVNULL, stderr=rt.errlog).returncode
            try:
                with open(out) as f:
                    return int(f.read().split()[-1]), rc
            except (OSError, ValueError, IndexError):
                return None, rc

        for r in range(rounds):
            for rt in self.order(r):
                cid = self.new_id(rt, "rss")
                kb, rc = maxrss_of(rt, ["run", "--bundle", rt.bundles["true"], cid])
                s["rss_run_tree_kb"][rt.name].append(kb if rc == 0 else None)
                if rc != 0:
                    self.force_delete(rt, cid)
                cid = self.new_id(rt, "rssc")
                kb, rc = maxrss_of(rt, ["create", "--bundle", rt.bundles["sleep"], cid])
                s["rss_create_cli_kb"][rt.name].append(kb if rc == 0 else None)
                got = {}
                try:
                    if rc == 0:
                        pid = self.state(rt, cid)["pid"]
                        st = self.read_status(pid)
                        got = {"init_vmhwm_kb": st.get("VmHWM"), "init_vmrss_kb": st.get("VmRSS"),
                               "init_rss_anon_kb": st.get("RssAnon")}
                        got["init_cgroup_usage_kb"], got["init_cgroup_peak_kb"] = self.cgroup_memory(pid, cid)
                        if r == 0:
                            self.notes.setdefault("init_status", {})[rt.name] = st
                except (OSError, TypeError, KeyError, StopIteration) as e:
                    self.say("  %s: could not read init's memory: %s" % (rt.name, e))
                finally:
                    self.force_delete(rt, cid)
                for k in keys[2:]:
                    s[k][rt.name].append(got.get(k))
        for k in keys:
            self.record(k, "KiB", s[k])

    def test_memory_floor(self):
        """6: the smallest memory limit (swap = limit) at which `run` true exits 0, by bisection."""
        page = 4 * KIB
        lo_b, hi_b = 64 * KIB, 64 * MIB

        def trial(rt, limit):
            d = rt.bundles["mem"]
            cfg_path = os.path.join(d, "config.json")
            with open(cfg_path) as f:
                cfg = json.load(f)
            cfg.setdefault("linux", {}).setdefault("resources", {})["memory"] = {"limit": limit, "swap": limit}
            with open(cfg_path, "w") as f:
                json.dump(cfg, f, indent=1)
            cid = self.new_id(rt, "mem")
            _, rc = self.call(rt, ["run", "--bundle", d, cid], timeout=30)
            if rc != 0:
                self.force_delete(rt, cid)
            return rc == 0

        st = {}
        for rt in self.runtimes:
            st[rt.name] = {"lo": lo_b // page, "hi": hi_b // page, "done": False, "trials": [], "result": None}
        # Ends first: if 64 MiB fails there is no floor to find; if 64 KiB works, the floor is below the range.
        for rt in self.runtimes:
            x = st[rt.name]
            ok_hi = trial(rt, hi_b)
            x["trials"].append([hi_b, ok_hi])
            if not ok_hi:
                x.update(done=True, result=None, note="fails even at 64 MiB: %s" % rt.last_error())
                continue
            ok_lo = trial(rt, lo_b)
            x["trials"].append([lo_b, ok_lo])
            if ok_lo:
                x.update(done=True, result=lo_b, note="works at 64 KiB (the bottom of the range)")
        r = 0
        while not all(x["done"] for x in st.values()):
            for rt in self.order(r):
                x = st[rt.name]
                if x["done"]:
                    continue
                if x["hi"] - x["lo"] <= 1:
                    x.update(done=True, result=x["hi"] * page)
                    continue
                mid = (x["lo"] + x["hi"]) // 2
                ok = trial(rt, mid * page)
                x["trials"].append([mid * page, ok])
                if ok:
                    x["hi"] = mid
                else:
                    x["lo"] = mid
            r += 1
        # The boundary is not sharp (page cache, timing): re-run at the floor and one page below.
        for rt in self.runtimes:
            x = st[rt.name]
            if x["result"] is None:
                continue
            at = [trial(rt, x["result"]) for _ in range(3)]
            below = [trial(rt, x["result"] - page) for _ in range(3)] if x["result"] > lo_b else []
            x["recheck_at_floor_ok"] = sum(at)
            x["recheck_one_page_below_ok"] = sum(below)
        self.results["memory_floor"] = {
            "unit": "KiB", "better": "lower",
            "runtimes": {name: {"median": (x["result"] // KIB) if x["result"] else None,
                                "min": (x["result"] // KIB) if x["result"] else None,
                                "max": (x["result"] // KIB) if x["result"] else None,
                                "n": 1,
                                "trials": x["trials"],
                                "recheck_at_floor_ok_of_3": x.get("recheck_at_floor_ok"),
                                "recheck_one_page_below_ok_of_3": x.get("recheck_one_page_below_ok"),
                                "note": x.get("note", "")}
                         for name, x in st.items()},
        }

    # ------------------------------------------------------------ output

    def machine(self):
        m = {"nproc": os.cpu_count(), "kernel": " ".join(os.uname()[2:4]), "hostname": os.uname()[1]}
        try:
            with open("/proc/cpuinfo") as f:
                m["cpu"] = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
        except (OSError, StopIteration):
            pass
        try:
            with open("/proc/meminfo") as f:
                m["mem_total_kb"] = int(next(l for l in f if l.startswith("MemTotal")).split()[1])
        except (OSError, StopIteration):
            pass
        m["cgroup"] = "v2" if os.path.exists("/sys/fs/cgroup/cgroup.controllers") else "v1"
        return m

    def table(self):
        rts = self.runtimes
        others = [r for r in rts if r is not self.base]
        labels = {
            "run_true": "run /bin/true (create+start+wait+delete)",
            "create": "create",
            "state": "state (created container)",
            "start": "start",
            "delete": "delete (stopped container)",
            "exec_true": "exec true (into running container)",
            "seq_%d_total" % self.args.seq: "%d x run true, in sequence (total)" % self.args.seq,
            "par_%d_run_d_total" % self.args.par: "%d x run -d at once (total)" % self.args.par,
            "par_%d_success" % self.args.par: "%d x run -d at once: running" % self.args.par,
            "par_%d_delete_force_total" % self.args.par: "%d x delete --force at once (total)" % self.args.par,
            "rss_run_tree_kb": "run true: max RSS in tree (time %M)",
            "rss_create_cli_kb": "create: max RSS of CLI (+helpers)",
            "init_vmhwm_kb": "init before start: VmHWM",
            "init_vmrss_kb": "init before start: VmRSS",
            "init_rss_anon_kb": "init before start: RssAnon",
            "init_cgroup_usage_kb": "init before start: cgroup usage",
            "init_cgroup_peak_kb": "init before start: cgroup peak",
            "memory_floor": "memory floor: smallest limit for true",
        }

        def fmt(v, unit):
            if v is None:
                return "-"
            if unit == "ms":
                return "%.1f" % v
            if unit == "s":
                return "%.2f" % v
            return "%d" % v

        def cell(summary, unit):
            if not summary or summary.get("median") is None:
                return "FAILED" if summary else "-"
            c = fmt(summary["median"], unit)
            if summary.get("n", 1) > 1:
                c += " (%s-%s)" % (fmt(summary["min"], unit), fmt(summary["max"], unit))
            if summary.get("failures"):
                c += " !%dfail" % summary["failures"]
            return c

        head = ["metric", "unit"] + ["%s median (min-max)" % r.name for r in rts] + \
               ["%s/%s" % (r.name, self.base.name) for r in others]
        rows = []
        self.ratios = {}
        for key, label in labels.items():
            e = self.results.get(key)
            if not e:
                continue
            row = [label, e["unit"]] + [cell(e["runtimes"].get(r.name), e["unit"]) for r in rts]
            b = e["runtimes"].get(self.base.name, {}).get("median")
            for r in others:
                v = e["runtimes"].get(r.name, {}).get("median")
                if v is not None and b:
                    ratio = v / b
                    self.ratios.setdefault(key, {})["%s/%s" % (r.name, self.base.name)] = ratio
                    row.append("%.2f" % ratio)
                else:
                    row.append("-")
            rows.append(row)
        for key, label in (("floor_unshare", "floor: unshare --fork --pid --mount --uts --ipc --net --cgroup true"),
                           ("floor_spawn_true", "floor: harness spawn of /bin/true")):
            e = self.results.get(key)
            if e:
                rows.append([label, e["unit"], cell(e["summary"], e["unit"])] + [""] * (len(rts) - 1 + len(others)))
        widths = [max(len(str(x[i])) for x in [head] + rows) for i in range(len(head))]
        out = []
        out.append("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
        out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in rows:
            out.append("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
        return "\n".join(out)

    def chart(self, png):
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            self.say("matplotlib is missing: no chart (bench/run.sh installs python3-matplotlib)")
            return None
        keys = [k for k in self.ratios]
        if not keys:
            return None
        pairs = sorted({p for k in keys for p in self.ratios[k]})
        fig, ax = plt.subplots(figsize=(10, 0.45 * len(keys) * max(1, len(pairs)) + 1.8))
        h = 0.8 / len(pairs)
        for j, pair in enumerate(pairs):
            ys = [i + j * h for i in range(len(keys))]
            vals = [self.ratios[k].get(pair, 0) for k in keys]
            # Red: worse than the baseline by more than 5 %, green: better (for counts, higher is better).
            worse = [(v < 0.95) if self.results[k].get("better") == "higher" else (v > 1.05) for k, v in zip(keys, vals)]
            better = [(v > 1.05) if self.results[k].get("better") == "higher" else (v < 0.95) for k, v in zip(keys, vals)]
            colors = ["#c0392b" if w else "#27ae60" if b else "#7f8c8d" for w, b in zip(worse, better)]
            bars = ax.barh(ys, vals, height=h, color=colors, label=pair)
            for b, v in zip(bars, vals):
                ax.text(b.get_width(), b.get_y() + b.get_height() / 2, " %.2f" % v, va="center", fontsize=8)
        ax.set_yticks([i + (len(pairs) - 1) * h / 2 for i in range(len(keys))])
        ax.set_yticklabels(keys, fontsize=8)
        ax.invert_yaxis()
        ax.axvline(1.0, color="black", linewidth=1)
        ax.set_xlim(0, max(2.0, max(v for k in keys for v in self.ratios[k].values()) * 1.12))
        ax.set_xlabel("ratio of medians, %s (below 1: faster / smaller than %s; counts: higher is better)"
                      % (", ".join(pairs), self.base.name))
        load = self.meta.get("load_start")
        ax.set_title("runcs bench %s - %s, %s cpus, load %.2f -> %.2f" % (
            self.meta["timestamp"], self.meta["machine"]["kernel"].split()[0], self.meta["machine"]["nproc"],
            load[0], self.meta.get("load_end", [0])[0]), fontsize=9)
        fig.tight_layout()
        fig.savefig(png, dpi=110)
        plt.close(fig)
        return png

    # ------------------------------------------------------------ driver

    def cleanup(self):
        for rt in self.runtimes:
            try:
                rc, out = self.output(rt, ["list", "-q"])
                for cid in out.split():
                    self.force_delete(rt, cid)
            except (OSError, subprocess.SubprocessError):
                pass
        # Container processes still rooted in our bundles (a runtime that failed to clean up): ours, end them.
        bundles = os.path.join(self.work, "bundles")
        for p in os.listdir("/proc"):
            if not p.isdigit():
                continue
            try:
                if os.readlink("/proc/%s/root" % p).startswith(bundles):
                    self.say("cleanup: killing leftover container process %s" % p)
                    os.kill(int(p), signal.SIGKILL)
            except OSError:
                pass
        # Leftover cgroups named after our ids.
        for top in ("/sys/fs/cgroup",):
            for dirpath, dirnames, _ in os.walk(top):
                if dirpath.count("/") > 8:
                    dirnames[:] = []
                    continue
                for d in list(dirnames):
                    if ("b" + self.tag) in d:
                        try:
                            os.rmdir(os.path.join(dirpath, d))
                            self.say("cleanup: removed leftover cgroup %s" % os.path.join(dirpath, d))
                        except OSError as e:
                            self.say("cleanup: leftover cgroup %s: %s" % (os.path.join(dirpath, d), e))
                        dirnames.remove(d)
        for rt in self.runtimes:
            rt.errlog.close()
            left = os.listdir(rt.root) if os.path.isdir(rt.root) else []
            if left:
                self.say("cleanup: %s --root still has %s" % (rt.name, left))
        if self.args.keep_work:
            self.say("kept %s" % self.work)
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def run(self):
        ts = time.strftime("%Y%m%d-%H%M%S")
        self.meta = {"timestamp": ts, "machine": self.machine(), "load_start": list(os.getloadavg()),
                     "config": {k: v for k, v in vars(self.args).items() if k not in ("runtimes",)}}
        m = self.meta["machine"]
        self.say("machine: %s cpus (%s), kernel %s, cgroup %s, load average %s" % (
            m["nproc"], m.get("cpu", "?"), m["kernel"], m["cgroup"],
            " ".join("%.2f" % x for x in self.meta["load_start"])))
        t_start = time.monotonic()
        tests = [("run", "run true + floors", self.test_run_true),
                 ("lifecycle", "create / state / start / delete", self.test_lifecycle),
                 ("exec", "exec true", self.test_exec),
                 ("seq", "sequential containers", self.test_sequential),
                 ("par", "concurrent containers", self.test_parallel),
                 ("rss", "memory (RSS)", self.test_rss),
                 ("memfloor", "memory-limit floor (bisection)", self.test_memory_floor)]
        only = set(self.args.only.split(",")) if self.args.only else None
        try:
            self.make_bundles()
            for rt in self.runtimes:
                self.say("runtime %s: %s (%s, sha256 %s), --root %s" % (rt.name, rt.path, rt.version, rt.sha256, rt.root))
            for key, title, fn in tests:
                if only and key not in only:
                    continue
                t0 = time.monotonic()
                self.say("== %s ..." % title)
                fn()
                self.say("   %.1f s" % (time.monotonic() - t0))
        finally:
            self.cleanup()
        self.meta["load_end"] = list(os.getloadavg())
        for rt in self.runtimes:
            if self.digest(rt.path) != getattr(rt, "sha256", None):
                self.say("WARNING: %s changed on disk during the run (rebuilt?): the numbers mix two builds" % rt.path)
                self.meta.setdefault("warnings", []).append("%s changed during the run" % rt.path)
        self.meta["duration_s"] = round(time.monotonic() - t_start, 1)
        table = self.table()
        self.say("")
        self.say(table)
        self.say("")
        self.say("machine: %s cpus, kernel %s; load average at start %s, at end %s; %.0f s" % (
            m["nproc"], m["kernel"], " ".join("%.2f" % x for x in self.meta["load_start"]),
            " ".join("%.2f" % x for x in self.meta["load_end"]), self.meta["duration_s"]))
        os.makedirs(self.args.out, exist_ok=True)
        base = os.path.join(self.args.out, ts)
        doc = dict(self.meta, runtimes=[{"name": r.name, "path": r.path, "version": r.version,
                                                  "sha256_16": getattr(r, "sha256", "?")} for r in self.runtimes],
                   baseline=self.base.name, results=self.results, ratios=self.ratios, notes=self.notes,
                   table=table.splitlines(), method=__doc__.strip().splitlines())
        with open(base + ".json", "w") as f:
            json.dump(doc, f, indent=1)
        self.say("json:  %s.json" % base)
        png = self.chart(base + ".png")
        if png:
            self.say("chart: %s" % png)
        fails = [k for k, e in self.results.items() if "runtimes" in e and
                 any(s.get("failures") for s in e["runtimes"].values())]
        return 1 if fails else 0


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runtimes", nargs="*", default=[os.path.join(here, "bin", "runcs"), "/usr/sbin/runc"])
    ap.add_argument("--rounds", type=int, default=30, help="rounds for run/create/start/delete/exec")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--seq", type=int, default=100, help="containers in the sequential test")
    ap.add_argument("--seq-rounds", type=int, default=3)
    ap.add_argument("--par", type=int, default=20, help="containers in the concurrent test")
    ap.add_argument("--par-rounds", type=int, default=3)
    ap.add_argument("--rss-rounds", type=int, default=5)
    ap.add_argument("--only", default="", help="comma list of: run,lifecycle,exec,seq,par,rss,memfloor")
    ap.add_argument("--spec-runtime", default="/usr/sbin/runc", help="whose `spec` makes config.json")
    ap.add_argument("--out", default=os.path.join(here, "bench", "results"))
    ap.add_argument("--keep-work", action="store_true")
    args = ap.parse_args()

    def term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, term)
    signal.signal(signal.SIGHUP, term)
    b = Bench(args)
    try:
        sys.exit(b.run())
    except KeyboardInterrupt:
        print("interrupted; cleaned up", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
