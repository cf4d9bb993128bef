namespace Runcs.Cgroups;

/// <summary>One mounted cgroup hierarchy, as /proc/PID/mountinfo shows it.</summary>
public sealed record CgroupHierarchy(
    string MountPoint,   // where it is reachable from this process (maybe through /proc/1/root)
    string MountRoot,    // the hierarchy path mounted there (field 4 of mountinfo)
    bool IsV2,
    IReadOnlyList<string> Controllers); // v1: cpu, cpuacct, memory, name=systemd...; v2: empty

public enum CgroupMode { None, V1, Hybrid, V2 }

/// <summary>
/// Pure parsing of mountinfo and /proc/PID/cgroup, and the path math that turns
/// an OCI cgroupsPath into a directory per hierarchy. No file system access here.
/// </summary>
public static class CgroupLayout
{
    public static List<CgroupHierarchy> ParseMountInfo(string mountinfo, string prefix = "")
    {
        var result = new List<CgroupHierarchy>();
        var seenRoots = new HashSet<string>();
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            int dash = Array.IndexOf(parts, "-");
            if (dash < 0 || parts.Length < dash + 4 || parts.Length < 5) continue;
            string fstype = parts[dash + 1];
            if (fstype != "cgroup" && fstype != "cgroup2") continue;
            string root = Unescape(parts[3]);
            string mountPoint = prefix + Unescape(parts[4]);
            string superOpts = parts[dash + 3];
            bool v2 = fstype == "cgroup2";
            var controllers = new List<string>();
            if (!v2)
            {
                foreach (var opt in superOpts.Split(','))
                {
                    if (opt is "rw" or "ro" || opt.StartsWith("release_agent=") || opt is "noprefix" or "clone_children" or "xattr" or "cpuset_v2_mode" or "nsdelegate" or "favordynmods" or "memory_recursiveprot")
                        continue;
                    controllers.Add(opt);
                }
                if (controllers.Count == 0) continue;
            }
            // A hierarchy mounted twice (bind mounts) is used once.
            string key = v2 ? "v2" : string.Join(",", controllers);
            if (!seenRoots.Add(key)) continue;
            result.Add(new CgroupHierarchy(mountPoint, root, v2, controllers));
        }
        return result;
    }

    public static CgroupMode ModeOf(IReadOnlyList<CgroupHierarchy> hs)
    {
        bool v1 = hs.Any(h => !h.IsV2), v2 = hs.Any(h => h.IsV2);
        return (v1, v2) switch { (true, true) => CgroupMode.Hybrid, (true, false) => CgroupMode.V1, (false, true) => CgroupMode.V2, _ => CgroupMode.None };
    }

    /// <summary>
    /// Parses /proc/PID/cgroup into (hierarchy key → path). Keys: "v2" for the
    /// "0::" line, else the comma-joined controller list ("cpu,cpuacct", "name=systemd").
    /// </summary>
    public static Dictionary<string, string> ParseProcCgroup(string text)
    {
        var map = new Dictionary<string, string>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            string key = parts[0] == "0" && parts[1] == "" ? "v2" : parts[1];
            map[key] = parts[2];
        }
        return map;
    }

    public static string KeyOf(CgroupHierarchy h) => h.IsV2 ? "v2" : string.Join(",", h.Controllers);

    /// <summary>
    /// The directory a hierarchy gets under /sys/fs/cgroup (on hosts, and in a container's cgroup
    /// tmpfs): "unified" for cgroup2, a named hierarchy's name, else its controllers ("cpu,cpuacct").
    /// </summary>
    public static string DirName(string key) =>
        key == "v2" ? "unified" : key.StartsWith("name=", StringComparison.Ordinal) ? key["name=".Length..] : key;

    /// <summary>Where hosts mount a hierarchy: /sys/fs/cgroup/<see cref="DirName"/>, or /sys/fs/cgroup itself on a pure cgroup2 host.</summary>
    public static string UsualMountPoint(string key, bool pureV2) =>
        key == "v2" && pureV2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/" + DirName(key);

    /// <summary>
    /// The hierarchy-relative cgroup of the container. Absolute cgroupsPath is
    /// taken as is; a relative one (and the default, the container id) is placed
    /// under the cgroup of the calling process in that hierarchy, as runc does.
    /// </summary>
    public static string InnerPath(string? cgroupsPath, string id, string callerCgroup)
    {
        string p = string.IsNullOrEmpty(cgroupsPath) ? id : cgroupsPath;
        if (p.StartsWith('/')) return Clean(p);
        // Cleaned on its own first, so "../.." cannot climb above the caller's cgroup (as runc).
        return Clean(callerCgroup.TrimEnd('/') + Clean("/" + p));
    }

    /// <summary>The directory of an inner path in a hierarchy mounted at MountPoint from MountRoot.</summary>
    public static string DirOf(CgroupHierarchy h, string inner)
    {
        string rel = inner;
        if (h.MountRoot != "/" && (inner == h.MountRoot || inner.StartsWith(h.MountRoot + "/")))
            rel = inner[h.MountRoot.Length..];
        return h.MountPoint.TrimEnd('/') + Clean("/" + rel);
    }

    /// <summary>Lexical cleaning: no "..", no ".", no double slashes, never above "/".</summary>
    public static string Clean(string p)
    {
        var stack = new List<string>();
        foreach (var part in p.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (stack.Count > 0) stack.RemoveAt(stack.Count - 1); continue; }
            stack.Add(part);
        }
        return "/" + string.Join("/", stack);
    }

    private static string Unescape(string s) => s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
