using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace OciRuntime.Tests.Integration.Fidelity;

/// <summary>
/// A seccomp agent for the tests (config-linux.md "listenerPath"): a unix stream socket that
/// accepts connections, reads the one message of each (the container process state as JSON,
/// the listener fd as SCM_RIGHTS), and answers that fd's notifications with
/// SECCOMP_IOCTL_NOTIF_RECV / SECCOMP_IOCTL_NOTIF_SEND as <see cref="Decide"/> says.
/// x86_64 layouts (struct seccomp_notif 80 bytes, seccomp_notif_resp 24).
/// </summary>
internal sealed class TestSeccompAgent : IDisposable
{
    public const int SYS_mkdir = 83, SYS_mkdirat = 258;

    /// <summary>One connection: the JSON text, how many fds came with it, and anything after the message.</summary>
    public sealed record Message(string Json, int FdCount, bool MoreData)
    {
        public JsonObject Parsed => JsonNode.Parse(Json)!.AsObject();
    }

    /// <summary>What the agent answers: an error (errno), a return value, or "let the kernel run it" (continue).</summary>
    public readonly record struct Reply(long Value, int Error, bool Continue)
    {
        public static Reply Errno(int errno) => new(0, errno, false);
        public static Reply Success(long value = 0) => new(value, 0, false);
        public static readonly Reply Let = new(0, 0, true);
    }

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Thread> _handlers = new();
    private readonly ConcurrentQueue<int> _fds = new();

    public TestSeccompAgent(Func<int, Reply> decide)
    {
        Decide = decide;
        Path = System.IO.Path.Combine("/tmp", "runcs-fid-agent-" + Guid.NewGuid().ToString("N")[..10] + ".sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(8);
        _acceptLoop = Task.Run(AcceptLoop);
    }

    /// <summary>The socket path to put in linux.seccomp.listenerPath.</summary>
    public string Path { get; }

    /// <summary>Syscall number → the answer.</summary>
    public Func<int, Reply> Decide { get; }

    public ConcurrentQueue<Message> Messages { get; } = new();

    /// <summary>(syscall number, pid as the agent sees it) of every notification answered.</summary>
    public ConcurrentQueue<(int Nr, int Pid)> Notifications { get; } = new();

    /// <summary>The <paramref name="n"/>-th message (1-based), waiting for it up to 10 s; fails the test if it never comes.</summary>
    public Message WaitForMessage(int n)
    {
        Assert.True(Support.Proc.WaitUntil(() => Messages.Count >= n), $"the seccomp agent got {Messages.Count} message(s), expected {n}");
        return Messages.ElementAt(n - 1);
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket conn;
            try { conn = await _listener.AcceptAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            using (conn)
            {
                var (json, fds, more) = ReadMessage((int)conn.Handle);
                Messages.Enqueue(new Message(json, fds.Count, more));
                foreach (var fd in fds)
                {
                    _fds.Enqueue(fd);
                    var t = new Thread(() => Answer(fd)) { IsBackground = true, Name = "seccomp-agent" };
                    lock (_handlers) _handlers.Add(t);
                    t.Start();
                }
            }
        }
    }

    /// <summary>One recvmsg (after waiting for data), then whether anything follows before end of stream.</summary>
    private static unsafe (string Json, List<int> Fds, bool More) ReadMessage(int sock)
    {
        var pfd = new PollFd { Fd = sock, Events = POLLIN };
        if (poll(&pfd, 1, 10_000) <= 0) return ("", new List<int>(), false);
        byte* data = stackalloc byte[65536];
        ulong* control = stackalloc ulong[16];
        for (int i = 0; i < 16; i++) control[i] = 0;
        var iov = new IoVec { Base = data, Len = 65536 };
        var msg = new MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = 128 };
        long n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0) throw new IOException($"agent: recvmsg failed: errno {Marshal.GetLastPInvokeError()}");
        var fds = new List<int>();
        byte* c = (byte*)control;
        while (c + 16 <= (byte*)control + (long)msg.ControlLen)
        {
            ulong len = *(ulong*)c;
            if (len < 16) break;
            if (*(int*)(c + 8) == SOL_SOCKET && *(int*)(c + 12) == SCM_RIGHTS)
                for (ulong off = 16; off + 4 <= len; off += 4) fds.Add(*(int*)(c + off));
            c += (long)((len + 7) & ~7UL);
        }
        // The runtime sends one message and closes: the next read is end of stream.
        bool more = false;
        if (poll(&pfd, 1, 2_000) > 0)
        {
            byte b;
            more = recv(sock, &b, 1, MSG_DONTWAIT) > 0;
        }
        return (System.Text.Encoding.UTF8.GetString(data, (int)n), fds, more);
    }

    /// <summary>Answers notifications until every task using the filter is gone (POLLHUP) or the agent stops.</summary>
    private unsafe void Answer(int fd)
    {
        byte* req = stackalloc byte[80];
        byte* resp = stackalloc byte[24];
        while (!_stop.IsCancellationRequested)
        {
            var pfd = new PollFd { Fd = fd, Events = POLLIN };
            int r = poll(&pfd, 1, 200);
            if (r < 0 || (pfd.REvents & (POLLHUP | POLLNVAL)) != 0) return;
            if (r == 0 || (pfd.REvents & POLLIN) == 0) continue;
            new Span<byte>(req, 80).Clear(); // the kernel wants a zeroed buffer
            if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) continue; // ENOENT: the caller went away
            ulong id = *(ulong*)req;
            int pid = *(int*)(req + 8);
            int nr = *(int*)(req + 16);
            var reply = Decide(nr);
            new Span<byte>(resp, 24).Clear();
            *(ulong*)resp = id;
            *(long*)(resp + 8) = reply.Value;
            *(int*)(resp + 16) = reply.Error == 0 ? 0 : -reply.Error;
            *(uint*)(resp + 20) = reply.Continue ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0;
            if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp) == 0) Notifications.Enqueue((nr, pid));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try { _acceptLoop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        Thread[] handlers;
        lock (_handlers) handlers = _handlers.ToArray();
        foreach (var t in handlers) t.Join(TimeSpan.FromSeconds(2));
        while (_fds.TryDequeue(out var fd)) close(fd);
        try { File.Delete(Path); } catch (IOException) { }
    }

    private const int SOL_SOCKET = 1, SCM_RIGHTS = 1, MSG_CMSG_CLOEXEC = 0x40000000, MSG_DONTWAIT = 0x40;
    private const short POLLIN = 1, POLLHUP = 0x10, POLLNVAL = 0x20;
    private const ulong SECCOMP_IOCTL_NOTIF_RECV = 0xc0502100, SECCOMP_IOCTL_NOTIF_SEND = 0xc0182101;
    private const uint SECCOMP_USER_NOTIF_FLAG_CONTINUE = 1;

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct IoVec { public void* Base; public nuint Len; }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MsgHdr
    {
        public void* Name; public uint NameLen; public IoVec* Iov; public nuint IovLen;
        public void* Control; public nuint ControlLen; public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd { public int Fd; public short Events; public short REvents; }

    [DllImport("libc", SetLastError = true)] private static extern unsafe long recvmsg(int fd, MsgHdr* msg, int flags);
    [DllImport("libc", SetLastError = true)] private static extern unsafe long recv(int fd, byte* buf, nuint len, int flags);
    [DllImport("libc", SetLastError = true)] private static extern unsafe int poll(PollFd* fds, nuint nfds, int timeout);
    [DllImport("libc", SetLastError = true)] private static extern unsafe int ioctl(int fd, ulong request, void* arg);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);
}
