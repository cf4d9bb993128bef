using Runcs.Native;

namespace Runcs.Cgroups;

/// <summary>
/// The container's cgroups on the cgroupfs driver: one directory per mounted
/// hierarchy (every v1 controller hierarchy and, in hybrid mode, the unified one).
/// Only directories runcs made are ever removed; nothing else is touched.
/// </summary>
public sealed class CgroupManager
{
    /// <summary>Hierarchy key → absolute directory.</summary>
    public Dictionary<string, string> Paths { get; }

    public CgroupManager(Dictionary<string, string> paths) => Paths = paths;

    /// <summary>Hierarchy key → path inside the hierarchy (what state.json keeps: mount points differ between callers).</summary>
    public Dictionary<string, string> InnerPaths { get; private set; } = new();

    public static CgroupManager ForContainer(string? cgroupsPath, string id)
    {
        var callers = CgroupLayout.ParseProcCgroup(Sys.TryReadFile("/proc/self/cgroup") ?? "");
        bool pureV2 = CgroupLayout.ModeOf(CgroupMounts.Hierarchies) == CgroupMode.V2;
        var inner = new Dictionary<string, string>();
        foreach (var h in CgroupMounts.Hierarchies)
        {
            var key = CgroupLayout.KeyOf(h);
            callers.TryGetValue(key, out var callerCg);
            // cgroup v2 (runc's fs2 defaultDirPath): a relative path goes under the PARENT of the
            // caller's cgroup, since the caller's own most probably has tasks and so cannot
            // delegate domain controllers (memory, io) to a child.
            var baseCg = pureV2 ? CgroupLayout.Clean((callerCg ?? "/") + "/..") : callerCg ?? "/";
            inner[key] = CgroupLayout.InnerPath(cgroupsPath, id, baseCg);
        }
        return FromInner(inner);
    }

    /// <summary>The manager of a recorded container, its directories resolved for this caller's mount namespace.</summary>
    public static CgroupManager FromInner(Dictionary<string, string> inner)
    {
        if (AtUsualPlaces(inner) is { } usual) return usual;
        var paths = new Dictionary<string, string>();
        foreach (var h in CgroupMounts.Hierarchies)
        {
            var key = CgroupLayout.KeyOf(h);
            if (inner.TryGetValue(key, out var p)) paths[key] = CgroupLayout.DirOf(h, p);
        }
        return new CgroupManager(paths) { InnerPaths = inner };
    }

    /// <summary>Makes every directory (and parents); cpuset parents get cpus/mems so tasks can join.</summary>
    /// <param name="only">the hierarchies to make now (by key, "v2" for cgroup2); null for all.</param>
    public void Create(Func<string, bool>? only = null)
    {
        foreach (var (key, dir) in Paths)
        {
            if (only != null && !only(key)) continue;
            bool cpuset = key.Split(',').Contains("cpuset");
            MakeDirs(dir, cpuset);
        }
    }

    private static void MakeDirs(string dir, bool cpuset)
    {
        if (Directory.Exists(dir)) return;
        var parent = Path.GetDirectoryName(dir);
        if (parent != null && !Directory.Exists(parent)) MakeDirs(parent, cpuset);
        if (Sys.Mkdir(dir, 0x1ED /* 0755 */) < 0)
        {
            int e = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (e != Errno.EEXIST) throw new SysException($"create cgroup {dir}", e);
        }
        if (cpuset && parent != null)
        {
            // A new v1 cpuset cgroup starts with empty cpus and mems and takes no task.
            foreach (var f in new[] { "cpuset.cpus", "cpuset.mems" })
            {
                var mine = Sys.TryReadFile(Path.Combine(dir, f))?.Trim();
                if (string.IsNullOrEmpty(mine))
                {
                    var theirs = Sys.TryReadFile(Path.Combine(parent, f))?.Trim();
                    if (!string.IsNullOrEmpty(theirs)) Sys.WriteFile(Path.Combine(dir, f), theirs);
                }
            }
        }
    }

    /// <summary>
    /// Writes linux.resources (and the device rules) into the container's cgroups.
    /// A value the host cannot take is an error naming the field and the file.
    /// </summary>
    /// <param name="create">a new container: its device rules are set even when config.json has none
    /// (runc's default whitelist), where update leaves them alone.</param>
    public void Apply(OciRuntime.Spec.LinuxResources? resources, IReadOnlyList<OciRuntime.Spec.LinuxDevice>? devices, bool create = false)
    {
        CheckV2Types(resources);
        if (resources == null && !create) return;
        resources ??= new OciRuntime.Spec.LinuxResources();
        bool v1 = Paths.Keys.Any(k => k != "v2");
        var writes = v1 ? ResourcePlan.V1(resources, devices, definesDevices: create) : ResourcePlan.V2(resources);
        // Inside a user namespace the device controller cannot be written (EPERM); runc skips it there too.
        if (InUserNamespace()) writes = writes.Where(w => w.Controller != "devices").ToList();
        using var files = new HeldFile();
        for (int i = 0; i < writes.Count; i++)
        {
            var w = writes[i];
            var dir = DirFor(w.Controller)
                ?? throw new RuncsException($"linux.resources.{w.Field}: the {w.Controller} cgroup controller is not available on this host");
            var file = Path.Combine(dir, w.File);
            // A v1 blkio controller under the BFQ scheduler has only the bfq weight files (as runc).
            if (w.File is "blkio.weight" or "blkio.weight_device" && !File.Exists(file))
            {
                var bfq = Path.Combine(dir, w.File.Replace("blkio.", "blkio.bfq."));
                if (File.Exists(bfq)) file = bfq;
            }
            if (w.File == "memory.memsw.limit_in_bytes" && !File.Exists(file))
            {
                var limit = writes.FirstOrDefault(x => x.File == "memory.limit_in_bytes")?.Value;
                if (w.Value == "-1" || w.Value == limit) continue; // no swap accounting, nothing asked beyond the limit
                throw new RuncsException($"linux.resources.memory.swap: swap accounting is not enabled on this host (no {w.File})");
            }
            try
            {
                files.Write(file, w.Value, $"linux.resources.{w.Field}: write {Path.GetFileName(file)} = {w.Value}");
                // The kernel clamps cpu.shares to 2..262144 without an error; runc reads it back, so does runcs.
                if (w.File == "cpu.shares" && ResourcePlan.SharesReadBackProblem(w.Value, Sys.TryReadFile(file)) is { } problem)
                    throw new RuncsException(problem);
            }
            catch (SysException e) when (e.Code == Errno.EINVAL && w.File == "memory.limit_in_bytes"
                                         && i + 1 < writes.Count && writes[i + 1].File == "memory.memsw.limit_in_bytes")
            {
                // Lowering memsw below the limit, or raising the limit above memsw: other order.
                Sys.WriteFile(Path.Combine(dir, writes[i + 1].File), writes[i + 1].Value, $"linux.resources.memory.swap: write {writes[i + 1].File}");
                Sys.WriteFile(file, w.Value, $"linux.resources.{w.Field}: write {w.File} = {w.Value}");
                i++;
            }
        }
    }

    /// <summary>
    /// Device rules on cgroup v2 (unified mode only; v1 and hybrid write the devices controller's
    /// files in <see cref="Apply"/>): the effective rules (linux.resources.devices, runc's
    /// always-allowed devices, linux.devices) compiled into an eBPF program that replaces the one on
    /// the container's cgroup. create always calls it, so every container gets runc's default-deny
    /// filter; update calls it when it is given rules. Skipped in a user namespace, as runc does
    /// (bpf(2) needs the initial one).
    /// </summary>
    public void ApplyDevices(List<OciRuntime.Spec.LinuxDeviceCgroup>? rules, IReadOnlyList<OciRuntime.Spec.LinuxDevice>? devices)
    {
        if (!Paths.TryGetValue("v2", out var dir) || Paths.Count != 1 || InUserNamespace()) return;
        var effective = DeviceCgroupRule.Effective(rules, devices ?? Array.Empty<OciRuntime.Spec.LinuxDevice>());
        DeviceFilter.Replace(dir, DeviceFilterProgram.Build(effective));
    }

    /// <summary>True when this process is not in the initial user namespace (its uid_map is not the identity of all ids).</summary>
    public static bool InUserNamespace()
    {
        var map = Sys.TryReadFile("/proc/self/uid_map");
        if (map == null) return false;
        var f = map.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return !(f.Length == 3 && f[0] == "0" && f[1] == "0" && f[2] == "4294967295");
    }

    /// <summary>
    /// cgroup v2: below a cgroup that holds processes only threaded controllers (cpu, cpuset, pids)
    /// can be delegated, which makes the child "domain invalid": it takes no process. As runc (fs2
    /// CreateCgroupPath): such a cgroup is made "threaded" when no domain controller (memory, io,
    /// hugetlb) is asked for, else it is an error; so is a domain one asked of a threaded cgroup.
    /// </summary>
    public void CheckV2Types(OciRuntime.Spec.LinuxResources? r)
    {
        if (!Paths.TryGetValue("v2", out var leaf) || Paths.Keys.Any(k => k != "v2")) return;
        var h = CgroupMounts.Hierarchies.FirstOrDefault(x => x.IsV2);
        if (h == null) return;
        bool domain = r != null && (
            r.Memory is { } m && (m.Limit is not (null or 0) || m.Reservation is not (null or 0) || m.Swap is not (null or 0))
            || r.BlockIO is { } io && (io.Weight is not (null or 0) || io.WeightDevice is { Count: > 0 }
                || io.ThrottleReadBpsDevice is { Count: > 0 } || io.ThrottleWriteBpsDevice is { Count: > 0 }
                || io.ThrottleReadIOPSDevice is { Count: > 0 } || io.ThrottleWriteIOPSDevice is { Count: > 0 })
            || r.HugepageLimits is { Count: > 0 });
        var dir = h.MountPoint.TrimEnd('/');
        foreach (var part in leaf[dir.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            dir = Path.Combine(dir, part);
            var type = Sys.TryReadFile(Path.Combine(dir, "cgroup.type"))?.Trim();
            if (type == "domain invalid")
            {
                if (domain) throw new RuncsException($"cannot enter cgroupv2 \"{dir}\" with domain controllers -- it is in an invalid state");
                try { Sys.WriteFile(Path.Combine(dir, "cgroup.type"), "threaded"); }
                catch (SysException) { /* as runc: the process's move into it says what is wrong */ }
            }
            else if (type is "domain threaded" or "threaded" && domain)
                throw new RuncsException($"cannot enter cgroupv2 \"{dir}\" with domain controllers -- it is in {type} mode");
        }
    }

    private string? DirFor(string controller)
    {
        foreach (var (key, dir) in Paths)
        {
            if (controller == "v2" ? key == "v2" : key.Split(',').Contains(controller)) return dir;
        }
        return null;
    }

    /// <summary>cgroup v2: a controller works in a cgroup only when every ancestor delegates it.</summary>
    public void EnableV2Controllers()
    {
        if (!Paths.TryGetValue("v2", out var leaf) || Paths.Keys.Any(k => k != "v2")) return;
        var h = CgroupMounts.Hierarchies.FirstOrDefault(x => x.IsV2);
        if (h == null) return;
        var root = h.MountPoint.TrimEnd('/');
        var available = (Sys.TryReadFile(Path.Combine(root, "cgroup.controllers")) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (available.Length == 0) return;
        var enable = string.Join(" ", available.Select(c => "+" + c));
        // Walk from the root down to the leaf's parent.
        var dir = root;
        var parts = leaf[root.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            var file = Path.Combine(dir, "cgroup.subtree_control");
            try { Sys.WriteFile(file, enable); }
            catch (SysException)
            {
                // The write is all or nothing: one controller the kernel refuses here (EBUSY for
                // domain controllers in a cgroup that holds processes, EINVAL, EOPNOTSUPP in a
                // threaded subtree) would leave every other one off. As runc: one by one.
                foreach (var c in available)
                {
                    try { Sys.WriteFile(file, "+" + c); }
                    catch (SysException) { /* this one stays off; the write of a limit for it says so */ }
                }
            }
            dir = Path.Combine(dir, parts[i]);
        }
    }

    /// <summary>Hierarchy key → the directory a process goes to (the container's, or an exec --cgroup sub-cgroup).</summary>
    private IEnumerable<(string Key, string Dir)> Targets(Dictionary<string, string>? sub)
    {
        foreach (var (key, dir) in Paths)
        {
            var target = dir;
            if (sub != null)
            {
                string? rel = null;
                foreach (var c in key.Split(','))
                    if (sub.TryGetValue(c, out var r)) rel = r;
                if (rel == null && sub.TryGetValue("", out var all)) rel = all;
                if (rel != null)
                {
                    target = Path.Combine(dir, rel.TrimStart('/'));
                    if (!Directory.Exists(target)) throw new RuncsException($"--cgroup: {target} does not exist");
                }
            }
            yield return (key, target);
        }
    }

    /// <summary>
    /// Files the container process uses to place itself (see bootstrap.c "cgroupfd"/"cgtasks"):
    /// the cgroup2 directory for clone3(CLONE_INTO_CGROUP) and the v1 "tasks" files. Opened here,
    /// by the runtime, so the kernel checks the runtime's credentials, not those of a process
    /// already in a user namespace.
    /// </summary>
    /// <param name="userNamespace">the process will be in a user namespace other than the host's
    /// (its own, a joined one, or the runtime's): the kernel refuses CLONE_INTO_CGROUP there
    /// (the cgroup files belong to the host's root) and a cgroup namespace cannot be joined after
    /// it, so the runtime moves the process in cgroup2 itself (one RCU wait).</param>
    public Placement OpenPlacement(Dictionary<string, string>? sub = null, bool userNamespace = false, Func<string, bool>? only = null)
    {
        var p = new Placement();
        try
        {
            foreach (var (key, target) in Targets(sub))
            {
                if (only != null && !only(key)) continue;
                if (key == "v2" && (userNamespace || InUserNamespace()))
                {
                    p.V2Dir = target;
                }
                else if (key == "v2")
                {
                    p.V2Dir = target;
                    p.V2DirFd = Sys.CheckFd(Sys.Open(target, Sys.O_RDONLY | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0), $"open cgroup {target}");
                }
                else
                {
                    var tasks = Path.Combine(target, "tasks");
                    int fd = Sys.CheckFd(Sys.Open(tasks, Sys.O_WRONLY | Sys.O_CLOEXEC, 0), $"open {tasks}");
                    if (key.Split(',').Contains("memory")) p.MemoryTasksFd = fd;
                    else p.TaskFds.Add(fd);
                }
            }
            return p;
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }

    public sealed class Placement : IDisposable
    {
        public string? V2Dir { get; set; }
        public int V2DirFd { get; set; } = -1;
        public List<int> TaskFds { get; } = new();
        /// <summary>
        /// The v1 memory hierarchy's "tasks" file: the container process moves itself there right
        /// before execve. Memory a v1 cgroup is charged for stays where it was charged, so the
        /// runtime's own pages (the .NET runtime in that process) are not the container's: a
        /// memory limit holds the user's program alone, as with a runtime written in C.
        /// </summary>
        public int MemoryTasksFd { get; set; } = -1;

        /// <summary>When the child could not be born in its cgroup2 directory (e.g. in a user namespace): move it from here.</summary>
        public void FinishV2(int pid, bool childIsThere)
        {
            if (V2Dir == null || childIsThere) return;
            Sys.WriteFile(Path.Combine(V2Dir, "cgroup.procs"), pid.ToString(), $"add pid {pid} to cgroup {V2Dir}");
        }

        public void Dispose()
        {
            if (V2DirFd >= 0) Sys.Close(V2DirFd);
            V2DirFd = -1;
            foreach (var fd in TaskFds) Sys.Close(fd);
            TaskFds.Clear();
            if (MemoryTasksFd >= 0) Sys.Close(MemoryTasksFd);
            MemoryTasksFd = -1;
        }
    }

    /// <summary>
    /// exec --cgroup values as runc takes them: "PATH" (every controller) or
    /// "CTRL[,CTRL]:PATH"; paths are relative to the container's cgroup and may not climb out.
    /// </summary>
    public static Dictionary<string, string>? ParseSubCgroups(IReadOnlyList<string> values)
    {
        if (values.Count == 0) return null;
        var map = new Dictionary<string, string>();
        foreach (var v in values)
        {
            int colon = v.IndexOf(':');
            string ctrls = colon < 0 ? "" : v[..colon], path = colon < 0 ? v : v[(colon + 1)..];
            var clean = CgroupLayout.Clean("/" + path);
            if (path.Length == 0 || clean == "/") throw new RuncsException($"--cgroup: invalid value '{v}'");
            foreach (var c in ctrls.Split(','))
            {
                if (map.ContainsKey(c)) throw new RuncsException($"--cgroup: controller '{(c == "" ? "(all)" : c)}' given twice");
                map[c] = clean;
            }
        }
        return map;
    }

    /// <summary>Every pid in the container's cgroup (read from one hierarchy that has them all).</summary>
    public List<int> Pids()
    {
        var dir = PreferredDir();
        var list = new List<int>();
        if (dir == null) return list;
        string? text;
        try { text = Sys.TryReadFile(Path.Combine(dir, "cgroup.procs")); }
        catch (IOException) when (Sys.TryReadFile(Path.Combine(dir, "cgroup.type"))?.Trim() == "threaded")
        {
            return ThreadedPids(dir); // v2 refuses to read cgroup.procs of a threaded cgroup (EOPNOTSUPP)
        }
        if (text == null) return list;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (int.TryParse(line, out var pid)) list.Add(pid);
        return list;
    }

    /// <summary>The processes (thread group ids) of the threads in a threaded v2 cgroup.</summary>
    private static List<int> ThreadedPids(string dir)
    {
        var list = new List<int>();
        foreach (var line in (Sys.TryReadFile(Path.Combine(dir, "cgroup.threads")) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(line, out var tid)) continue;
            string? status;
            try { status = Sys.TryReadFile($"/proc/{tid}/status"); }
            catch (IOException) { continue; } // gone meanwhile
            var tgid = status?.Split('\n').FirstOrDefault(l => l.StartsWith("Tgid:"))?[5..].Trim();
            if (int.TryParse(tgid, out var pid) && !list.Contains(pid)) list.Add(pid);
        }
        return list;
    }

    private string? PreferredDir()
    {
        foreach (var k in new[] { "pids", "freezer", "memory", "v2" })
            foreach (var (key, dir) in Paths)
                if (key.Split(',').Contains(k) || key == k) if (Directory.Exists(dir)) return dir;
        return Paths.Values.FirstOrDefault(Directory.Exists);
    }

    /// <summary>
    /// A recorded container's cgroup directories where cgroups are normally mounted
    /// (/sys/fs/cgroup/CONTROLLERS, /sys/fs/cgroup/unified or /sys/fs/cgroup for cgroup2),
    /// when every one of them is there, on a cgroup filesystem of the right version, with its
    /// "tasks" or "cgroup.procs" file: no /proc/self/mountinfo read and parse, the larger part
    /// of what exec does before its C stage may fork, and of delete, kill and ps. Null
    /// otherwise (another layout, a cgroup namespace, a removed cgroup): discovery decides.
    /// </summary>
    private static CgroupManager? AtUsualPlaces(Dictionary<string, string> inner)
    {
        if (inner.Count == 0) return null;
        bool pureV2 = inner.Count == 1 && inner.ContainsKey("v2");
        var paths = new Dictionary<string, string>();
        foreach (var (key, path) in inner)
        {
            bool v2 = key == "v2";
            var mount = CgroupLayout.UsualMountPoint(key, pureV2);
            if (!CgroupMounts.IsCgroupFs(mount, v2)) return null;
            var dir = mount + CgroupLayout.Clean("/" + path);
            if (Sys.StatPath(dir + (v2 ? "/cgroup.procs" : "/tasks"), out _) < 0) return null;
            paths[key] = dir;
        }
        return new CgroupManager(paths) { InnerPaths = inner };
    }

    /// <summary>
    /// The freezer state of a recorded container read where cgroups are normally mounted
    /// (/sys/fs/cgroup/freezer, or /sys/fs/cgroup on a pure cgroup2 host), without discovering
    /// the hierarchies from /proc/self/mountinfo — most of a `state` or `start` call's own work.
    /// False when that place is not a cgroup filesystem holding this container's freezer files
    /// (another layout, a cgroup namespace, ...): then <see cref="FromInner"/> decides.
    /// </summary>
    public static bool TryFreezerStateAtUsualPlace(Dictionary<string, string> inner, out string? state)
    {
        state = null;
        foreach (var (key, path) in inner)
        {
            if (!key.Split(',').Contains("freezer")) continue;
            var mount = CgroupLayout.UsualMountPoint(key, pureV2: false);
            if (!CgroupMounts.IsCgroupFs(mount, v2: false)) return false;
            state = Sys.TryReadFile(mount + CgroupLayout.Clean("/" + path) + "/freezer.state")?.Trim();
            return state != null;
        }
        if (inner.Count == 1 && inner.TryGetValue("v2", out var v2Path))
        {
            var mount = CgroupLayout.UsualMountPoint("v2", pureV2: true);
            if (!CgroupMounts.IsCgroupFs(mount, v2: true)) return false;
            var v = Sys.TryReadFile(mount + CgroupLayout.Clean("/" + v2Path) + "/cgroup.freeze")?.Trim();
            if (v == null) return false;
            state = v == "1" ? "FROZEN" : "THAWED";
            return true;
        }
        return false;
    }

    public string? FreezerState()
    {
        foreach (var (key, dir) in Paths)
        {
            if (key.Split(',').Contains("freezer")) return Sys.TryReadFile(Path.Combine(dir, "freezer.state"))?.Trim();
            if (key == "v2" && !Paths.Keys.Any(k => k != "v2"))
            {
                var v = Sys.TryReadFile(Path.Combine(dir, "cgroup.freeze"))?.Trim();
                return v == "1" ? "FROZEN" : v == null ? null : "THAWED";
            }
        }
        return null;
    }

    public void Freeze(bool frozen)
    {
        foreach (var (key, dir) in Paths)
        {
            if (key.Split(',').Contains("freezer"))
            {
                Sys.WriteFile(Path.Combine(dir, "freezer.state"), frozen ? "FROZEN" : "THAWED");
                if (frozen)
                {
                    // FREEZING until every task has stopped.
                    for (int i = 0; i < 1000 && Sys.TryReadFile(Path.Combine(dir, "freezer.state"))?.Trim() != "FROZEN"; i++)
                        Thread.Sleep(1);
                }
                return;
            }
        }
        foreach (var (key, dir) in Paths)
            if (key == "v2") { Sys.WriteFile(Path.Combine(dir, "cgroup.freeze"), frozen ? "1" : "0"); return; }
        throw new RuncsException("no freezer cgroup for this container");
    }

    /// <summary>Removes the container's directories (the leaf only), retrying while the kernel still releases exiting tasks.</summary>
    public void Destroy()
    {
        foreach (var dir in Paths.Values) RemoveTree(dir);
    }

    /// <summary>
    /// rmdir of the cgroup and of every sub-cgroup under it (e.g. made for exec --cgroup). One
    /// rmdir first: the common case has no sub-cgroups, and listing eleven directories of
    /// controller files cost five syscalls each on every delete.
    /// </summary>
    private static void RemoveTree(string dir)
    {
        if (Sys.Rmdir(dir) == 0) return;
        int first = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (first is Errno.ENOENT or Errno.ENOTDIR) return;
        foreach (var child in Directory.EnumerateDirectories(dir)) RemoveTree(child);
        for (int attempt = 0; ; attempt++)
        {
            // EBUSY while the kernel still releases exiting tasks: retry briefly.
            if (Sys.Rmdir(dir) == 0) return;
            int e = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (e == Errno.ENOENT) return;
            if (e != Errno.EBUSY || attempt >= 1000) throw new SysException($"remove cgroup {dir}", e);
            Thread.Sleep(1);
        }
    }
}

/// <summary>
/// Writes to cgroup files, keeping the last one open: consecutive writes to one file (v1 device
/// rules: a dozen lines to devices.allow, each its own write as the kernel wants) share one open.
/// </summary>
internal sealed class HeldFile : IDisposable
{
    private string? path;
    private int fd = -1;

    public void Write(string file, string value, string what)
    {
        if (file != path)
        {
            Dispose();
            fd = Sys.Open(file, Sys.O_WRONLY | Sys.O_CLOEXEC | Sys.O_NOCTTY, 0);
            if (fd < 0) throw SysException.Last(what);
            path = file;
        }
        Sys.WriteAll(fd, System.Text.Encoding.UTF8.GetBytes(value), what);
    }

    public void Dispose()
    {
        if (fd >= 0) Sys.Close(fd);
        fd = -1;
        path = null;
    }
}
