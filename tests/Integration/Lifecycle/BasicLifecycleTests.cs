using System.Text.RegularExpressions;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>create / state / start / kill / delete and run, on real busybox containers.</summary>
[Trait("Category", "Integration")]
public sealed class BasicLifecycleTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public BasicLifecycleTests(Runcs rt) => _rt = rt;

    [Fact]
    public void Create_Start_Kill_Delete_GoesThroughEveryState()
    {
        using var b = Bundle.Create("sleep", "1000");
        var id = _rt.NewId("life");
        var pidFile = Path.Combine(b.Dir, "init.pid");

        _rt.Run("create", "--bundle", b.Dir, "--pid-file", pidFile, id).Ok();

        var st = _rt.State(id);
        Assert.Equal("created", st["status"]!.GetValue<string>());
        Assert.Equal(id, st["id"]!.GetValue<string>());
        var pid = st["pid"]!.GetValue<int>();
        Assert.True(pid > 1);
        Assert.True(Proc.IsAlive(pid), $"init {pid} should be alive after create");

        // pid file: the decimal pid and nothing else (no newline: containerd's strict Atoi).
        var raw = File.ReadAllText(pidFile);
        Assert.Matches(new Regex(@"^[0-9]+\z"), raw); // \z: "$" would accept a trailing newline
        Assert.Equal(pid, int.Parse(raw));

        // Until start, the user's program has not run: init is not yet `sleep`.
        Assert.DoesNotContain("sleep", File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '));

        _rt.Run("start", id).Ok();
        Assert.Equal("running", _rt.Status(id));
        Assert.True(Proc.WaitUntil(() => File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("sleep\0", StringComparison.Ordinal)),
            "init should exec sleep after start");
        Assert.Equal(pid, _rt.Pid(id));

        _rt.Run("kill", id, "KILL").Ok();
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"), "container should be stopped after kill KILL");
        Assert.True(Proc.WaitUntil(() => !Proc.IsAlive(pid)));

        _rt.Run("delete", id).Ok();
        var gone = _rt.Run("state", id);
        gone.FailsWithOneLine("container does not exist");
        Assert.False(Directory.Exists(Path.Combine(_rt.Root, id)), "state dir should be removed by delete");
    }

    /// <summary>The container traps the signal and records its name, so delivery is observed, not assumed.</summary>
    [Theory]
    [InlineData(null, "TERM")]
    [InlineData("TERM", "TERM")]
    [InlineData("15", "TERM")]
    [InlineData("SIGUSR1", "USR1")]
    [InlineData("10", "USR1")]
    [InlineData("HUP", "HUP")]
    public void Kill_DeliversSignalByNameOrNumber(string? signal, string expected)
    {
        using var b = Bundle.Create("sh", "-c",
            "for s in TERM USR1 HUP; do trap \"echo $s > /tmp/got; exit 0\" $s; done; echo ready > /tmp/ready; sleep 1000 & wait");
        b.Writable();
        var id = _rt.NewId("kill");
        _rt.Run("create", "--bundle", b.Dir, id).Ok();
        _rt.Run("start", id).Ok();
        Assert.True(Proc.WaitUntil(() => File.Exists(b.RootfsPath("tmp/ready"))), "container did not get ready");

        var args = signal == null ? new[] { "kill", id } : new[] { "kill", id, signal };
        _rt.Run(args).Ok();

        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"), $"container should stop after kill {signal}");
        Assert.Equal(expected, File.ReadAllText(b.RootfsPath("tmp/got")).Trim());
        _rt.Run("delete", id).Ok();
    }

    [Theory]
    [InlineData("SIGKILL")]
    [InlineData("9")]
    public void Kill_Sigkill_StopsInitThatHasNoHandler(string signal)
    {
        using var b = Bundle.Create("sleep", "1000");
        var id = _rt.NewId("kill9");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);
        _rt.Run("kill", id, signal).Ok();
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"));
        Assert.True(Proc.WaitUntil(() => !Proc.IsAlive(pid)));
        _rt.Run("delete", id).Ok();
    }

    [Theory]
    [InlineData("exit 0", 0)]
    [InlineData("exit 7", 7)]
    [InlineData("exit 255", 255)]
    [InlineData("kill -9 $$", 137)]
    public void Run_Foreground_ExitsWithTheProcessStatus(string script, int expected)
    {
        // The shell is not pid 1 of its namespace here: `sh -c` as init ignores signals
        // it has no handler for, so the script runs under a busybox sh child.
        using var b = Bundle.Create("sh", "-c", "sh -c '" + script + "'; exit $?");
        var id = _rt.NewId("runfg");
        var r = _rt.Run("run", "--bundle", b.Dir, id);
        Assert.True(r.ExitCode == expected, $"expected exit {expected}: {r}");
        // Without --keep the container is gone afterwards.
        Assert.Null(_rt.Status(id));
        Assert.False(Directory.Exists(Path.Combine(_rt.Root, id)));
    }

    [Fact]
    public void Run_Foreground_InitKilledBySignal9_Exits137()
    {
        // init kills itself with SIGKILL. Without a pid namespace, so that it is not a
        // namespace init (which ignores signals from inside its namespace, SIGKILL included).
        using var b = Bundle.Create("sh", "-c", "kill -9 $$; exit 3").WithoutNamespace("pid");
        var id = _rt.NewId("run137");
        var r = _rt.Run("run", "--bundle", b.Dir, id);
        Assert.True(r.ExitCode == 137, "expected 137: " + r);
    }

    [Fact]
    public void Run_Foreground_PassesStdioThrough()
    {
        using var b = Bundle.Create("sh", "-c", "read line; echo \"got:$line\"; echo to-stderr >&2");
        var id = _rt.NewId("runio");
        var r = _rt.Run(new RunOptions { Stdin = "hello\n" }, "run", "--bundle", b.Dir, id).Ok();
        Assert.Equal("got:hello", r.Stdout.Trim());
        Assert.Contains("to-stderr", r.Stderr);
    }

    [Fact]
    public void Run_Detached_ReturnsWhileContainerRuns()
    {
        using var b = Bundle.Create("sh", "-c", "echo started > /tmp/started; sleep 1000").Writable();
        var id = _rt.NewId("rund");
        var pidFile = Path.Combine(b.Dir, "pid");
        _rt.Run("run", "-d", "--bundle", b.Dir, "--pid-file", pidFile, id).Ok();
        Assert.Equal("running", _rt.Status(id));
        var pid = _rt.Pid(id);
        Assert.Equal(pid.ToString(), File.ReadAllText(pidFile));
        Assert.True(Proc.IsAlive(pid));
        Assert.True(Proc.WaitUntil(() => File.Exists(b.RootfsPath("tmp/started"))));
        _rt.Run("delete", "--force", id).Ok();
        Assert.Null(_rt.Status(id));
        Assert.True(Proc.WaitUntil(() => !Proc.IsAlive(pid)));
    }

    [Fact]
    public void Run_Keep_LeavesStoppedContainer()
    {
        using var b = Bundle.Create("sh", "-c", "exit 3");
        var id = _rt.NewId("keep");
        var r = _rt.Run("run", "--keep", "--bundle", b.Dir, id);
        Assert.True(r.ExitCode == 3, "expected 3: " + r);
        Assert.Equal("stopped", _rt.Status(id));
        _rt.Run("delete", id).Ok();
        Assert.Null(_rt.Status(id));
    }

    [Fact]
    public void Delete_CreatedContainer_WithoutForce_KillsInit()
    {
        using var b = Bundle.Create("sleep", "1000");
        var id = _rt.NewId("delc");
        _rt.Run("create", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);
        _rt.Run("delete", id).Ok();
        Assert.Null(_rt.Status(id));
        Assert.True(Proc.WaitUntil(() => !Proc.IsAlive(pid)), "init of a deleted created container must be gone");
    }

    [Fact]
    public void Start_ReleasesInitOnce_ProgramRunsOnlyAfterStart()
    {
        using var b = Bundle.Create("sh", "-c", "echo x >> /tmp/runs; sleep 1000").Writable();
        var id = _rt.NewId("once");
        _rt.Run("create", "--bundle", b.Dir, id).Ok();
        Assert.False(File.Exists(b.RootfsPath("tmp/runs")), "program ran before start");
        _rt.Run("start", id).Ok();
        Assert.True(Proc.WaitUntil(() => File.Exists(b.RootfsPath("tmp/runs"))));
        var second = _rt.Run("start", id);
        Assert.NotEqual(0, second.ExitCode);
        Assert.Equal("x", File.ReadAllText(b.RootfsPath("tmp/runs")).Trim());
        _rt.Run("delete", "--force", id).Ok();
    }
}
