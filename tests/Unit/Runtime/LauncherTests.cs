using System.Runtime.Versioning;
using Runcs.Bootstrap;

namespace OciRuntime.Tests.Unit.Runtime;

[SupportedOSPlatform("linux")]
public class LauncherTests
{
    // wait(2) status words as the kernel builds them: exit code in bits 8..15, signal in bits 0..6, core flag 0x80.
    private static int Exited(int code) => (code & 0xff) << 8;
    private static int Killed(int sig, bool core = false) => sig | (core ? 0x80 : 0);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(255)]
    public void ExitCode(int code) => Assert.Equal(code, Launcher.ExitCodeOf(Exited(code)));

    [Theory]
    [InlineData(1, 129)]   // SIGHUP
    [InlineData(2, 130)]   // SIGINT
    [InlineData(9, 137)]   // SIGKILL
    [InlineData(15, 143)]  // SIGTERM
    [InlineData(64, 192)]  // SIGRTMAX
    public void Signal(int sig, int expected) => Assert.Equal(expected, Launcher.ExitCodeOf(Killed(sig)));

    [Fact]
    public void SignalWithCoreDump()
    {
        Assert.Equal(139, Launcher.ExitCodeOf(Killed(11, core: true))); // SIGSEGV, core dumped
        Assert.Equal(134, Launcher.ExitCodeOf(Killed(6, core: true)));  // SIGABRT, core dumped
    }

    [Fact]
    public void ExitCodeIgnoresHighBits() => Assert.Equal(7, Launcher.ExitCodeOf(0x10000 | Exited(7)));

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 4)]
    [InlineData(5, 8)]
    [InlineData(100, 103)]
    public void FirstChildFdIsAfterStdioAndPreserved(int preserve, int expected) =>
        Assert.Equal(expected, Spawner.FirstChildFd(preserve));

    [Theory]
    [InlineData(0, 0, 4)]
    [InlineData(0, 1, 5)]
    [InlineData(2, 0, 6)]
    [InlineData(2, 1, 7)]
    [InlineData(10, 3, 17)]
    public void ChildFdOfExtraFdsFollowsTheSyncSocket(int preserve, int index, int expected) =>
        Assert.Equal(expected, Launcher.ChildFdOf(preserve, index));

    [Fact]
    public void SyncSocketAndExtrasDoNotOverlapPreservedFds()
    {
        for (int n = 0; n < 20; n++)
        {
            int sync = Spawner.FirstChildFd(n);
            Assert.True(sync >= 3 + n); // 0,1,2 + preserved fds 3..3+n-1
            Assert.Equal(sync + 1, Launcher.ChildFdOf(n, 0));
        }
    }
}

/// <summary>
/// The answer to the C stage's "cgroups" request: one message whose lines name each attached
/// file by its index among the attached files (bootstrap.c reads it that way).
/// </summary>
[SupportedOSPlatform("linux")]
public unsafe class PlacementMessageTests
{
    private static (string Text, int[] Fds) ReceiveAll(int fd)
    {
        var buf = new byte[4096];
        ulong* control = stackalloc ulong[16];
        fixed (byte* p = buf)
        {
            var iov = new Runcs.Native.Sys.IoVec { Base = p, Len = (nuint)buf.Length };
            var msg = new Runcs.Native.Sys.MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = 128 };
            nint n = Runcs.Native.Sys.Recvmsg(fd, &msg, Runcs.Native.Sys.MSG_CMSG_CLOEXEC);
            Assert.True(n > 0);
            var fds = new List<int>();
            if (msg.ControlLen > 0)
            {
                int count = (int)((control[0] - 16) / 4);
                for (int i = 0; i < count; i++) fds.Add(((int*)((byte*)control + 16))[i]);
            }
            return (System.Text.Encoding.UTF8.GetString(buf, 0, (int)n), fds.ToArray());
        }
    }

    private static int DevNull() => Runcs.Native.Sys.Open("/dev/null", Runcs.Native.Sys.O_RDONLY | Runcs.Native.Sys.O_CLOEXEC, 0);

    [Fact]
    public void EveryFileIsNamedByItsIndex_DirectoryFirst()
    {
        var (parent, child) = SyncChannel.CreatePair();
        using var _ = parent;
        using var placement = new Runcs.Cgroups.CgroupManager.Placement { V2DirFd = DevNull() };
        placement.TaskFds.Add(DevNull());
        placement.TaskFds.Add(DevNull());
        Launcher.SendPlacement(parent, placement);
        var (text, fds) = ReceiveAll(child);
        Assert.Equal("runcs-cgroups 1\ncgroupfd 0\ncgtasks 1\ncgtasks 2\n", text);
        Assert.Equal(3, fds.Length);
        foreach (var fd in fds) Runcs.Native.Sys.Close(fd);
        Runcs.Native.Sys.Close(child);
    }

    [Fact]
    public void NoPlacement_IsAMessageWithoutFiles()
    {
        var (parent, child) = SyncChannel.CreatePair();
        using var _ = parent;
        Launcher.SendPlacement(parent, null);
        var (text, fds) = ReceiveAll(child);
        Assert.Equal("runcs-cgroups 1\n", text);
        Assert.Empty(fds);
        Runcs.Native.Sys.Close(child);
    }
}

/// <summary>
/// The bootstrap message of a C stage spawned before its files existed: each extra fd is
/// attached and named with the number the child must find it at (bootstrap.c places it).
/// </summary>
[SupportedOSPlatform("linux")]
public class BootstrapMessageTests
{
    [Fact]
    public void ExtraFds_AreAttachedInOrder_WithTheirChildNumbers()
    {
        var req = new Launcher.Request { PreserveFds = 2 };
        req.ExtraFds.AddRange(new[] { 40, 41, 42 });
        req.Message.Append("unshare 0x20000\n");
        var (text, fds) = Launcher.Compose(req);
        // Preserved fds are 3 and 4, the sync socket 5: the extras follow at 6, 7, 8.
        Assert.Equal("runcs-bootstrap 1\nunshare 0x20000\nfd 0 6\nfd 1 7\nfd 2 8\n", text);
        Assert.Equal(new[] { 40, 41, 42 }, fds);
    }

    [Fact]
    public void AnAbsentFd_LeavesItsNumberFree_AndIsNotAttached()
    {
        // create without a console socket: ExtraFds[0] is -1, the fifo is still ExtraFds[1].
        var req = new Launcher.Request();
        req.ExtraFds.AddRange(new[] { -1, 17 });
        var (text, fds) = Launcher.Compose(req);
        Assert.Equal("runcs-bootstrap 1\nfd 0 5\n", text);
        Assert.Equal(5, Launcher.ChildFdOf(0, 1));
        Assert.Equal(new[] { 17 }, fds);
    }

    [Fact]
    public void NoExtraFds_NoFdLines()
    {
        var (text, fds) = Launcher.Compose(new Launcher.Request());
        Assert.Equal("runcs-bootstrap 1\n", text);
        Assert.Empty(fds);
    }
}

/// <summary>
/// Init's files (console socket, exec fifo, memory "tasks" file, id-mapped mounts) travel attached
/// to its configuration: the JSON names each by its index among the attached files.
/// </summary>
[SupportedOSPlatform("linux")]
public class AttachedFilesTests
{
    [Fact]
    public void Attach_NumbersInOrder_AndSkipsAbsentFds()
    {
        var attached = new List<int>();
        Assert.Equal(-1, InitConfig.Attach(attached, -1));
        Assert.Equal(0, InitConfig.Attach(attached, 40));
        Assert.Equal(1, InitConfig.Attach(attached, 33));
        Assert.Equal(new[] { 40, 33 }, attached);
    }

    [Fact]
    public void ResolveAttached_ReplacesIndexesByTheReceivedFds()
    {
        var cfg = new InitConfig
        {
            ConsoleSocketFd = -1, FifoFd = 0, MemoryTasksFd = 2, MountFds = new() { -1, 1 },
            CgroupTasksFds = new() { 3, 4 }, EnterNamespaces = new() { ["net"] = 5 },
        };
        cfg.ResolveAttached(new[] { 11, 12, 13, 14, 15, 16 });
        Assert.Equal(-1, cfg.ConsoleSocketFd);
        Assert.Equal(11, cfg.FifoFd);
        Assert.Equal(13, cfg.MemoryTasksFd);
        Assert.Equal(new List<int> { -1, 12 }, cfg.MountFds);
        Assert.Equal(new List<int> { 14, 15 }, cfg.CgroupTasksFds);
        Assert.Equal(16, cfg.EnterNamespaces["net"]);
    }

    [Fact]
    public void ResolveAttached_AnIndexBeyondWhatCame_IsAnErrorNamingTheField()
    {
        var cfg = new InitConfig { FifoFd = 3 };
        var e = Assert.Throws<Runcs.Native.RuncsException>(() => cfg.ResolveAttached(new[] { 11 }));
        Assert.Contains("fifoFd", e.Message);
    }

    [Fact]
    public unsafe void SeveralFds_ArriveInAttachmentOrder_CloseOnExec()
    {
        var (parent, child) = SyncChannel.CreatePair();
        using var _ = parent;
        using var receiver = new SyncChannel(child);
        int a = Runcs.Native.Sys.Open("/dev/null", Runcs.Native.Sys.O_RDONLY | Runcs.Native.Sys.O_CLOEXEC, 0);
        int b = Runcs.Native.Sys.Open("/proc/self/stat", Runcs.Native.Sys.O_RDONLY | Runcs.Native.Sys.O_CLOEXEC, 0);
        int c = Runcs.Native.Sys.Open("/", Runcs.Native.Sys.O_RDONLY | Runcs.Native.Sys.O_CLOEXEC, 0);
        Assert.Equal(0, Runcs.Native.Sys.SendFds(parent.Fd, "cfg"u8, new[] { a, b, c }));
        var text = receiver.Receive(out int[] fds);
        Assert.Equal("cfg", text);
        Assert.Equal(3, fds.Length);
        // Same files, in order: compare (dev, ino) of what was sent and what came.
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, Runcs.Native.Sys.Fstat(new[] { a, b, c }[i], out var sent));
            Assert.Equal(0, Runcs.Native.Sys.Fstat(fds[i], out var got));
            Assert.Equal((sent.Dev, sent.Ino), (got.Dev, got.Ino));
            Assert.Equal(Runcs.Native.Sys.FD_CLOEXEC, Runcs.Native.Sys.Fcntl(fds[i], Runcs.Native.Sys.F_GETFD, 0) & Runcs.Native.Sys.FD_CLOEXEC);
        }
        foreach (var fd in fds.Concat(new[] { a, b, c })) Runcs.Native.Sys.Close(fd);
    }
}
