using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>
/// create, run and exec spawn their C stage before they read the bundle or the state (its
/// exec overlaps that work). A verb that then fails, or never needs it, must end and reap it:
/// no process of the runtime's may outlive the command as an orphan. A perl wrapper that is
/// a child subreaper runs the command and reports every orphan it inherits afterwards.
/// </summary>
[Trait("Category", "Integration")]
public sealed class EarlyStageTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public EarlyStageTests(Runcs rt) => _rt = rt;

    // prctl(PR_SET_CHILD_SUBREAPER, 1) is syscall 157 with option 36 on x86-64.
    private static readonly string[] Reaper =
    [
        "perl", "-e",
        "syscall(157, 36, 1) == 0 or die qq(prctl: $!\\n); my $rc = system(@ARGV); " +
        "while ((my $p = wait()) > 0) { print STDERR qq(orphan $p\\n) } exit($rc >> 8)",
    ];

    private static bool HasOrphan(RunResult r) => r.StderrLines.Any(l => l.StartsWith("orphan ", StringComparison.Ordinal));

    [Fact]
    public void Sanity_TheWrapperSeesAnOrphan()
    {
        // A background sleep that the shell leaves behind before it execs the runtime.
        var r = _rt.Run(new RunOptions { Wrapper = [.. Reaper, "sh", "-c", "sleep 0.2 & exec \"$@\"", "x"] }, "list");
        Assert.True(HasOrphan(r), "the wrapper must report the orphaned sleep: " + r);
    }

    [Fact]
    public void CreateWithBadConfig_FailsAndLeavesNoProcess()
    {
        using var b = Bundle.Create("true");
        File.WriteAllText(b.ConfigPath, "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"true\"], \"cwd\": 5}}");
        var r = _rt.Run(new RunOptions { Wrapper = Reaper }, "create", "--bundle", b.Dir, _rt.NewId("earlybad"));
        Assert.False(HasOrphan(r), "an early C stage outlived create: " + r);
        r.FailsWithOneLine("cwd");
    }

    [Fact]
    public void CreateWithMissingConsoleSocket_FailsAndLeavesNoProcess()
    {
        using var b = Bundle.Create("true");
        var r = _rt.Run(new RunOptions { Wrapper = Reaper }, "create", "--console-socket", "/nonexistent/sock",
            "--bundle", b.Dir, _rt.NewId("earlysock"));
        Assert.False(HasOrphan(r), "an early C stage outlived create: " + r);
        r.FailsWithOneLine();
    }

    [Fact]
    public void ExecIntoMissingContainer_FailsAndLeavesNoProcess()
    {
        var r = _rt.Run(new RunOptions { Wrapper = Reaper }, "exec", _rt.NewId("earlymissing"), "true");
        Assert.False(HasOrphan(r), "an early C stage outlived exec: " + r);
        r.FailsWithOneLine();
    }

    [Fact]
    public void RunWithPreservedFds_LeavesNoProcess_AndTheFdsArrive()
    {
        using var b = Bundle.Create("sh", "-c", "ls /proc/self/fd | tr '\\n' ' '");
        var r = _rt.Run(new RunOptions { Wrapper = Reaper, ShellPrefix = "exec 3</etc/hostname 4</etc/hostname;" },
            "run", "--preserve-fds", "2", "--bundle", b.Dir, _rt.NewId("earlyrun")).Ok();
        Assert.False(HasOrphan(r), "a process outlived run: " + r);
        // 0-2, the preserved 3 and 4, and ls's own directory fd (5).
        Assert.Equal("0 1 2 3 4 5", r.Stdout.Trim());
    }
}
