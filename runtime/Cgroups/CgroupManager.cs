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
        var inner = new Dictionary<string, string>();
        foreach (var h in CgroupMounts.Hierarchies)
        {
            var key = CgroupLayout.KeyOf(h);
            callers.TryGetValue(key, out var callerCg);
            inner[key] = CgroupLayout.InnerPath(cgroupsPath, id, callerCg ?? "/");
        }
        return FromInner(inner);
    }

    /// <summary>The manager of a recorded container, its directories resolved for this caller's mount namespace.</summary>
    public static CgroupManager FromInner(Dictionary<string, string> inner)
    {
        var paths = new Dictionary<string, string>();
        foreach (var h in CgroupMounts.Hierarchies)
        {
            var key = CgroupLayout.KeyOf(h);
            if (inner.TryGetValue(key, out var p)) paths[key] = CgroupLayout.DirOf(h, p);
        }
        return new CgroupManager(paths) { InnerPaths = inner };
    }

    /// <summary>Makes every directory (and parents); cpuset parents get cpus/mems so tasks can join.</summary>
    public void Create()
    {
        foreach (var (key, dir) in Paths)
        {
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

    public void AddProcess(int pid)
    {
        foreach (var dir in Paths.Values)
            Sys.WriteFile(Path.Combine(dir, "cgroup.procs"), pid.ToString(), $"add pid {pid} to cgroup {dir}");
    }

    /// <summary>Every pid in the container's cgroup (read from one hierarchy that has them all).</summary>
    public List<int> Pids()
    {
        var dir = PreferredDir();
        var list = new List<int>();
        if (dir == null) return list;
        var text = Sys.TryReadFile(Path.Combine(dir, "cgroup.procs"));
        if (text == null) return list;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (int.TryParse(line, out var pid)) list.Add(pid);
        return list;
    }

    private string? PreferredDir()
    {
        foreach (var k in new[] { "pids", "freezer", "memory", "v2" })
            foreach (var (key, dir) in Paths)
                if (key.Split(',').Contains(k) || key == k) if (Directory.Exists(dir)) return dir;
        return Paths.Values.FirstOrDefault(Directory.Exists);
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
        foreach (var dir in Paths.Values)
        {
            if (!Directory.Exists(dir)) continue;
            for (int attempt = 0; ; attempt++)
            {
                try { Directory.Delete(dir); break; }
                catch (IOException) when (attempt < 200) { Thread.Sleep(5); }
                catch (DirectoryNotFoundException) { break; }
                catch (IOException e) { throw new RuncsException($"remove cgroup {dir}: {e.Message}"); }
            }
        }
    }
}
