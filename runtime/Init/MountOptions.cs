namespace Runcs.Init;

/// <summary>
/// OCI mount options turned into mount(2) flags, as runc reads them. Pure:
/// unit-tested without root.
/// </summary>
public sealed class MountOptions
{
    public const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16, MS_REMOUNT = 32,
        MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_BIND = 4096,
        MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768, MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18,
        MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21, MS_I_VERSION = 1 << 23,
        MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;

    /// <summary>Flags for mount(2).</summary>
    public ulong Flags { get; private set; }
    /// <summary>Propagation changes, each its own mount(2) call after the mount.</summary>
    public List<ulong> Propagation { get; } = new();
    /// <summary>Options the filesystem itself reads (size=, mode=, ...), comma-joined.</summary>
    public string Data => string.Join(",", data);
    /// <summary>runc extensions (tmpcopyup, idmap, ridmap, rro...) seen in the list.</summary>
    public HashSet<string> Extensions { get; } = new();

    public bool IsBind => (Flags & MS_BIND) != 0;
    public bool IsRecursive => (Flags & MS_REC) != 0;

    private readonly List<string> data = new();

    private static readonly Dictionary<string, (bool Clear, ulong Flag)> FlagTable = new()
    {
        ["acl"] = (false, 1 << 16), ["async"] = (true, MS_SYNCHRONOUS), ["atime"] = (true, MS_NOATIME),
        ["bind"] = (false, MS_BIND), ["defaults"] = (false, 0), ["dev"] = (true, MS_NODEV),
        ["diratime"] = (true, MS_NODIRATIME), ["dirsync"] = (false, MS_DIRSYNC), ["exec"] = (true, MS_NOEXEC),
        ["iversion"] = (false, MS_I_VERSION), ["lazytime"] = (false, MS_LAZYTIME), ["loud"] = (true, MS_SILENT),
        ["mand"] = (false, MS_MANDLOCK), ["noacl"] = (true, 1 << 16), ["noatime"] = (false, MS_NOATIME),
        ["nodev"] = (false, MS_NODEV), ["nodiratime"] = (false, MS_NODIRATIME), ["noexec"] = (false, MS_NOEXEC),
        ["noiversion"] = (true, MS_I_VERSION), ["nolazytime"] = (true, MS_LAZYTIME), ["nomand"] = (true, MS_MANDLOCK),
        ["norelatime"] = (true, MS_RELATIME), ["nostrictatime"] = (true, MS_STRICTATIME), ["nosuid"] = (false, MS_NOSUID),
        ["nosymfollow"] = (false, MS_NOSYMFOLLOW), ["rbind"] = (false, MS_BIND | MS_REC), ["relatime"] = (false, MS_RELATIME),
        ["remount"] = (false, MS_REMOUNT), ["ro"] = (false, MS_RDONLY), ["rw"] = (true, MS_RDONLY),
        ["silent"] = (false, MS_SILENT), ["strictatime"] = (false, MS_STRICTATIME), ["suid"] = (true, MS_NOSUID),
        ["symfollow"] = (true, MS_NOSYMFOLLOW), ["sync"] = (false, MS_SYNCHRONOUS),
    };

    private static readonly Dictionary<string, ulong> PropagationTable = new()
    {
        ["private"] = MS_PRIVATE, ["rprivate"] = MS_PRIVATE | MS_REC, ["shared"] = MS_SHARED,
        ["rshared"] = MS_SHARED | MS_REC, ["slave"] = MS_SLAVE, ["rslave"] = MS_SLAVE | MS_REC,
        ["unbindable"] = MS_UNBINDABLE, ["runbindable"] = MS_UNBINDABLE | MS_REC,
    };

    private static readonly HashSet<string> ExtensionNames = new()
    {
        "tmpcopyup", "idmap", "ridmap", "rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec",
        "rnodiratime", "rdiratime", "rrelatime", "rnorelatime", "rnoatime", "ratime", "rstrictatime", "rnostrictatime",
        "rnosymfollow", "rsymfollow",
    };

    /// <summary>
    /// linux.mountLabel as the SELinux context= option of a mount's data, as runc does for tmpfs
    /// and other filesystems it mounts; unchanged when SELinux is off or there is no label.
    /// </summary>
    public static string WithMountLabel(string data, string? label, bool selinuxEnabled)
    {
        if (!selinuxEnabled || string.IsNullOrEmpty(label)) return data;
        var context = $"context=\"{label}\"";
        return data.Length == 0 ? context : data + "," + context;
    }

    /// <summary>Filesystems that take no context= option (runc labels them otherwise or not at all).</summary>
    public static bool TakesMountLabel(string type) => type is not ("proc" or "sysfs" or "mqueue" or "cgroup" or "cgroup2" or "bind");

    public static MountOptions Parse(IEnumerable<string>? options)
    {
        var m = new MountOptions();
        if (options == null) return m;
        foreach (var raw in options)
        {
            var o = raw.Trim();
            if (o.Length == 0) continue;
            if (FlagTable.TryGetValue(o, out var f))
            {
                if (f.Clear) m.Flags &= ~f.Flag;
                else m.Flags |= f.Flag;
            }
            else if (PropagationTable.TryGetValue(o, out var p)) m.Propagation.Add(p);
            else if (ExtensionNames.Contains(o)) m.Extensions.Add(o);
            else m.data.Add(o);
        }
        return m;
    }

    /// <summary>mount_setattr attributes (set, clear) for the recursive options rro, rnosuid, ... .</summary>
    public static (ulong Set, ulong Clear) RecursiveAttributes(IEnumerable<string> extensions)
    {
        const ulong RDONLY = 0x1, NOSUID = 0x2, NODEV = 0x4, NOEXEC = 0x8, ATIME = 0x70, RELATIME = 0x0, NOATIME = 0x10,
            STRICTATIME = 0x20, NODIRATIME = 0x80, NOSYMFOLLOW = 0x200000;
        ulong set = 0, clr = 0;
        foreach (var e in extensions)
        {
            switch (e)
            {
                case "rro": set |= RDONLY; break;
                case "rrw": clr |= RDONLY; break;
                case "rnosuid": set |= NOSUID; break;
                case "rsuid": clr |= NOSUID; break;
                case "rnodev": set |= NODEV; break;
                case "rdev": clr |= NODEV; break;
                case "rnoexec": set |= NOEXEC; break;
                case "rexec": clr |= NOEXEC; break;
                case "rnodiratime": set |= NODIRATIME; break;
                case "rdiratime": clr |= NODIRATIME; break;
                case "rrelatime": clr |= ATIME; set |= RELATIME; break;
                case "rnoatime": clr |= ATIME; set |= NOATIME; break;
                case "rstrictatime": clr |= ATIME; set |= STRICTATIME; break;
                case "rnosymfollow": set |= NOSYMFOLLOW; break;
                case "rsymfollow": clr |= NOSYMFOLLOW; break;
                case "ratime": case "rnorelatime": case "rnostrictatime": clr |= ATIME; break;
            }
        }
        return (set, clr);
    }

    /// <summary>The flags that a bind mount needs a second (remount) call for.</summary>
    public ulong RemountFlags => Flags & ~(MS_BIND | MS_REC | MS_REMOUNT);

    /// <summary>OCI rootfsPropagation → flags for the "/" mount (runc's default is rslave).</summary>
    public static ulong RootPropagation(string? value) => value switch
    {
        null or "" => MS_SLAVE | MS_REC,
        _ when PropagationTable.TryGetValue(value, out var p) => p,
        _ => throw new ArgumentException($"linux.rootfsPropagation: unknown propagation '{value}'"),
    };

    /// <summary>
    /// True when propagation <paramref name="flags"/> applied recursively to "/" leave no shared
    /// mount behind (rslave, rprivate, runbindable): the rootfs's parent mount then cannot be
    /// shared, and pivot_root needs no look at /proc/self/mountinfo to make it private.
    /// </summary>
    public static bool LeavesNoSharedMount(ulong flags) =>
        (flags & MS_REC) != 0 && (flags & (MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)) != 0 && (flags & MS_SHARED) == 0;

    /// <summary>All option names this runtime understands, for `features`.</summary>
    public static IEnumerable<string> KnownNames => FlagTable.Keys.Concat(PropagationTable.Keys).Concat(new[] { "tmpcopyup", "rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec", "rnodiratime",
        "rdiratime", "rrelatime", "rnorelatime", "rnoatime", "ratime", "rstrictatime", "rnostrictatime", "rnosymfollow", "rsymfollow" }).Order(StringComparer.Ordinal);
}

/// <summary>mount(2) per-mount flags as mount_setattr(2) attributes (include/uapi/linux/mount.h).</summary>
public static class MountAttrs
{
    public const ulong RDONLY = 0x1, NOSUID = 0x2, NODEV = 0x4, NOEXEC = 0x8, ATIME_MASK = 0x70,
        RELATIME = 0x0, NOATIME = 0x10, STRICTATIME = 0x20, NODIRATIME = 0x80;

    /// <summary>
    /// The attributes to set and clear for <paramref name="flags"/> (ro, nosuid, nodev, noexec, one
    /// atime mode, nodiratime); false when the flags hold anything else (then remount instead).
    /// </summary>
    public static bool TryFrom(ulong flags, out ulong set, out ulong clear)
    {
        set = clear = 0;
        const ulong known = MountOptions.MS_RDONLY | MountOptions.MS_NOSUID | MountOptions.MS_NODEV | MountOptions.MS_NOEXEC
            | MountOptions.MS_RELATIME | MountOptions.MS_NOATIME | MountOptions.MS_STRICTATIME | MountOptions.MS_NODIRATIME;
        if ((flags & ~known) != 0) return false;
        if ((flags & MountOptions.MS_RDONLY) != 0) set |= RDONLY;
        if ((flags & MountOptions.MS_NOSUID) != 0) set |= NOSUID;
        if ((flags & MountOptions.MS_NODEV) != 0) set |= NODEV;
        if ((flags & MountOptions.MS_NOEXEC) != 0) set |= NOEXEC;
        if ((flags & MountOptions.MS_NODIRATIME) != 0) set |= NODIRATIME;
        int modes = ((flags & MountOptions.MS_RELATIME) != 0 ? 1 : 0) + ((flags & MountOptions.MS_NOATIME) != 0 ? 1 : 0)
            + ((flags & MountOptions.MS_STRICTATIME) != 0 ? 1 : 0);
        if (modes > 1) return false;
        if (modes == 1)
        {
            clear |= ATIME_MASK;
            if ((flags & MountOptions.MS_NOATIME) != 0) set |= NOATIME;
            else if ((flags & MountOptions.MS_STRICTATIME) != 0) set |= STRICTATIME;
        }
        return true;
    }
}
