using Runcs.Native;

namespace Runcs.Cgroups;

/// <summary>
/// Where this process reaches the cgroup hierarchies. Normally the mounts of its
/// mount namespace. Under `ip netns exec` (a private mount namespace with /sys
/// remounted) there are none: runcs then mounts the hierarchies listed in
/// /proc/self/cgroup at a private temporary place — in that private namespace
/// only, never on the host — and unmounts them when the command ends.
/// </summary>
public static class CgroupMounts
{
    private static List<CgroupHierarchy>? hierarchies;
    private static string? privateDir;

    public static IReadOnlyList<CgroupHierarchy> Hierarchies => hierarchies ??= Discover();

    /// <summary>The hierarchies had to be mounted privately by this process (see <see cref="MountPrivately"/>).</summary>
    public static bool MountedPrivately => privateDir != null;

    private static List<CgroupHierarchy> Discover()
    {
        var usual = AtUsualPlaces();
        if (usual != null) return usual;
        var own = CgroupLayout.ParseMountInfo(Sys.TryReadFile("/proc/self/mountinfo") ?? "");
        if (own.Count > 0) return own;
        return MountPrivately();
    }

    /// <summary>
    /// Every hierarchy of /proc/self/cgroup where hosts mount it (/sys/fs/cgroup/CONTROLLERS,
    /// /sys/fs/cgroup/unified, or /sys/fs/cgroup for a pure cgroup2 host), checked: a cgroup
    /// filesystem of the right version with this process's own cgroup in it. Reading and parsing
    /// /proc/self/mountinfo instead is most of what create does before its C stage may fork.
    /// Null when any hierarchy is elsewhere (or mounted from a subtree): mountinfo decides.
    /// </summary>
    internal static List<CgroupHierarchy>? AtUsualPlaces()
    {
        var own = CgroupLayout.ParseProcCgroup(Sys.TryReadFile("/proc/self/cgroup") ?? "");
        if (own.Count == 0) return null;
        bool pureV2 = own.Count == 1 && own.ContainsKey("v2");
        var result = new List<CgroupHierarchy>();
        foreach (var (key, path) in own)
        {
            bool v2 = key == "v2";
            if (!v2 && key.Length == 0) return null; // a named v1 hierarchy without a name: not ours to guess
            var mount = CgroupLayout.UsualMountPoint(key, pureV2);
            if (!IsCgroupFs(mount, v2) || Sys.StatPath(mount + CgroupLayout.Clean("/" + path), out _) < 0) return null;
            result.Add(new CgroupHierarchy(mount, "/", v2, v2 ? Array.Empty<string>() : key.Split(',')));
        }
        return result;
    }

    /// <summary>A cgroup filesystem of that version is mounted at <paramref name="path"/> (statfs magic).</summary>
    internal static bool IsCgroupFs(string path, bool v2) =>
        Sys.FsType(path) == (v2 ? Sys.CGROUP2_SUPER_MAGIC : Sys.CGROUP_SUPER_MAGIC);

    private static List<CgroupHierarchy> MountPrivately()
    {
        var keys = CgroupLayout.ParseProcCgroup(Sys.TryReadFile("/proc/self/cgroup") ?? "").Keys.ToList();
        var result = new List<CgroupHierarchy>();
        if (keys.Count == 0) return result;
        privateDir = Path.Combine(Path.GetTempPath(), $"runcs-cgroup-{Environment.ProcessId}");
        Directory.CreateDirectory(privateDir);
        foreach (var key in keys)
        {
            var dir = Path.Combine(privateDir, key == "v2" ? "unified" : key);
            Directory.CreateDirectory(dir);
            int rc = key == "v2"
                ? Sys.Mount("cgroup2", dir, "cgroup2", 0, null)
                : Sys.Mount("cgroup", dir, "cgroup", 0, key.StartsWith("name=") ? "none," + key : key);
            if (rc < 0)
            {
                var e = SysException.Last($"mount cgroup hierarchy {key} (no cgroup filesystem in this mount namespace)");
                Release();
                throw e;
            }
            result.Add(new CgroupHierarchy(dir, "/", key == "v2", key == "v2" ? Array.Empty<string>() : key.Split(',')));
        }
        return result;
    }

    /// <summary>Undoes a private mount (called when the command ends).</summary>
    public static void Release()
    {
        if (privateDir == null) return;
        foreach (var d in Directory.EnumerateDirectories(privateDir)) Sys.Umount2(d, Sys.MNT_DETACH);
        try { Directory.Delete(privateDir, true); } catch (IOException) { }
        privateDir = null;
    }
}
