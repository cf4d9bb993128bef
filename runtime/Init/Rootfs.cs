using OciRuntime.Spec;
using Runcs.Bootstrap;
using Runcs.Native;
using static Runcs.Init.MountOptions;

namespace Runcs.Init;

/// <summary>
/// Builds the container's root filesystem inside init's new mount namespace:
/// propagation, the mounts of config.json, /dev, then pivot_root. Runs in init,
/// after the C stage created the namespaces and before the user's program.
/// </summary>
public sealed partial class Rootfs
{
    private readonly Spec spec;
    private readonly string root;
    private readonly InitConfig cfg;
    private readonly bool userns;
    /// <summary>SELinux is on: linux.mountLabel goes into the data of the mounts made here. Read before pivot_root.</summary>
    private readonly bool selinux = ProcessAttributes.SelinuxEnabled();

    public Rootfs(Spec spec, InitConfig cfg)
    {
        this.spec = spec;
        this.cfg = cfg;
        root = spec.Root!.Path!;
        // In a user namespace (its own, or one it inherited) mknod is refused: devices are bind mounted.
        userns = spec.Linux?.Namespaces?.Any(n => n.Type == "user") == true || Cgroups.CgroupManager.InUserNamespace();
    }

    /// <param name="ownMountNamespace">false: the container shares the caller's mount namespace; the
    /// mounts are made there all the same (as runc does) but "/" is left alone.</param>
    public void Prepare(bool ownMountNamespace = true)
    {
        if (ownMountNamespace)
        {
            // Nothing of what follows may propagate back to the host.
            var propagation = RootPropagation(spec.Linux?.RootfsPropagation);
            Sys.Check(Sys.Mount(null, "/", null, propagation, null), "make / propagation private to the container");
            // pivot_root refuses a shared parent mount (rootfsPropagation "shared"): as runc, make it private.
            // After the default rslave (or rprivate) no mount is shared: nothing to look up.
            if (!LeavesNoSharedMount(propagation)) MakeParentMountPrivate(root);
            // pivot_root needs the new root to be a mount point.
            Sys.Check(Sys.Mount(root, root, "bind", MS_BIND | MS_REC, null), $"bind mount rootfs {root} onto itself");
        }

        bool devFromHost = false;
        var mounts = spec.Mounts ?? new List<Mount>();
        for (int i = 0; i < mounts.Count; i++)
        {
            var m = mounts[i];
            int idmapped = cfg.MountFds is { } fds && i < fds.Count ? fds[i] : -1;
            MountOne(m, idmapped);
            if (m.Destination == "/dev" && Parse(m.Options).IsBind) devFromHost = true;
        }
        if (!devFromHost)
        {
            Devices.CreateDefaults(root, userns);
        }
        Devices.CreateFromSpec(root, spec.Linux?.Devices, userns);
    }

    private static void MakeParentMountPrivate(string path)
    {
        var info = Sys.TryReadFile("/proc/self/mountinfo") ?? "";
        var (mountPoint, shared) = MountInfo.Containing(info, path);
        if (mountPoint != null && shared)
            Sys.Check(Sys.Mount(null, mountPoint, null, MS_PRIVATE, null), $"make {mountPoint} (parent mount of the rootfs) private");
    }

    /// <param name="idmappedFd">an id-mapped copy of the source made by the runtime (see
    /// Container.IdMappedMounts), attached here instead of a bind mount; -1 for none.</param>
    public void MountOne(Mount m, int idmappedFd = -1)
    {
        if (string.IsNullOrEmpty(m.Destination) || !m.Destination.StartsWith('/'))
            throw new RuncsException($"mount destination must be an absolute path: '{m.Destination}'");
        var opts = Parse(m.Options);
        var type = m.Type ?? "";
        bool bind = opts.IsBind || type == "bind";
        var dest = SecurePath.Join(root, m.Destination);

        if (type == "cgroup" || type == "cgroup2")
        {
            MountCgroup(dest, opts);
            return;
        }

        if (bind)
        {
            var source = m.Source ?? throw new RuncsException($"mount {m.Destination}: bind mount without a source");
            // An id-mapped copy is stat'ed through its fd: inside a user namespace the source's
            // path on the host may not be reachable.
            if ((idmappedFd >= 0 ? Sys.Fstat(idmappedFd, out var st) : Sys.StatPath(source, out st)) < 0)
                throw SysException.Last($"bind mount {source} on {m.Destination}: stat source");
            CreateMountPoint(dest, Sys.IsDir(st.Mode));
            if (idmappedFd >= 0)
            {
                Sys.Check(Sys.MoveMountFd(idmappedFd, dest), $"attach id-mapped mount of {source} on {m.Destination} (move_mount)");
                Sys.Close(idmappedFd);
            }
            else
            {
                ulong flags = MS_BIND | (opts.IsRecursive ? MS_REC : 0);
                Sys.Check(Sys.Mount(source, dest, "bind", flags, null), $"bind mount {source} on {m.Destination}");
            }
            ulong remount = opts.RemountFlags;
            if (remount != 0)
            {
                Sys.Check(Sys.Mount(null, dest, null, MS_BIND | MS_REMOUNT | remount | LockedFlags(dest), null),
                    $"remount {m.Destination} with its options");
            }
        }
        else if (type == "tmpfs" && opts.Extensions.Contains("tmpcopyup"))
        {
            MountTmpfsCopyUp(m, dest, opts);
        }
        else
        {
            CreateMountPoint(dest, true);
            var data = TakesMountLabel(type) ? WithMountLabel(opts.Data, spec.Linux?.MountLabel, selinux) : opts.Data;
            int rc = Sys.Mount(m.Source ?? type, dest, type, opts.Flags, data.Length > 0 ? data : null);
            if (rc < 0)
            {
                int e = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                // sysfs cannot be mounted in a user namespace that does not own the network namespace: bind it as runc does.
                if (type == "sysfs" && e == Errno.EPERM)
                {
                    Sys.Check(Sys.Mount("/sys", dest, null, MS_BIND | MS_REC, null), $"bind mount /sys on {m.Destination}");
                    if ((opts.Flags & MS_RDONLY) != 0)
                        Sys.Mount(null, dest, null, MS_BIND | MS_REMOUNT | MS_RDONLY | LockedFlags(dest), null);
                }
                else throw new SysException($"mount {type} on {m.Destination}", e);
            }
        }
        foreach (var p in opts.Propagation)
            Sys.Check(Sys.Mount(null, dest, null, p, null), $"set propagation of {m.Destination}");
        ApplyRecursive(dest, m.Destination, opts);
    }

    /// <summary>rro, rnosuid, rnoexec, ... : mount_setattr(AT_RECURSIVE) on the whole tree (kernel 5.12+).</summary>
    private static void ApplyRecursive(string dest, string name, MountOptions opts)
    {
        var (set, clr) = MountOptions.RecursiveAttributes(opts.Extensions);
        if (set == 0 && clr == 0) return;
        if (Sys.MountSetattr(Sys.AT_FDCWD, dest, Sys.AT_RECURSIVE, set, clr) < 0)
            throw SysException.Last($"mounts: recursive options on {name} (mount_setattr)");
    }

    /// <summary>tmpcopyup: the new tmpfs starts with what the directory held (runc's extension).</summary>
    private void MountTmpfsCopyUp(Mount m, string dest, MountOptions opts)
    {
        CreateMountPoint(dest, true);
        var stash = Path.Combine(Path.GetTempPath(), $"runcs-copyup-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(stash);
        try
        {
            Sys.Check(Sys.Mount(dest, stash, null, MS_BIND, null), $"tmpcopyup: keep the content of {m.Destination}");
            var data = WithMountLabel(opts.Data, spec.Linux?.MountLabel, selinux);
            Sys.Check(Sys.Mount(m.Source ?? "tmpfs", dest, "tmpfs", opts.Flags & ~MS_RDONLY, data.Length > 0 ? data : null), $"mount tmpfs on {m.Destination}");
            CopyTree(stash, dest);
            if ((opts.Flags & MS_RDONLY) != 0)
                Sys.Check(Sys.Mount(null, dest, null, MS_REMOUNT | opts.Flags, data.Length > 0 ? data : null), $"remount {m.Destination} read-only");
        }
        finally
        {
            Sys.Umount2(stash, Sys.MNT_DETACH);
            try { Directory.Delete(stash); } catch (IOException) { }
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(from))
        {
            var target = Path.Combine(to, Path.GetFileName(entry));
            if (Sys.LstatPath(entry, out var st) < 0) continue;
            uint kind = st.Mode & Sys.S_IFMT;
            if (kind == Sys.S_IFLNK)
            {
                var link = new FileInfo(entry).LinkTarget;
                if (link != null) Sys.Symlink(link, target);
                Lchown(target, st.Uid, st.Gid);
                continue;
            }
            if (kind == Sys.S_IFDIR)
            {
                Sys.Mkdir(target, st.Mode & 0xFFF);
                CopyTree(entry, target);
            }
            else if (kind == Sys.S_IFREG) File.Copy(entry, target, true);
            else Sys.Mknod(target, st.Mode, st.Rdev);
            Sys.Chmod(target, st.Mode & 0xFFF);
            Sys.Chown(target, st.Uid, st.Gid);
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int Lchown(string path, uint uid, uint gid);

    /// <summary>
    /// The container sees its own cgroups at the destination: a fresh mount of each
    /// hierarchy when it has a cgroup namespace, else a bind of its directories.
    /// </summary>
    private void MountCgroup(string dest, MountOptions opts)
    {
        CreateMountPoint(dest, true);
        bool cgroupns = spec.Linux?.Namespaces?.Any(n => n.Type == "cgroup") == true;
        ulong flags = opts.Flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME | MS_RDONLY);
        var paths = cfg.CgroupPaths ?? new Dictionary<string, string>();
        bool onlyV2 = paths.Count > 0 && paths.Keys.All(k => k == "v2");
        if (onlyV2)
        {
            if (cgroupns) Sys.Check(Sys.Mount("cgroup2", dest, "cgroup2", flags, null), "mount cgroup2 on the cgroup mount");
            else Sys.Check(Sys.Mount(paths["v2"], dest, null, MS_BIND | flags, null), "bind the container's cgroup2");
            return;
        }
        Sys.Check(Sys.Mount("tmpfs", dest, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755"), "mount tmpfs for the cgroup hierarchies");
        // The hierarchies' binds take the mount's flags in one recursive mount_setattr at the end
        // (tmpfs included), not one remount each: ten system calls less on the way to start.
        bool perMountRemount = cgroupns || !MountAttrs.TryFrom(flags, out _, out _);
        foreach (var (key, hostDir) in paths)
        {
            string name = Cgroups.CgroupLayout.DirName(key);
            var sub = Path.Combine(dest, name);
            Sys.Mkdir(sub, 0x1ED);
            if (cgroupns)
            {
                string fstype = key == "v2" ? "cgroup2" : "cgroup";
                string? data = key == "v2" ? null : key.StartsWith("name=") ? "none," + key : key;
                Sys.Check(Sys.Mount("cgroup", sub, fstype, flags, data), $"mount cgroup {key}");
            }
            else
            {
                Sys.Check(Sys.Mount(hostDir, sub, null, MS_BIND, null), $"bind cgroup {hostDir}");
                if (flags != 0 && perMountRemount) Sys.Mount(null, sub, null, MS_BIND | MS_REMOUNT | flags, null);
            }
            // cpu,cpuacct is also reachable as cpu and cpuacct.
            if (key.Contains(',') && !key.StartsWith("name="))
                foreach (var c in key.Split(','))
                    Sys.Symlink(name, Path.Combine(dest, c));
        }
        if (!perMountRemount && flags != 0)
        {
            MountAttrs.TryFrom(flags, out var set, out var clear);
            if (Sys.MountSetattr(Sys.AT_FDCWD, dest, Sys.AT_RECURSIVE, set, clear) < 0)
            {
                int e = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (e != Errno.ENOSYS) throw new SysException($"set the cgroup mount's flags on {dest} (mount_setattr)", e);
                // A kernel before 5.12: one remount each, as before.
                foreach (var (key, _) in paths)
                    Sys.Mount(null, Path.Combine(dest, Cgroups.CgroupLayout.DirName(key)), null, MS_BIND | MS_REMOUNT | flags, null);
            }
        }
        // The tmpfs's superblock read-only too, as runc leaves it.
        if ((opts.Flags & MS_RDONLY) != 0)
            Sys.Check(Sys.Mount(null, dest, null, MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "mode=755"), "make the cgroup tmpfs read-only");
    }

    /// <summary>The flags a remount must keep: the kernel refuses to drop nosuid/nodev/noexec/ro locked by the source.</summary>
    private static ulong LockedFlags(string path)
    {
        ulong f = Sys.StatVfsFlags(path) ?? 0, r = 0;
        if ((f & Sys.ST_NOSUID) != 0) r |= MS_NOSUID;
        if ((f & Sys.ST_NODEV) != 0) r |= MS_NODEV;
        if ((f & Sys.ST_NOEXEC) != 0) r |= MS_NOEXEC;
        return r;
    }

    public static void CreateMountPoint(string dest, bool dir)
    {
        if (dir)
        {
            Sys.MkdirAll(dest, "create mount point");
            return;
        }
        var parent = Path.GetDirectoryName(dest);
        if (parent != null) Sys.MkdirAll(parent, "create mount point");
        if (!File.Exists(dest) && !Directory.Exists(dest))
        {
            int fd = Sys.Open(dest, Sys.O_CREAT | Sys.O_WRONLY | Sys.O_CLOEXEC, 0x1A4);
            if (fd < 0) throw SysException.Last($"create mount point {dest}");
            Sys.Close(fd);
        }
    }

    /// <summary>Makes the prepared root the process's "/" (pivot_root, or MS_MOVE + chroot with --no-pivot).</summary>
    public void SwitchRoot()
    {
        if (cfg.NoPivot)
        {
            Sys.Check(Sys.Chdir(root), $"chdir to {root}");
            Sys.Check(Sys.Mount(root, "/", null, MS_MOVE, null), "move the rootfs to /");
            Sys.Check(Sys.Chroot("."), "chroot into the rootfs");
            Sys.Check(Sys.Chdir("/"), "chdir /");
            return;
        }
        int oldRoot = Sys.CheckFd(Sys.Open("/", Sys.O_DIRECTORY | Sys.O_RDONLY | Sys.O_CLOEXEC, 0), "open /");
        int newRoot = Sys.CheckFd(Sys.Open(root, Sys.O_DIRECTORY | Sys.O_RDONLY | Sys.O_CLOEXEC, 0), $"open {root}");
        try
        {
            Sys.Check(Sys.Fchdir(newRoot), "chdir to the rootfs");
            if (Sys.PivotRoot(".", ".") < 0) throw SysException.Last("pivot_root");
            Sys.Check(Sys.Fchdir(oldRoot), "chdir to the old root");
            // Slave first, so that unmounting the old root never propagates to the host.
            Sys.Check(Sys.Mount(null, ".", null, MS_SLAVE | MS_REC, null), "make the old root rslave");
            Sys.Check(Sys.Umount2(".", Sys.MNT_DETACH), "unmount the old root");
            Sys.Check(Sys.Chdir("/"), "chdir /");
        }
        finally
        {
            Sys.Close(oldRoot);
            Sys.Close(newRoot);
        }
    }

    /// <summary>After the switch: masked and read-only paths, then the read-only root.</summary>
    public void FinishMounts()
    {
        foreach (var p in spec.Linux?.ReadonlyPaths ?? new List<string>())
        {
            if (Sys.LstatPath(p, out _) < 0) continue;
            Sys.Check(Sys.Mount(p, p, null, MS_BIND | MS_REC, null), $"bind {p} read-only");
            Sys.Check(Sys.Mount(null, p, null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | LockedFlags(p), null), $"remount {p} read-only");
        }
        foreach (var p in spec.Linux?.MaskedPaths ?? new List<string>())
        {
            if (Sys.StatPath(p, out var st) < 0) continue;
            if (Sys.IsDir(st.Mode))
            {
                var data = WithMountLabel("", spec.Linux?.MountLabel, selinux);
                Sys.Check(Sys.Mount("tmpfs", p, "tmpfs", MS_RDONLY, data.Length > 0 ? data : null), $"mask {p}");
            }
            else
                Sys.Check(Sys.Mount("/dev/null", p, null, MS_BIND, null), $"mask {p}");
        }
        if (spec.Root?.Readonly == true)
            Sys.Check(Sys.Mount(null, "/", null, MS_BIND | MS_REMOUNT | MS_RDONLY | LockedFlags("/"), null), "remount / read-only");
    }
}
