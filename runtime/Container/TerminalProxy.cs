using System.Runtime.InteropServices;
using Runcs.Native;

namespace Runcs.Container;

/// <summary>
/// The terminal of a foreground `run` or `exec -t` without --console-socket: runcs
/// plays the console socket itself, receives the pty master, puts the user's
/// terminal in raw mode and copies bytes both ways until the process exits.
/// </summary>
public sealed unsafe partial class TerminalProxy : IDisposable
{
    private readonly int master;
    private byte[]? savedTermios;

    private TerminalProxy(int master) => this.master = master;

    /// <summary>A connected socket pair: [0] stays here, [1] goes to the container process as its console socket.</summary>
    public static (int Mine, int Theirs) CreateConsoleSocket()
    {
        int* sv = stackalloc int[2];
        Sys.Check(Sys.Socketpair(Sys.AF_UNIX, Sys.SOCK_STREAM | Sys.SOCK_CLOEXEC, 0, sv), "socketpair for the terminal");
        return (sv[0], sv[1]);
    }


    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint Recvmsg(int fd, Sys.MsgHdr* msg, int flags);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static partial int Tcgetattr(int fd, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static partial int Tcsetattr(int fd, int action, byte* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static partial void Cfmakeraw(byte* termios);

    /// <summary>Receives the one fd the container process sends (the pty master).</summary>
    public static TerminalProxy Receive(int socketFd)
    {
        byte* buf = stackalloc byte[64];
        byte* control = stackalloc byte[64];
        Sys.IoVec iov = new() { Base = buf, Len = 64 };
        Sys.MsgHdr msg = new() { Iov = &iov, IovLen = 1, Control = control, ControlLen = 64 };
        nint n;
        do { n = Recvmsg(socketFd, &msg, 0x40000000 /* MSG_CMSG_CLOEXEC */); }
        while (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
        if (n <= 0 || msg.ControlLen < 20) throw new RuncsException("terminal: the container process sent no pty");
        int fd = *(int*)(control + 16);
        return new TerminalProxy(fd);
    }

    /// <summary>Copies stdin to the pty and the pty to stdout in the background; raw mode while it runs.</summary>
    public void Start()
    {
        var t = new byte[64];
        fixed (byte* p = t)
        {
            if (Tcgetattr(0, p) == 0)
            {
                savedTermios = (byte[])t.Clone();
                CopyWindowSize();
                Cfmakeraw(p);
                Tcsetattr(0, 0, p);
            }
        }
        new Thread(() => Copy(0, master)) { IsBackground = true, Name = "stdin->pty" }.Start();
        outputDone = new Thread(() => Copy(master, 1)) { IsBackground = true, Name = "pty->stdout" };
        outputDone.Start();
        winch = PosixSignalRegistration.Create((PosixSignal)28 /* SIGWINCH */, _ => CopyWindowSize());
    }

    private Thread? outputDone;
    private PosixSignalRegistration? winch;

    private void CopyWindowSize()
    {
        ushort* ws = stackalloc ushort[4];
        if (Sys.Ioctl(0, 0x5413 /* TIOCGWINSZ */, ws) == 0) Sys.Ioctl(master, 0x5414 /* TIOCSWINSZ */, ws);
    }

    private static void Copy(int from, int to)
    {
        var buf = new byte[8192];
        fixed (byte* p = buf)
        {
            while (true)
            {
                nint n = Sys.Read(from, p, buf.Length);
                if (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR) continue;
                if (n <= 0) return;
                int off = 0;
                while (off < n)
                {
                    nint w = Sys.Write(to, p + off, (nint)(n - off));
                    if (w < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR) continue;
                    if (w <= 0) return;
                    off += (int)w;
                }
            }
        }
    }

    /// <summary>After the process exited: drain what it wrote, restore the terminal.</summary>
    public void Dispose()
    {
        outputDone?.Join(2000);
        winch?.Dispose();
        if (savedTermios != null)
            fixed (byte* p = savedTermios) Tcsetattr(0, 0, p);
        Sys.Close(master);
    }
}
