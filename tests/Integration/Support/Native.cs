using System.Runtime.InteropServices;

namespace OciRuntime.Tests.Integration.Support;

/// <summary>
/// The few libc calls the tests need that .NET does not offer: recvmsg with SCM_RIGHTS (console
/// socket), raw read/poll on a pty master, waitpid on a reparented child, and
/// PR_SET_CHILD_SUBREAPER. x86_64 / arm64 Linux layouts.
/// </summary>
public static unsafe partial class Native
{
    public const int PR_SET_CHILD_SUBREAPER = 36;
    public const int WNOHANG = 1;
    private const int SOL_SOCKET = 1;
    private const int SCM_RIGHTS = 1;
    private const int MSG_CTRUNC = 0x8;
    private const short POLLIN = 0x1;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec { public byte* Base; public nuint Len; }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name; public uint NameLen; public IoVec* Iov; public nuint IovLen;
        public void* Control; public nuint ControlLen; public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd { public int Fd; public short Events; public short REvents; }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recvmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, byte* buf, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(PollFd* fds, nuint n, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    /// <summary>One recvmsg: the payload bytes, the SCM_RIGHTS fds, and whether control data was truncated.</summary>
    public static (byte[] Payload, List<int> Fds, bool Truncated) RecvMsg(int fd)
    {
        var buf = new byte[4096];
        var ctl = new byte[512];
        fixed (byte* pb = buf)
        fixed (byte* pc = ctl)
        {
            var iov = new IoVec { Base = pb, Len = (nuint)buf.Length };
            var msg = new MsgHdr { Iov = &iov, IovLen = 1, Control = pc, ControlLen = (nuint)ctl.Length };
            var n = recvmsg(fd, &msg, 0);
            if (n < 0) throw new IOException($"recvmsg: errno {Marshal.GetLastPInvokeError()}");
            var fds = new List<int>();
            // Walk the cmsghdrs: { size_t len; int level; int type; data... } aligned to 8.
            nuint off = 0;
            while (off + 16 <= msg.ControlLen)
            {
                var len = *(nuint*)(pc + off);
                var level = *(int*)(pc + off + 8);
                var type = *(int*)(pc + off + 12);
                if (len < 16) break;
                if (level == SOL_SOCKET && type == SCM_RIGHTS)
                    for (nuint i = 16; i + 4 <= len; i += 4)
                        fds.Add(*(int*)(pc + off + i));
                else
                    fds.Add(-1000 - type); // a cmsg of another kind: counted, so the test sees it
                off += (len + 7) & ~(nuint)7;
            }
            return (buf[..(int)n], fds, (msg.Flags & MSG_CTRUNC) != 0);
        }
    }

    /// <summary>Reads what is available on fd within <paramref name="timeoutMs"/>; empty on timeout, null on EOF/EIO.</summary>
    public static byte[]? ReadSome(int fd, int timeoutMs)
    {
        var p = new PollFd { Fd = fd, Events = POLLIN };
        var r = poll(&p, 1, timeoutMs);
        if (r <= 0) return [];
        var buf = new byte[4096];
        fixed (byte* pb = buf)
        {
            var n = read(fd, pb, (nuint)buf.Length);
            if (n <= 0) return null;
            return buf[..(int)n];
        }
    }

    /// <summary>waitpid(pid, WNOHANG): (reaped, raw status).</summary>
    public static (bool Reaped, int Status) TryWait(int pid)
    {
        int st;
        var r = waitpid(pid, &st, WNOHANG);
        return (r == pid, st);
    }
}
