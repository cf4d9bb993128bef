using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace OciRuntime.Tests.Integration.Namespaces;

/// <summary>
/// The test side of <c>--console-socket</c>: a unix stream socket that accepts one
/// connection and receives the pty master fd with recvmsg (SCM_RIGHTS). Reading the
/// master gives what the container's process wrote to its terminal.
/// </summary>
public sealed unsafe class ConsoleSocketListener : IDisposable
{
    private readonly Socket _listener;

    public ConsoleSocketListener()
    {
        Path = System.IO.Path.Combine("/tmp", "runcs-nstest-console-" + Guid.NewGuid().ToString("N")[..10] + ".sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(1);
    }

    public string Path { get; }

    /// <summary>
    /// Accepts one connection and receives one fd; throws if none arrives within the timeout,
    /// or as soon as <paramref name="sender"/> (the runtime call expected to connect) has ended without connecting.
    /// </summary>
    public (int MasterFd, string Payload) ReceiveMaster(TimeSpan timeout, Task? sender = null)
    {
        var accept = _listener.AcceptAsync();
        var first = Task.WhenAny(sender == null ? new Task[] { accept } : new Task[] { accept, sender });
        // A runtime that connected and finished quickly may complete before AcceptAsync does:
        // its connection waits in the backlog, so give the accept a moment before judging.
        bool accepted = first.Wait(timeout) && (accept.IsCompleted || accept.Wait(TimeSpan.FromSeconds(2)));
        if (!accepted)
            throw new TimeoutException(sender?.IsCompleted == true
                ? "the runtime exited without connecting to the console socket"
                : "nobody connected to the console socket");
        using var conn = accept.Result;
        conn.ReceiveTimeout = (int)timeout.TotalMilliseconds; // SO_RCVTIMEO bounds recvmsg too

        byte* data = stackalloc byte[256];
        byte* control = stackalloc byte[64];
        new Span<byte>(control, 64).Clear();
        var iov = new IoVec { Base = data, Len = 256 };
        var msg = new MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = 64 };
        long n = recvmsg((int)conn.Handle, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0) throw new IOException($"recvmsg on the console socket failed: errno {Marshal.GetLastPInvokeError()}");

        int fd = -1;
        for (byte* c = control; c + 16 <= control + (long)msg.ControlLen;)
        {
            ulong len = *(ulong*)c;
            if (len < 16) break;
            if (*(int*)(c + 8) == SOL_SOCKET && *(int*)(c + 12) == SCM_RIGHTS && len >= 20)
            {
                fd = *(int*)(c + 16);
                break;
            }
            c += (long)((len + 7) & ~7UL);
        }
        if (fd < 0) throw new IOException("the console socket message carried no fd (SCM_RIGHTS)");
        return (fd, System.Text.Encoding.UTF8.GetString(data, (int)n));
    }

    /// <summary>
    /// Reads the master until the terminal closes (EIO once every slave is closed), bounded
    /// by a safety-net timeout.
    /// </summary>
    public static string ReadAll(int masterFd, TimeSpan timeout)
    {
        var sb = new System.Text.StringBuilder();
        var deadline = DateTime.UtcNow + timeout;
        byte* buf = stackalloc byte[4096];
        while (DateTime.UtcNow < deadline)
        {
            var pfd = new PollFd { Fd = masterFd, Events = POLLIN };
            int ready = poll(&pfd, 1, 200);
            if (ready < 0) break;
            if (ready == 0) continue;
            long n = read(masterFd, buf, 4096);
            if (n <= 0) break; // EIO: the slave side is closed
            sb.Append(System.Text.Encoding.UTF8.GetString(buf, (int)n));
        }
        return sb.ToString();
    }

    public static void Close(int fd) => close(fd);

    public void Dispose()
    {
        _listener.Dispose();
        try { File.Delete(Path); } catch (IOException) { }
    }

    private const int SOL_SOCKET = 1, SCM_RIGHTS = 1, MSG_CMSG_CLOEXEC = 0x40000000;
    private const short POLLIN = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec { public void* Base; public nuint Len; }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name; public uint NameLen; public IoVec* Iov; public nuint IovLen;
        public void* Control; public nuint ControlLen; public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd { public int Fd; public short Events; public short REvents; }

    [DllImport("libc", SetLastError = true)] private static extern long recvmsg(int fd, MsgHdr* msg, int flags);
    [DllImport("libc", SetLastError = true)] private static extern long read(int fd, byte* buf, nuint count);
    [DllImport("libc", SetLastError = true)] private static extern int poll(PollFd* fds, nuint nfds, int timeout);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);
}
