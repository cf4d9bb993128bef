using System.Runtime.InteropServices;
using System.Text;
using Runcs.Native;

namespace Runcs.Bootstrap;

/// <summary>
/// One end of the SOCK_SEQPACKET pair between the runtime and its child
/// (the C stage first, then the managed init). Every send is one message, so
/// there is no framing to get wrong. Messages are text: a word, a space, the rest.
/// </summary>
public sealed unsafe class SyncChannel : IDisposable
{
    public int Fd { get; private set; }

    public SyncChannel(int fd) => Fd = fd;

    public static (SyncChannel Parent, int ChildFd) CreatePair()
    {
        int* sv = stackalloc int[2];
        Sys.Check(Sys.Socketpair(Sys.AF_UNIX, Sys.SOCK_SEQPACKET | Sys.SOCK_CLOEXEC, 0, sv), "socketpair for the bootstrap channel");
        // Large messages (a config with a seccomp profile) must fit in one datagram.
        int size = 4 << 20;
        Sys.Setsockopt(sv[0], Sys.SOL_SOCKET, Sys.SO_SNDBUFFORCE, &size, sizeof(int));
        Sys.Setsockopt(sv[1], Sys.SOL_SOCKET, Sys.SO_SNDBUFFORCE, &size, sizeof(int));
        Sys.Setsockopt(sv[0], Sys.SOL_SOCKET, Sys.SO_RCVBUFFORCE, &size, sizeof(int));
        Sys.Setsockopt(sv[1], Sys.SOL_SOCKET, Sys.SO_RCVBUFFORCE, &size, sizeof(int));
        return (new SyncChannel(sv[0]), sv[1]);
    }

    public void Send(string message) => Send(Encoding.UTF8.GetBytes(message));

    /// <summary>One message from bytes: no allocation (init sends "ready" this way, see InitEntry).</summary>
    public void Send(ReadOnlySpan<byte> message)
    {
        fixed (byte* p = message)
        {
            while (true)
            {
                nint n = Sys.Write(Fd, p, message.Length);
                if (n >= 0) return;
                int e = Marshal.GetLastPInvokeError();
                if (e == Errno.EINTR) continue;
                throw new SysException("send on the bootstrap channel", e);
            }
        }
    }

    public void Send(string word, string payload) => Send(word + " " + payload);

    /// <summary>
    /// One message with <paramref name="fds"/> attached (SCM_RIGHTS, at most <see cref="MaxFds"/>);
    /// without fds a plain send. <paramref name="what"/> says what failed ("send ...").
    /// </summary>
    public void Send(ReadOnlySpan<byte> message, ReadOnlySpan<int> fds, string what)
    {
        if (fds.IsEmpty) Send(message);
        else if (Sys.SendFds(Fd, message, fds) < 0) throw SysException.Last(what);
    }

    /// <summary>
    /// One message carrying one fd (SCM_RIGHTS). Nothing is allocated and the only system
    /// call is sendmsg: a seccomp filter may have just been loaded (see <c>InitEntry</c>).
    /// </summary>
    public void SendFd(ReadOnlySpan<byte> message, int fd)
    {
        if (Sys.SendFd(Fd, message, fd) < 0) throw SysException.Last("send an fd on the bootstrap channel");
    }

    /// <summary>The next message, or null at end of stream (the peer exited or exec'd). An fd that came with it is closed.</summary>
    public string? Receive()
    {
        var text = Receive(out int fd);
        if (fd >= 0) Sys.Close(fd);
        return text;
    }

    /// <summary>
    /// The next message and the fd it carried (SCM_RIGHTS, received close-on-exec), or -1;
    /// null at end of stream. Any further fds that came with it are closed.
    /// </summary>
    public string? Receive(out int fd)
    {
        var text = Receive(out int[] fds);
        fd = fds.Length > 0 ? fds[0] : -1;
        for (int i = 1; i < fds.Length; i++) Sys.Close(fds[i]);
        return text;
    }

    /// <summary>The most fds one message carries (as <see cref="Sys.SendFds"/> sends).</summary>
    public const int MaxFds = 64;

    /// <summary>
    /// The next message and the fds it carried (SCM_RIGHTS, received close-on-exec), in the
    /// order they were attached; null at end of stream.
    /// </summary>
    public string? Receive(out int[] fds)
    {
        fds = Array.Empty<int>();
        bool resetSeen = false;
        const int controlWords = 2 + MaxFds / 2; // cmsghdr (16 bytes) + MaxFds ints
        ulong* control = stackalloc ulong[controlWords];
        while (true)
        {
            // Learn the size first: MSG_PEEK|MSG_TRUNC returns the datagram's full length.
            byte probe;
            nint size = Sys.Recv(Fd, &probe, 1, Sys.MSG_PEEK | Sys.MSG_TRUNC);
            if (size < 0)
            {
                int e = Marshal.GetLastPInvokeError();
                if (e == Errno.EINTR) continue;
                // A peer that exits with our last message unread in its queue (a child that
                // failed right after we sent it its configuration) leaves ECONNRESET on our end,
                // reported BEFORE the messages it sent first ("error ..."). Reading the error
                // clears it: read again to get those messages, or end of stream.
                if (e == Errno.ECONNRESET)
                {
                    if (resetSeen) return null;
                    resetSeen = true;
                    continue;
                }
                throw new SysException("receive on the bootstrap channel", e);
            }
            if (size == 0) return null;
            var buf = new byte[size];
            fixed (byte* p = buf)
            {
                Sys.IoVec iov = new() { Base = p, Len = (nuint)size };
                new Span<ulong>(control, controlWords).Clear();
                Sys.MsgHdr msg = new() { Iov = &iov, IovLen = 1, Control = control, ControlLen = controlWords * 8 };
                nint n = Sys.Recvmsg(Fd, &msg, Sys.MSG_CMSG_CLOEXEC);
                if (n < 0)
                {
                    int e = Marshal.GetLastPInvokeError();
                    // The peer may exit between the peek and this read: its ECONNRESET comes
                    // first, the message is still queued (see above).
                    if (e == Errno.EINTR || e == Errno.ECONNRESET) continue;
                    throw new SysException("receive on the bootstrap channel", e);
                }
                // One SCM_RIGHTS header (the sender attaches all fds in one): its length says how many.
                if (msg.ControlLen >= 20 && control[1] == ((ulong)(uint)Sys.SOL_SOCKET | ((ulong)(uint)Sys.SCM_RIGHTS << 32)))
                {
                    int count = (int)((control[0] - 16) / 4);
                    fds = new Span<int>((byte*)control + 16, Math.Min(count, MaxFds)).ToArray();
                }
                return Encoding.UTF8.GetString(buf, 0, (int)n);
            }
        }
    }

    /// <summary>Splits "word rest" into its two parts.</summary>
    public static (string Word, string Text) Split(string message)
    {
        int sp = message.IndexOf(' ');
        return sp < 0 ? (message, "") : (message[..sp], message[(sp + 1)..]);
    }

    public void Dispose()
    {
        if (Fd >= 0) Sys.Close(Fd);
        Fd = -1;
    }
}
