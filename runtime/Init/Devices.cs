using OciRuntime.Spec;
using Runcs.Native;

namespace Runcs.Init;

/// <summary>The device nodes and links every container gets, and those config.json adds.</summary>
public static class Devices
{
    public sealed record DefaultDevice(string Path, char Type, uint Major, uint Minor);

    public static readonly IReadOnlyList<DefaultDevice> Defaults = new[]
    {
        new DefaultDevice("/dev/null", 'c', 1, 3), new DefaultDevice("/dev/zero", 'c', 1, 5),
        new DefaultDevice("/dev/full", 'c', 1, 7), new DefaultDevice("/dev/random", 'c', 1, 8),
        new DefaultDevice("/dev/urandom", 'c', 1, 9), new DefaultDevice("/dev/tty", 'c', 5, 0),
    };

    public static readonly IReadOnlyList<(string Link, string Target)> DefaultLinks = new[]
    {
        ("/dev/fd", "/proc/self/fd"), ("/dev/stdin", "/proc/self/fd/0"), ("/dev/stdout", "/proc/self/fd/1"),
        ("/dev/stderr", "/proc/self/fd/2"), ("/dev/ptmx", "pts/ptmx"),
    };

    public static ulong Makedev(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    public static void CreateDefaults(string root, bool userns)
    {
        Sys.MkdirAll(Path.Combine(root, "dev"), "create /dev");
        foreach (var d in Defaults) Create(root, d.Path, d.Type, d.Major, d.Minor, 0x1B6 /* 0666 */, 0, 0, userns);
        foreach (var (link, target) in DefaultLinks)
        {
            var p = root + link;
            if (Sys.LstatPath(p, out _) == 0) continue;
            Sys.Check(Sys.Symlink(target, p), $"symlink {link} -> {target}");
        }
        if (File.Exists("/proc/kcore") && Sys.LstatPath(root + "/dev/core", out _) < 0)
            Sys.Symlink("/proc/kcore", root + "/dev/core");
    }

    public static void CreateFromSpec(string root, List<LinuxDevice>? devices, bool userns)
    {
        if (devices == null) return;
        foreach (var d in devices)
        {
            if (string.IsNullOrEmpty(d.Path) || string.IsNullOrEmpty(d.Type)) continue;
            Create(root, d.Path, d.Type[0], (uint)d.Major, (uint)d.Minor, d.FileMode ?? 0x1B6, d.Uid ?? 0, d.Gid ?? 0, userns);
        }
    }

    private static void Create(string root, string path, char type, uint major, uint minor, uint mode, uint uid, uint gid, bool userns)
    {
        var dest = SecurePath.Join(root, path);
        var parent = Path.GetDirectoryName(dest);
        if (parent != null) Sys.MkdirAll(parent, "create device node");
        if (userns)
        {
            // mknod is not allowed in a user namespace: bind the host's node instead.
            Rootfs.CreateMountPoint(dest, false);
            Sys.Check(Sys.Mount(path, dest, "bind", MountOptions.MS_BIND, null), $"bind device {path}");
            return;
        }
        uint fmt = type switch
        {
            'c' or 'u' => Sys.S_IFCHR,
            'b' => Sys.S_IFBLK,
            'p' => Sys.S_IFIFO,
            _ => throw new RuncsException($"device {path}: unknown type '{type}'"),
        };
        if (Sys.LstatPath(dest, out var existing) == 0)
        {
            // The spec: a file already at the path that is not this device is an error.
            bool same = (existing.Mode & Sys.S_IFMT) == fmt && existing.Rdev == Makedev(major, minor);
            if (!same) throw new RuncsException($"linux.devices: {path} already exists in the rootfs and is not device {type} {major}:{minor}");
            Sys.Unlink(dest);
        }
        if (Sys.Mknod(dest, fmt | (mode & 0xFFF), Makedev(major, minor)) < 0)
        {
            int e = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            // e.g. /dev/ptmx: the default link resolves onto devpts' own ptmx (runc ignores EEXIST too).
            if (e == Errno.EEXIST) return;
            throw new SysException($"mknod {path}", e);
        }
        Sys.Check(Sys.Chmod(dest, mode & 0xFFF), $"chmod {path}");
        Sys.Check(Sys.Chown(dest, uid, gid), $"chown {path}");
    }
}
