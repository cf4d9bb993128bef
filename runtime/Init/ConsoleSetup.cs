using System.Runtime.InteropServices;
using OciRuntime.Spec;
using Runcs.Native;

namespace Runcs.Init;

/// <summary>
/// The container's terminal: a pty opened inside the container's /dev/ptmx, its
/// master sent to the console socket in one message (payload "/dev/ptmx", one
/// SCM_RIGHTS fd), its slave made the process's controlling terminal and fds 0-2.
/// </summary>
public static unsafe class ConsoleSetup
{
    private const ulong TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431, TIOCSWINSZ = 0x5414, TIOCSCTTY = 0x540E;

    public static void Setup(int consoleSocketFd, Box? size, bool mountConsole)
    {
        int master = Sys.CheckFd(Sys.Open("/dev/ptmx", Sys.O_RDWR | Sys.O_NOCTTY | Sys.O_CLOEXEC, 0), "open /dev/ptmx");
        int unlock = 0;
        Sys.Check(Sys.Ioctl(master, TIOCSPTLCK, &unlock), "unlock the pty");
        int n;
        Sys.Check(Sys.Ioctl(master, TIOCGPTN, &n), "get the pty number");
        string slavePath = $"/dev/pts/{n}";
        if (size != null && (size.Height > 0 || size.Width > 0))
        {
            ushort* ws = stackalloc ushort[4];
            ws[0] = (ushort)size.Height; ws[1] = (ushort)size.Width; ws[2] = 0; ws[3] = 0;
            Sys.Ioctl(master, TIOCSWINSZ, ws);
        }
        int slave = Sys.CheckFd(Sys.Open(slavePath, Sys.O_RDWR | Sys.O_NOCTTY | Sys.O_CLOEXEC, 0), $"open {slavePath}");
        if (mountConsole)
        {
            Rootfs.CreateMountPoint("/dev/console", false);
            Sys.Check(Sys.Mount(slavePath, "/dev/console", "bind", MountOptions.MS_BIND, null), "bind the pty on /dev/console");
        }
        SendFd(consoleSocketFd, master, "/dev/ptmx");
        Sys.Close(master);
        Sys.Close(consoleSocketFd);

        Sys.Setsid();
        Sys.Check(Sys.IoctlInt(slave, TIOCSCTTY, 0), "make the pty the controlling terminal");
        for (int fd = 0; fd < 3; fd++) Sys.Check(Sys.Dup3(slave, fd, 0), $"dup the pty to fd {fd}");
        if (slave > 2) Sys.Close(slave);
    }


    /// <summary>One sendmsg: the payload and exactly one fd.</summary>
    public static void SendFd(int socketFd, int fd, string payload)
    {
        if (Sys.SendFd(socketFd, System.Text.Encoding.UTF8.GetBytes(payload), fd) < 0)
            throw SysException.Last("send the pty master to the console socket");
    }

    /// <summary>Connects to the console socket path (in the runtime, before the child starts).</summary>
    public static int Connect(string path)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(path) >= 108) throw new RuncsException($"--console-socket: path too long: {path}");
        return Sys.CheckFd(Sys.ConnectUnix(path), $"connect to console socket {path}");
    }
}
