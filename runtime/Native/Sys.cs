using System.Runtime.InteropServices;

namespace Runcs.Native;

/// <summary>
/// Every P/Invoke of runcs that Tmds.LibC does not cover well enough lives here:
/// LibraryImport with SetLastError so errno is captured right after the call.
/// Constants come from Tmds.Linux.LibC where it has them.
/// </summary>
public static unsafe partial class Sys
{
    private const string Libc = "libc";

    [StructLayout(LayoutKind.Sequential)]
    public struct Stat
    {
        // x86_64 struct stat
        public ulong Dev;
        public ulong Ino;
        public ulong Nlink;
        public uint Mode;
        public uint Uid;
        public uint Gid;
        public int Pad0;
        public ulong Rdev;
        public long Size;
        public long Blksize;
        public long Blocks;
        public long Atime, AtimeNsec, Mtime, MtimeNsec, Ctime, CtimeNsec;
        public long Reserved0, Reserved1, Reserved2;
    }

    public const uint S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFREG = 0x8000, S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFIFO = 0x1000, S_IFLNK = 0xA000, S_IFSOCK = 0xC000;

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, uint mode);

    [LibraryImport(Libc, EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int dirfd, string path, int flags, uint mode);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buf, nint count);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buf, nint count);

    [LibraryImport(Libc, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport(Libc, EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Umount2(string target, int flags);
    public const int MNT_DETACH = 2;

    [LibraryImport(Libc, EntryPoint = "chdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chdir(string path);

    [LibraryImport(Libc, EntryPoint = "fchdir", SetLastError = true)]
    public static partial int Fchdir(int fd);

    [LibraryImport(Libc, EntryPoint = "chroot", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chroot(string path);

    [LibraryImport(Libc, EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mkdir(string path, uint mode);

    [LibraryImport(Libc, EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mknod(string path, uint mode, ulong dev);

    [LibraryImport(Libc, EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mkfifo(string path, uint mode);

    [LibraryImport(Libc, EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chown(string path, uint uid, uint gid);

    [LibraryImport(Libc, EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chmod(string path, uint mode);

    [LibraryImport(Libc, EntryPoint = "symlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Symlink(string target, string linkpath);

    [LibraryImport(Libc, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unlink(string path);

    [LibraryImport(Libc, EntryPoint = "unshare", SetLastError = true)]
    public static partial int Unshare(int flags);

    [LibraryImport(Libc, EntryPoint = "rmdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rmdir(string path);

    [LibraryImport(Libc, EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(string from, string to);

    [LibraryImport(Libc, EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int StatPath(string path, out Stat st);

    [LibraryImport(Libc, EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LstatPath(string path, out Stat st);

    [LibraryImport(Libc, EntryPoint = "fstat", SetLastError = true)]
    public static partial int Fstat(int fd, out Stat st);

    [LibraryImport(Libc, EntryPoint = "fstatat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FstatAt(int dirfd, string path, out Stat st, int flags);

    [LibraryImport(Libc, EntryPoint = "sethostname", SetLastError = true)]
    public static partial int Sethostname(byte* name, nint len);

    [LibraryImport(Libc, EntryPoint = "setdomainname", SetLastError = true)]
    public static partial int Setdomainname(byte* name, nint len);

    // Credentials of the calling thread only, through the raw system calls. glibc's wrappers
    // apply them to every thread of the process (POSIX): each call signals the runtime's other
    // threads and waits until all have switched, ~70 us apiece on the way to a container's start.
    // The container process needs them on the thread that calls execve, which ends the others.
    public static int SetresuidThisThread(uint r, uint e, uint s) => (int)Syscall(SYS_setresuid, r, e, s, 0, 0);

    public static int SetresgidThisThread(uint r, uint e, uint s) => (int)Syscall(SYS_setresgid, r, e, s, 0, 0);

    public static int SetgroupsThisThread(nint size, uint* list) => (int)Syscall(SYS_setgroups, size, (long)list, 0, 0, 0);

    [LibraryImport(Libc, EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3, long a4, long a5);

    [LibraryImport(Libc, EntryPoint = "prlimit", SetLastError = true)]
    public static partial int Prlimit(int pid, int resource, ulong* newLimit, ulong* oldLimit);

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int sig);

    [LibraryImport(Libc, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int Waitpid(int pid, out int status, int options);

    [LibraryImport(Libc, EntryPoint = "socketpair", SetLastError = true)]
    public static partial int Socketpair(int domain, int type, int protocol, int* sv);

    [LibraryImport(Libc, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Libc, EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, byte* addr, int len);

    [LibraryImport(Libc, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int Setsockopt(int fd, int level, int name, int* value, int len);

    [LibraryImport(Libc, EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint Sendmsg(int fd, void* msg, int flags);

    [LibraryImport(Libc, EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint Recvmsg(int fd, void* msg, int flags);

    [LibraryImport(Libc, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, byte* buf, nint len, int flags);

    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, void* arg);

    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlInt(int fd, ulong request, long arg);

    [LibraryImport(Libc, EntryPoint = "dup3", SetLastError = true)]
    public static partial int Dup3(int oldfd, int newfd, int flags);

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport(Libc, EntryPoint = "setsid", SetLastError = true)]
    public static partial int Setsid();

    [LibraryImport(Libc, EntryPoint = "umask")]
    public static partial uint Umask(uint mask);

    [LibraryImport(Libc, EntryPoint = "getpid")]
    public static partial int Getpid();

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    public static partial uint Geteuid();

    [LibraryImport(Libc, EntryPoint = "sigprocmask", SetLastError = true)]
    public static partial int Sigprocmask(int how, ulong* set, ulong* old);

    [LibraryImport(Libc, EntryPoint = "signal", SetLastError = true)]
    public static partial nint Signal(int sig, nint handler);

    [LibraryImport(Libc, EntryPoint = "execve", SetLastError = true)]
    public static partial int Execve(byte* path, byte** argv, byte** envp);

    [LibraryImport(Libc, EntryPoint = "posix_spawn", SetLastError = true)]
    public static partial int PosixSpawn(out int pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int SpawnActionsInit(void* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int SpawnActionsDestroy(void* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int SpawnActionsAddDup2(void* actions, int fd, int newfd);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    public static partial int SpawnActionsAddClosefrom(void* actions, int from);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_init")]
    public static partial int SpawnAttrInit(void* attr);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int SpawnAttrDestroy(void* attr);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int SpawnAttrSetFlags(void* attr, short flags);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int SpawnAttrSetSigmask(void* attr, ulong* mask);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int SpawnAttrSetSigdefault(void* attr, ulong* mask);

    [LibraryImport(Libc, EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport(Libc, EntryPoint = "sendfile", SetLastError = true)]
    public static partial nint Sendfile(int outFd, int inFd, long* offset, nint count);

    [LibraryImport(Libc, EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int op);


    [LibraryImport("runcs_bootstrap", EntryPoint = "runcs_bootstrap_linked")]
    public static partial int BootstrapLinked();

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long SyscallStr2(long number, string a, string b);

    public static int PivotRoot(string newRoot, string putOld) => (int)SyscallStr2(SYS_pivot_root, newRoot, putOld);

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long SyscallKeyctlJoin(long number, long op, string name);

    public static int JoinSessionKeyring(string name) => (int)SyscallKeyctlJoin(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, name);

    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(void* fds, ulong nfds, int timeout);

    [LibraryImport(Libc, EntryPoint = "statvfs", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatVfs(string path, byte* buf);

    public const ulong ST_RDONLY = 1, ST_NOSUID = 2, ST_NODEV = 4, ST_NOEXEC = 8;

    [LibraryImport(Libc, EntryPoint = "statfs", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatFs(string path, byte* buf);

    public const long CGROUP_SUPER_MAGIC = 0x27e0eb, CGROUP2_SUPER_MAGIC = 0x63677270;

    /// <summary>f_type of statfs(path) (the filesystem's magic number), or null when it fails.</summary>
    public static long? FsType(string path)
    {
        byte* buf = stackalloc byte[128];
        if (StatFs(path, buf) < 0) return null;
        return *(long*)buf; // f_type, the first field of x86_64 struct statfs
    }

    /// <summary>f_flag of statvfs(path) (ST_RDONLY, ST_NOSUID, ...), or null when it fails.</summary>
    public static ulong? StatVfsFlags(string path)
    {
        byte* buf = stackalloc byte[128];
        if (StatVfs(path, buf) < 0) return null;
        return *(ulong*)(buf + 72); // f_flag of x86_64 struct statvfs
    }

    /// <summary>
    /// posix_spawn attributes every child of runcs gets: an empty signal mask and the
    /// default disposition for every signal, whatever runcs itself inherited or set.
    /// </summary>
    public static void SpawnAttrDefaultSignals(void* attr)
    {
        // glibc's sigset_t is 128 bytes; signal N is bit N-1. SIGKILL and SIGSTOP cannot be set.
        ulong* empty = stackalloc ulong[16];
        ulong* all = stackalloc ulong[16];
        for (int i = 0; i < 16; i++) { empty[i] = 0; all[i] = 0; }
        all[0] = ~0UL & ~((1UL << (9 - 1)) | (1UL << (19 - 1)));
        SpawnAttrSetSigmask(attr, empty);
        SpawnAttrSetSigdefault(attr, all);
        const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
        SpawnAttrSetFlags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    }

    // Syscall numbers (x86_64) for calls glibc does not wrap.
    public const long SYS_pivot_root = 155, SYS_capget = 125, SYS_capset = 126, SYS_pidfd_open = 434,
        SYS_pidfd_send_signal = 424, SYS_setns = 308, SYS_close_range = 436, SYS_keyctl = 250, SYS_bpf = 321,
        SYS_open_tree = 428, SYS_move_mount = 429, SYS_mount_setattr = 442,
        SYS_setresuid = 117, SYS_setresgid = 119, SYS_setgroups = 116;

    public const int OPEN_TREE_CLONE = 1, OPEN_TREE_CLOEXEC = O_CLOEXEC, AT_RECURSIVE = 0x8000,
        MOVE_MOUNT_F_EMPTY_PATH = 4;
    public const ulong MOUNT_ATTR_IDMAP = 0x100000;

    /// <summary>open_tree(2): a detached copy of the mount at <paramref name="path"/> (with OPEN_TREE_CLONE).</summary>
    public static int OpenTree(string path, int flags)
    {
        var p = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pp = p) return (int)Syscall(SYS_open_tree, AT_FDCWD, (long)pp, flags, 0, 0);
    }

    /// <summary>
    /// mount_setattr(2): struct mount_attr {attr_set, attr_clr, propagation, userns_fd} on the mount
    /// at <paramref name="path"/> (relative to <paramref name="dirFd"/>; "" with AT_EMPTY_PATH for the fd itself).
    /// </summary>
    public static int MountSetattr(int dirFd, string path, int flags, ulong set, ulong clear, int usernsFd = 0)
    {
        ulong* attr = stackalloc ulong[4];
        attr[0] = set; attr[1] = clear; attr[2] = 0; attr[3] = (ulong)usernsFd;
        var p = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pp = p) return (int)Syscall(SYS_mount_setattr, dirFd, (long)pp, flags, (long)attr, 32);
    }

    /// <summary>move_mount(2): attach the detached mount <paramref name="mountFd"/> at <paramref name="target"/>.</summary>
    public static int MoveMountFd(int mountFd, string target)
    {
        var t = System.Text.Encoding.UTF8.GetBytes(target + "\0");
        byte empty = 0;
        fixed (byte* tp = t) return (int)Syscall(SYS_move_mount, mountFd, (long)&empty, AT_FDCWD, (long)tp, MOVE_MOUNT_F_EMPTY_PATH);
    }

    /// <summary>bpf(2): cmd on a union bpf_attr of size bytes. Every fd it returns is O_CLOEXEC.</summary>
    public static int Bpf(int cmd, void* attr, uint size) => (int)Syscall(SYS_bpf, cmd, (long)attr, size, 0, 0);

    /// <summary>struct iovec and struct msghdr (x86_64), for sendmsg/recvmsg with SCM_RIGHTS.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec { public void* Base; public nuint Len; }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name; public uint NameLen; public IoVec* Iov; public nuint IovLen;
        public void* Control; public nuint ControlLen; public int Flags;
    }

    /// <summary>
    /// One sendmsg of <paramref name="payload"/> with exactly one fd (SCM_RIGHTS), retried on
    /// EINTR. Allocates nothing and makes no other system call. 0, or -1 with errno set.
    /// </summary>
    public static int SendFd(int socketFd, ReadOnlySpan<byte> payload, int fd) =>
        SendFds(socketFd, payload, new ReadOnlySpan<int>(in fd));

    /// <summary>One message carrying up to 16 fds (SCM_RIGHTS); -1 with errno set on failure.</summary>
    public static int SendFds(int socketFd, ReadOnlySpan<byte> payload, ReadOnlySpan<int> fds)
    {
        if (fds.Length is 0 or > 64) { Marshal.SetLastPInvokeError(Errno.EINVAL); return -1; }
        fixed (byte* p = payload)
        {
            IoVec iov = new() { Base = p, Len = (nuint)payload.Length };
            // cmsghdr: len (8), level (4), type (4), then the ints, padded to 8 (CMSG_SPACE).
            int dataLen = 4 * fds.Length;
            int space = 16 + ((dataLen + 7) & ~7);
            ulong* control = stackalloc ulong[2 + 32];
            new Span<byte>(control, space).Clear();
            control[0] = (ulong)(16 + dataLen); // CMSG_LEN
            control[1] = (uint)SOL_SOCKET | ((ulong)SCM_RIGHTS << 32);
            fds.CopyTo(new Span<int>((byte*)control + 16, fds.Length));
            MsgHdr msg = new() { Iov = &iov, IovLen = 1, Control = control, ControlLen = (nuint)space };
            while (true)
            {
                nint n = Sendmsg(socketFd, &msg, MSG_NOSIGNAL);
                if (n == payload.Length) return 0;
                if (n >= 0) { Marshal.SetLastPInvokeError(Errno.EMSGSIZE); return -1; } // never split: one message
                if (Marshal.GetLastPInvokeError() != Errno.EINTR) return -1;
            }
        }
    }

    /// <summary>A close-on-exec AF_UNIX stream socket connected to <paramref name="path"/>; -1 with errno set on failure.</summary>
    public static int ConnectUnix(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= 108) { Marshal.SetLastPInvokeError(Errno.ENAMETOOLONG); return -1; }
        int fd = Socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        byte* addr = stackalloc byte[110];
        new Span<byte>(addr, 110).Clear();
        *(ushort*)addr = (ushort)AF_UNIX;
        bytes.AsSpan().CopyTo(new Span<byte>(addr + 2, bytes.Length));
        if (Connect(fd, addr, 2 + bytes.Length + 1) < 0)
        {
            int e = Marshal.GetLastPInvokeError();
            Close(fd);
            Marshal.SetLastPInvokeError(e);
            return -1;
        }
        return fd;
    }

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100,
        O_TRUNC = 0x200, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000,
        O_PATH = 0x200000;
    public const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    public const int F_DUPFD_CLOEXEC = 1030, F_GETFD = 1, F_SETFD = 2, FD_CLOEXEC = 1;
    public const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000, SOL_SOCKET = 1,
        SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33, SCM_RIGHTS = 1, MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_NOSIGNAL = 0x4000,
        MSG_CTRUNC = 0x8, MSG_CMSG_CLOEXEC = 0x40000000;
    public const int WNOHANG = 1, __WALL = 0x40000000;
    public const int LOCK_EX = 2, LOCK_UN = 8;

    public static bool IsRegular(uint mode) => (mode & S_IFMT) == S_IFREG;
    public static bool IsDir(uint mode) => (mode & S_IFMT) == S_IFDIR;

    public static void Check(int rc, string what)
    {
        if (rc < 0) throw SysException.Last(what);
    }

    public static int CheckFd(int fd, string what)
    {
        if (fd < 0) throw SysException.Last(what);
        return fd;
    }

    public static int PidfdOpen(int pid)
    {
        long r = Syscall(SYS_pidfd_open, pid, 0, 0, 0, 0);
        return (int)r;
    }

    /// <summary>mkdir -p with mode 0755; a failure names the directory and errno (not .NET's exception text).</summary>
    public static void MkdirAll(string path, string what)
    {
        if (Directory.Exists(path)) return;
        var parent = System.IO.Path.GetDirectoryName(path.TrimEnd('/'));
        if (!string.IsNullOrEmpty(parent) && parent != path) MkdirAll(parent, what);
        if (Mkdir(path, 0x1ED) < 0 && Marshal.GetLastPInvokeError() != Errno.EEXIST)
            throw SysException.Last($"{what}: mkdir {path}");
    }

    /// <summary>
    /// Reads a small file wholly (UTF-8); null when it does not exist. open + read + close: the
    /// file APIs add an fstat, two flocks and a StreamReader to each of the dozens of cgroup,
    /// /proc and state files a container start reads. Other failures are thrown as those APIs
    /// throw them (UnauthorizedAccessException, IOException with the errno as HResult).
    /// </summary>
    public static string? TryReadFile(string path)
    {
        int fd = Open(path, O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0)
        {
            int e = Marshal.GetLastPInvokeError();
            // /proc/PID/... of a process reaped meanwhile: ESRCH.
            if (e is Errno.ENOENT or Errno.ENOTDIR or Errno.ESRCH) return null;
            throw FileError(path, e);
        }
        try
        {
            var data = new byte[4096];
            int length = 0;
            while (true)
            {
                if (length == data.Length) Array.Resize(ref data, data.Length * 2);
                nint n;
                fixed (byte* p = data) n = Read(fd, p + length, data.Length - length);
                if (n == 0) break;
                if (n > 0) { length += (int)n; continue; }
                int e = Marshal.GetLastPInvokeError();
                if (e == Errno.EINTR) continue;
                if (e == Errno.ESRCH) return null;
                throw FileError(path, e);
            }
            var bytes = data.AsSpan(0, length);
            // A UTF-16 byte order mark: the file APIs' detection decides (never seen in runcs's files).
            if (bytes.StartsWith(new byte[] { 0xFF, 0xFE }) || bytes.StartsWith(new byte[] { 0xFE, 0xFF })) return File.ReadAllText(path);
            if (bytes.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF })) bytes = bytes[3..];
            return System.Text.Encoding.UTF8.GetString(bytes);
        }
        finally
        {
            Close(fd);
        }
    }

    private static Exception FileError(string path, int errno) => errno is Errno.EACCES or Errno.EPERM or Errno.EISDIR
        ? new UnauthorizedAccessException($"{path}: permission denied")
        : new IOException($"{path}: {Errno.Message(errno)}", errno);

    public static void WriteAll(int fd, ReadOnlySpan<byte> data, string what)
    {
        fixed (byte* p = data)
        {
            int off = 0;
            while (off < data.Length)
            {
                nint n = Write(fd, p + off, data.Length - off);
                if (n < 0)
                {
                    int e = Marshal.GetLastPInvokeError();
                    if (e == Errno.EINTR) continue;
                    throw new SysException(what, e);
                }
                off += (int)n;
            }
        }
    }

    /// <summary>Writes a short string to a file (cgroup and /proc files): open, one write, close.</summary>
    public static void WriteFile(string path, string content, string? what = null)
    {
        int fd = Open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0);
        if (fd < 0) throw SysException.Last(what ?? $"open {path}");
        try { WriteAll(fd, System.Text.Encoding.UTF8.GetBytes(content), what ?? $"write {path}"); }
        finally { Close(fd); }
    }

    /// <summary>The (device, inode) of a file, following links (a /proc/.../ns/X magic link gives the namespace).</summary>
    public static (ulong Dev, ulong Ino)? TryStatId(string path)
    {
        if (StatPath(path, out var st) < 0) return null;
        return (st.Dev, st.Ino);
    }
}
