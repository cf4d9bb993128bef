using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>--console-socket as containerd and conmon use it.</summary>
[Trait("Category", "Integration")]
public sealed class ConsoleSocketTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public ConsoleSocketTests(Runcs rt) => _rt = rt;

    [Fact]
    public void Create_SendsOnePtyMaster_WithoutWaitingForAccept()
    {
        using var b = Bundle.Create("sh", "-c",
            "tty; readlink /proc/self/fd/1; readlink /proc/self/fd/2; echo READY; sleep 1000");
        b.EditConfig(c => c["process"]!["terminal"] = true);
        var sockPath = Path.Combine(b.Dir, "console.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(sockPath));
        listener.Listen(1);

        var id = _rt.NewId("tty");
        // Nobody accepts yet: create must still return (containerd accepts only afterwards).
        _rt.Run(new RunOptions { Timeout = TimeSpan.FromSeconds(20) },
            "create", "--bundle", b.Dir, "--console-socket", sockPath, id).Ok();
        Assert.Equal("created", _rt.Status(id));

        using var conn = listener.Accept();
        var fd = (int)conn.Handle;
        var (payload, fds, truncated) = Native.RecvMsg(fd);
        Assert.False(truncated, "control data truncated");
        Assert.Equal("/dev/ptmx", Encoding.ASCII.GetString(payload));
        Assert.Single(fds);
        var master = fds[0];
        Assert.True(master >= 0, "the one cmsg must be SCM_RIGHTS");
        try
        {
            // Exactly one message: after it, the runtime has closed its end.
            var (more, moreFds, _) = Native.RecvMsg(fd);
            Assert.Empty(more);
            Assert.Empty(moreFds);

            _rt.Run("start", id).Ok();
            var text = new StringBuilder();
            Proc.WaitUntil(() =>
            {
                var chunk = Native.ReadSome(master, 100);
                if (chunk == null) return true;
                text.Append(Encoding.UTF8.GetString(chunk));
                return text.ToString().Contains("READY");
            }, TimeSpan.FromSeconds(15));
            var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(lines.Length >= 4, "pty output: " + text);
            Assert.Matches(new Regex(@"^/dev/pts/\d+$"), lines[0]);
            Assert.Equal(lines[0], lines[1]);
            Assert.Equal(lines[0], lines[2]);
            Assert.Equal("READY", lines[3]);
        }
        finally
        {
            Native.close(master);
            _rt.Run("delete", "--force", id);
        }
    }

    [Fact]
    public void Terminal_WithoutConsoleSocket_Fails_Cleanly()
    {
        using var rt = new Runcs();
        using var b = Bundle.Create("sh");
        b.EditConfig(c => c["process"]!["terminal"] = true);
        var id = rt.NewId("nosock");
        rt.Run("create", "--bundle", b.Dir, id).FailsWithOneLine();
        Assert.True(!Directory.Exists(rt.Root) || Directory.GetFileSystemEntries(rt.Root).Length == 0);
    }
}
