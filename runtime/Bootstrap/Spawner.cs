using System.Runtime.InteropServices;
using System.Text;
using Runcs.Native;

namespace Runcs.Bootstrap;

/// <summary>
/// Starts a copy of runcs whose C constructor runs the bootstrap stage.
/// posix_spawn does the fork+exec inside libc, so no managed code ever runs in a
/// fork child of this multi-threaded process. The child gets exactly: fds 0-2,
/// the preserved fds 3..3+N-1, and the fds listed in <see cref="SpawnRequest.ChildFds"/>
/// placed right after them; everything else is closed. Its signal mask is empty
/// and every signal has its default disposition.
/// </summary>
public static unsafe class Spawner
{
    public sealed class SpawnRequest
    {
        public int PreserveFds { get; init; }
        /// <summary>Fds to hand to the child, in order, at 3+PreserveFds, 3+PreserveFds+1, ...</summary>
        public List<int> ChildFds { get; init; } = new();
        public List<string> Environment { get; init; } = new();
    }

    /// <summary>The first fd number after the preserved ones.</summary>
    public static int FirstChildFd(int preserveFds) => 3 + preserveFds;

    public static int Spawn(SpawnRequest req)
    {
        string exePath = ProtectedExecutable.Path;
        int firstChild = FirstChildFd(req.PreserveFds);

        // Move every source fd above all targets so one dup2 cannot clobber another's source —
        // but only just above: growing the fd table of a multi-threaded process waits for an
        // RCU grace period (~10 ms).
        int floor = firstChild + req.ChildFds.Count;
        var moved = new List<int>();
        try
        {
            foreach (var fd in req.ChildFds)
            {
                int m = fd < 0 ? -1 : Sys.Fcntl(fd, Sys.F_DUPFD_CLOEXEC, floor);
                if (fd >= 0 && m < 0) throw SysException.Last("duplicate an fd for the container process");
                moved.Add(m);
            }

            byte* actions = stackalloc byte[256];
            byte* attr = stackalloc byte[512];
            Sys.SpawnActionsInit(actions);
            Sys.SpawnAttrInit(attr);
            try
            {
                for (int i = 0; i < moved.Count; i++)
                {
                    if (moved[i] >= 0) Sys.SpawnActionsAddDup2(actions, moved[i], firstChild + i);
                }
                // Nothing of the caller's beyond what was asked for reaches the child
                // (containerd's shim leaks its socket as fd 3 without CLOEXEC).
                Sys.SpawnActionsAddClosefrom(actions, firstChild + moved.Count);

                Sys.SpawnAttrDefaultSignals(attr);

                var argv = new List<string> { "runcs", "init" };
                using var argvBlock = new CStringArray(argv);
                using var envBlock = new CStringArray(req.Environment);
                using var pathBlock = new CStringArray(new List<string> { exePath });
                int rc = Sys.PosixSpawn(out int pid, pathBlock.Pointers[0], actions, attr, argvBlock.Pointers, envBlock.Pointers);
                if (rc != 0) throw new SysException("spawn the runcs bootstrap stage", rc);
                return pid;
            }
            finally
            {
                Sys.SpawnActionsDestroy(actions);
                Sys.SpawnAttrDestroy(attr);
            }
        }
        finally
        {
            foreach (var m in moved) if (m >= 0) Sys.Close(m);
        }
    }
}

/// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings in unmanaged memory.</summary>
public sealed unsafe class CStringArray : IDisposable
{
    public byte** Pointers { get; private set; }
    private readonly int count;

    public CStringArray(IReadOnlyList<string> items)
    {
        count = items.Count;
        Pointers = (byte**)NativeMemory.Alloc((nuint)(count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(items[i]);
            var p = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
            bytes.AsSpan().CopyTo(new Span<byte>(p, bytes.Length));
            p[bytes.Length] = 0;
            Pointers[i] = p;
        }
        Pointers[count] = null;
    }

    public void Dispose()
    {
        if (Pointers == null) return;
        for (int i = 0; i < count; i++) NativeMemory.Free(Pointers[i]);
        NativeMemory.Free(Pointers);
        Pointers = null;
    }
}

/// <summary>
/// The path runcs re-executes itself from, never a writable path to its binary
/// (CVE-2019-5736: a workload that execs /proc/self/exe of a runcs process would
/// otherwise reach the host's binary and could overwrite it). The first choice
/// is a read-only bind mount of the binary, made once per host and binary
/// version under /run/runcs-exe: writes through it fail with EROFS whatever
/// the capabilities, and it costs nothing per container. Where it cannot be
/// made, a sealed memfd copy (a few milliseconds per container).
/// </summary>
public static class ProtectedExecutable
{
    public const string Dir = "/run/runcs-exe";
    private static string? path;

    public static string Path => path ??= Resolve();

    private static string Resolve()
    {
        try
        {
            var ro = ReadOnlyBind();
            if (ro != null) return ro;
        }
        catch (Exception e) when (e is IOException or SysException or UnauthorizedAccessException)
        {
            Logging.RuncLog.Debug($"read-only binary mount unavailable ({e.Message}); using a sealed memfd copy");
        }
        return $"/proc/{Sys.Getpid()}/fd/{SealedExecutable.Fd}";
    }

    private static string? ReadOnlyBind()
    {
        if (Sys.StatPath("/proc/self/exe", out var self) < 0) return null;
        var name = $"runcs-{self.Dev:x}-{self.Ino:x}-{self.Mtime:x}.{self.MtimeNsec:x}";
        var target = System.IO.Path.Combine(Dir, name);
        if (IsReadOnlyBindOf(target, self)) return target;

        Directory.CreateDirectory(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        int lockFd = Sys.CheckFd(Sys.Open(Dir, Sys.O_RDONLY | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0), $"open {Dir}");
        try
        {
            Sys.Flock(lockFd, Sys.LOCK_EX);
            if (IsReadOnlyBindOf(target, self)) return target;
            PruneStale();
            int fd = Sys.CheckFd(Sys.Open(target, Sys.O_CREAT | Sys.O_WRONLY | Sys.O_CLOEXEC, 0x16D /* 0555 */), $"create {target}");
            Sys.Close(fd);
            Sys.Check(Sys.Mount("/proc/self/exe", target, null, Init.MountOptions.MS_BIND, null), $"bind the runcs binary on {target}");
            Sys.Check(Sys.Mount(null, target, null, Init.MountOptions.MS_BIND | Init.MountOptions.MS_REMOUNT | Init.MountOptions.MS_RDONLY
                | Init.MountOptions.MS_NOSUID | Init.MountOptions.MS_NODEV, null), $"make {target} read-only");
            return IsReadOnlyBindOf(target, self) ? target : null;
        }
        finally
        {
            Sys.Close(lockFd);
        }
    }

    /// <summary>
    /// Removes the entries of binaries that were deleted (upgraded or rebuilt) and that no
    /// process runs any more. Each entry is a mount every process on the host sees in
    /// /proc/self/mountinfo, which the .NET runtime and runcs itself read at every start; left
    /// alone they pile up with every upgrade. An entry is in use while any process's executable
    /// is that file — a runcs of that build about to exec it included, so none loses its entry.
    /// Runs only when a new entry is made, under the directory's lock.
    /// </summary>
    private static void PruneStale()
    {
        string[] entries;
        try { entries = Directory.GetFiles(Dir, "runcs-*"); }
        catch (IOException) { return; }
        var stale = new List<(string Path, ulong Dev, ulong Ino)>();
        foreach (var e in entries)
            if (Sys.StatPath(e, out var st) == 0 && st.Nlink == 0) stale.Add((e, st.Dev, st.Ino));
        if (stale.Count == 0) return;
        var running = new HashSet<(ulong, ulong)>();
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            var name = System.IO.Path.GetFileName(d);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0])) continue;
            if (Sys.StatPath(d + "/exe", out var exe) == 0) running.Add((exe.Dev, exe.Ino));
        }
        foreach (var (path, dev, ino) in stale)
        {
            if (running.Contains((dev, ino))) continue;
            // Detached: a process that opened it keeps its file; nothing else can reach it.
            while (Sys.Umount2(path, Sys.MNT_DETACH) == 0) { }
            Sys.Unlink(path);
            Logging.RuncLog.Debug($"removed the stale runcs binary mount {path}");
        }
    }

    private static bool IsReadOnlyBindOf(string target, Sys.Stat self)
    {
        if (Sys.StatPath(target, out var st) < 0 || st.Ino != self.Ino || st.Dev != self.Dev) return false;
        return (Sys.StatVfsFlags(target) & Sys.ST_RDONLY) is > 0;
    }
}

/// <summary>
/// The runcs binary as a sealed, read-only memfd copy: the container can never
/// reach a writable path to the runtime's executable through /proc/PID/exe of a
/// runcs process that joined it (the CVE-2019-5736 class).
/// </summary>
public static unsafe class SealedExecutable
{
    private static int fd = -1;

    public static int Fd
    {
        get
        {
            if (fd < 0) fd = Create();
            return fd;
        }
    }

    private static int Create()
    {
        const uint MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2;
        const int F_ADD_SEALS = 1033;
        const int F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;
        int src = Sys.CheckFd(Sys.Open("/proc/self/exe", Sys.O_RDONLY | Sys.O_CLOEXEC, 0), "open /proc/self/exe");
        try
        {
            Sys.Check(Sys.Fstat(src, out var st), "stat /proc/self/exe");
            int mfd = Sys.CheckFd(Sys.MemfdCreate("runcs", MFD_CLOEXEC | MFD_ALLOW_SEALING), "memfd_create for the runcs copy");
            long left = st.Size;
            while (left > 0)
            {
                nint n = Sys.Sendfile(mfd, src, null, (nint)Math.Min(left, 1 << 30));
                if (n < 0) throw SysException.Last("copy runcs into a memfd");
                if (n == 0) break;
                left -= n;
            }
            Sys.Check(Sys.Fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE), "seal the runcs memfd");
            return mfd;
        }
        finally
        {
            Sys.Close(src);
        }
    }
}
