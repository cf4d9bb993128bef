using System.Diagnostics;
using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Cgroups;

/// <summary>
/// Host-side views of cgroups for the tests of this folder: which hierarchies this machine
/// mounts, the directory of a process's cgroup in one of them (from /proc/PID/cgroup), the
/// test process's own cgroups (where runcs puts a container by default), and a search for
/// any directory a test's container left behind. Read only: nothing here writes a cgroup file.
/// </summary>
internal static class CgroupKit
{
    /// <summary>One mounted hierarchy: "v2" for cgroup2, else its controllers ("cpu", "name=systemd").</summary>
    public sealed record Hierarchy(string MountPoint, string Root, bool IsV2, string[] Controllers)
    {
        /// <summary>The key /proc/PID/cgroup uses for it: "" for v2, else "cpu,cpuacct" or "name=systemd".</summary>
        public string Key => IsV2 ? "" : string.Join(',', Controllers);
    }

    private static readonly Lazy<List<Hierarchy>> s_hierarchies = new(() =>
    {
        var list = new List<Hierarchy>();
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            var f = line.Split(' ');
            var dash = Array.IndexOf(f, "-");
            if (dash < 0 || dash + 3 >= f.Length) continue;
            var type = f[dash + 1];
            if (type == "cgroup2")
                list.Add(new Hierarchy(f[4], f[3], true, []));
            else if (type == "cgroup")
            {
                var ctrls = f[dash + 3].Split(',').Where(o => o is not ("rw" or "ro") && !o.Contains("release_agent")
                    && o is not ("noprefix" or "clone_children" or "xattr" or "cpuset_v2_mode" or "favordynmods")).ToArray();
                if (ctrls.Length > 0 && !list.Any(h => h.Key == string.Join(',', ctrls)))
                    list.Add(new Hierarchy(f[4], f[3], false, ctrls));
            }
        }
        return list;
    });

    /// <summary>Every cgroup hierarchy mounted in the test's mount namespace.</summary>
    public static IReadOnlyList<Hierarchy> Hierarchies => s_hierarchies.Value;

    /// <summary>True on a v1 or hybrid host (the memory controller is a v1 hierarchy).</summary>
    public static bool IsV1Host => Hierarchies.Any(h => !h.IsV2 && h.Controllers.Contains("memory"));

    /// <summary>True when a v1 hierarchy holds <paramref name="controller"/>.</summary>
    public static bool HasController(string controller) => Hierarchies.Any(h => !h.IsV2 && h.Controllers.Contains(controller));

    /// <summary>The hierarchy holding a controller ("v2" for the unified one), or null.</summary>
    public static Hierarchy? HierarchyOf(string controller) =>
        controller == "v2" ? Hierarchies.FirstOrDefault(h => h.IsV2) : Hierarchies.FirstOrDefault(h => !h.IsV2 && h.Controllers.Contains(controller));

    /// <summary>The host directory of PID's cgroup in the hierarchy of <paramref name="controller"/> ("v2" for cgroup2).</summary>
    public static string Dir(int pid, string controller)
    {
        var h = HierarchyOf(controller) ?? throw new InvalidOperationException($"no {controller} hierarchy on this host");
        foreach (var line in File.ReadAllLines($"/proc/{pid}/cgroup"))
        {
            var p = line.Split(':', 3);
            if (p.Length == 3 && p[1] == h.Key)
            {
                var rel = h.Root != "/" && p[2].StartsWith(h.Root, StringComparison.Ordinal) ? p[2][h.Root.Length..] : p[2];
                return h.MountPoint.TrimEnd('/') + (rel == "/" ? "" : rel);
            }
        }
        throw new InvalidOperationException($"pid {pid} has no {controller} line in /proc/{pid}/cgroup");
    }

    /// <summary>A cgroup file of PID's cgroup, trimmed.</summary>
    public static string Read(int pid, string controller, string file) => File.ReadAllText(Path.Combine(Dir(pid, controller), file)).Trim();

    /// <summary>The test process's own cgroup directory in a hierarchy: the default parent of a container's cgroup.</summary>
    public static string OwnDir(string controller) => Dir(Environment.ProcessId, controller);

    private static readonly Dictionary<string, HashSet<string>> s_childFiles = new();

    /// <summary>
    /// True if a new child cgroup of the test process's own cgroup has the file: some files exist
    /// only below the root (blkio.bfq.weight, cpu.rt_runtime_us...). Learnt once per controller from
    /// a probe directory the test makes and removes at once.
    /// </summary>
    public static bool ChildHas(string controller, string file)
    {
        if (HierarchyOf(controller) == null) return false;
        lock (s_childFiles)
        {
            if (!s_childFiles.TryGetValue(controller, out var files))
            {
                var probe = Path.Combine(OwnDir(controller), "runcs-it-probe-" + Guid.NewGuid().ToString("N")[..8]);
                Directory.CreateDirectory(probe);
                try { files = Directory.GetFiles(probe).Select(Path.GetFileName).ToHashSet()!; }
                finally { Directory.Delete(probe); }
                s_childFiles[controller] = files;
            }
            return files.Contains(file);
        }
    }

    /// <summary>The I/O scheduler in use on a disk ("MAJ:MIN"), e.g. "mq-deadline" or "bfq".</summary>
    public static string DiskScheduler(string disk)
    {
        var text = File.ReadAllText($"/sys/dev/block/{disk}/queue/scheduler");
        var open = text.IndexOf('[');
        return open < 0 ? text.Trim() : text[(open + 1)..text.IndexOf(']')];
    }

    /// <summary>Every cgroup directory, in every hierarchy, whose name starts with <paramref name="prefix"/>.</summary>
    public static List<string> DirsNamed(string prefix)
    {
        var found = new List<string>();
        foreach (var h in Hierarchies) Walk(h.MountPoint, prefix, found);
        return found;
    }

    private static void Walk(string dir, string prefix, List<string> found)
    {
        IEnumerable<string> subs;
        try { subs = Directory.EnumerateDirectories(dir).ToList(); }
        catch (DirectoryNotFoundException) { return; }
        foreach (var d in subs)
        {
            if (Path.GetFileName(d).StartsWith(prefix, StringComparison.Ordinal)) found.Add(d);
            Walk(d, prefix, found);
        }
    }

    /// <summary>Live pids whose /proc/PID/cgroup names a cgroup ending in /<paramref name="name"/> (or below it).</summary>
    public static List<int> ProcessesInCgroupNamed(string name)
    {
        var list = new List<int>();
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(d), out var pid)) continue;
            try
            {
                var text = File.ReadAllText(Path.Combine(d, "cgroup"));
                if ((text.Contains("/" + name + "\n") || text.Contains("/" + name + "/")) && Proc.IsAlive(pid)) list.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return list;
    }

    /// <summary>The pids in cgroup.procs of PID's cgroup of one controller.</summary>
    public static List<int> Procs(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "cgroup.procs")).Where(l => l.Length > 0).Select(int.Parse).ToList();

    /// <summary>
    /// "MAJ:MIN" of the whole disk holding the root file system (blkio throttling takes disks, not
    /// partitions): /dev/vda = 254:0 on this machine.
    /// </summary>
    public static string RootDisk()
    {
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            var f = line.Split(' ');
            if (f.Length > 4 && f[4] == "/" && f[3] == "/")
            {
                var dev = f[2];
                var sys = $"/sys/dev/block/{dev}";
                if (File.Exists(Path.Combine(sys, "partition")))
                    dev = File.ReadAllText(Path.Combine(sys, "..", "dev")).Trim();
                return dev;
            }
        }
        throw new InvalidOperationException("no root mount in mountinfo");
    }

    /// <summary>A JSON array of strings.</summary>
    public static JsonArray Strings(params string[] items) => new(items.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());

    /// <summary>Sets <c>linux.resources</c> keys (others kept: the spec's device rule stays).</summary>
    public static Bundle WithResources(this Bundle b, JsonObject resources) => b.EditConfig(c =>
    {
        var r = c["linux"]!["resources"] as JsonObject ?? new JsonObject();
        foreach (var (k, v) in resources.ToList())
        {
            resources.Remove(k);
            r[k] = v;
        }
        c["linux"]!["resources"] = r;
    });

    /// <summary>Runs <c>bash -c SCRIPT</c> on the host (args as $1...), returns (exit code, stdout+stderr).</summary>
    public static (int Code, string Output) Sh(string script, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("/bin/bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("cgroup-it");
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(true);
            throw new TimeoutException($"host script did not finish within {timeout.TotalSeconds}s (safety net): {output.Result}{err.Result}");
        }
        p.WaitForExit();
        return (p.ExitCode, output.Result + err.Result);
    }

    /// <summary>Polls a file in the rootfs until it exists and is not empty; returns its trimmed text (null on timeout).</summary>
    public static string? WaitForFile(string path, TimeSpan? timeout = null)
    {
        string? text = null;
        Proc.WaitUntil(() =>
        {
            try { text = File.Exists(path) ? File.ReadAllText(path) : null; }
            catch (IOException) { text = null; }
            return !string.IsNullOrWhiteSpace(text) && text.EndsWith('\n');
        }, timeout ?? TimeSpan.FromSeconds(15));
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}

/// <summary>A fact for hosts with cgroup v1 controllers (v1 or hybrid); skipped, visibly, elsewhere (the v2 lane covers v2).</summary>
public sealed class CgroupV1FactAttribute : FactAttribute
{
    public CgroupV1FactAttribute()
    {
        if (!CgroupKit.IsV1Host) Skip = "needs cgroup v1 controllers (v1 or hybrid host); pure v2 is covered by make test-v2";
    }
}

/// <summary>A theory for hosts with cgroup v1 controllers (see <see cref="CgroupV1FactAttribute"/>).</summary>
public sealed class CgroupV1TheoryAttribute : TheoryAttribute
{
    public CgroupV1TheoryAttribute()
    {
        if (!CgroupKit.IsV1Host) Skip = "needs cgroup v1 controllers (v1 or hybrid host); pure v2 is covered by make test-v2";
    }
}
