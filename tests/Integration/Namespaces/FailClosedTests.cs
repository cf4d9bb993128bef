using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using Xunit.Abstractions;

namespace OciRuntime.Tests.Integration.Namespaces;

/// <summary>
/// exec either lands in init's namespaces or runs nothing: a record that does not match
/// init, a dead init and a reused pid all refuse, and the user's command never runs.
/// The command would leave a trace (<c>touch /tmp/ran</c> on a writable rootfs); each test
/// first proves that the trace appears when exec is allowed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FailClosedTests(ITestOutputHelper output)
{
    /// <summary>
    /// Scenario 7: the stored inode of one type is replaced by the host's namespace of that
    /// type (the dangerous direction: "run it on the host"); exec exits 1 naming the type and
    /// both identities, and nothing ran.
    /// </summary>
    [Theory]
    [InlineData("net")]
    [InlineData("pid")]
    [InlineData("user")]
    public void TamperedRecord_ExecRefuses_AndNothingRuns(string type)
    {
        using var s = new NsScenario(output);
        // A user namespace mismatch needs a container with its own user namespace.
        var b = type == "user" ? s.NewAllEightBundle() : s.NewBundle("sleep", "1000");
        var id = s.Rt.NewId($"ns-tamper-{type}");
        var pid = s.RunDetached(b, id);

        ProveTraceIsVisible(s, b, id);

        var real = NsScenario.HostNs(pid, type);
        var host = NsScenario.HostNs(Environment.ProcessId, type);
        Assert.NotEqual(real, host);
        var procsBefore = ProcessesInCgroupOf(pid);

        RunResult r;
        using (s.TamperState(id, st => st["namespaces"]![type]!["inode"] = NsScenario.InodeOf(host)))
        {
            r = s.Rt.Run("exec", id, "touch", "/tmp/ran");
            s.Log(r.ToString());
        }

        var line = r.FailsWithOneLine($"exec {id}: {type} namespace mismatch");
        Assert.Contains(host, line);   // what the record (tampered) says
        Assert.Contains(real, line);   // where the process actually was
        Assert.False(File.Exists(b.RootfsPath("tmp/ran")), "the command ran although exec refused: " + r);
        Assert.Equal(procsBefore, ProcessesInCgroupOf(pid));
        Assert.True(Proc.IsAlive(pid), "init died");

        // With the record restored, the same command runs (the refusal came from the tamper).
        s.Exec(id, "touch", "/tmp/ran");
        Assert.True(File.Exists(b.RootfsPath("tmp/ran")));
    }

    /// <summary>
    /// Scenario 7, repeated: the refusal is reported every time, in the foreground and with
    /// <c>--detach</c>. Regression: the child failed its check right after the runtime sent
    /// it its configuration; the kernel then reported ECONNRESET before the child's "error"
    /// message, the runtime took that for a successful execve, and about 1 in 10 refused
    /// execs exited 1 with no message (foreground) or exited 0 and wrote a pid file (--detach).
    /// </summary>
    [Fact]
    public void TamperedRecord_RefusalIsReportedEveryTime_ForegroundAndDetached()
    {
        using var s = new NsScenario(output);
        var b = s.NewBundle("sleep", "1000");
        var id = s.Rt.NewId("ns-tamper-rep");
        var pid = s.RunDetached(b, id);
        var host = NsScenario.HostNs(Environment.ProcessId, "pid");
        var pidFile = Path.Combine(b.Dir, "exec.pid");
        var bad = new List<string>();
        using (s.TamperState(id, st => st["namespaces"]!["pid"]!["inode"] = NsScenario.InodeOf(host)))
        {
            for (int i = 0; i < 60; i++)
            {
                bool detach = i % 2 == 1;
                var r = detach
                    ? s.Rt.Run("exec", "--detach", "--pid-file", pidFile, id, "touch", "/tmp/ran")
                    : s.Rt.Run("exec", id, "touch", "/tmp/ran");
                if (r.ExitCode != 1 || r.StderrLines.Length != 1 || !r.Stderr.Contains("pid namespace mismatch", StringComparison.Ordinal))
                    bad.Add($"#{i}: {r}");
                if (File.Exists(pidFile))
                {
                    bad.Add($"#{i}: a pid file was written: {File.ReadAllText(pidFile)}");
                    File.Delete(pidFile);
                }
            }
        }
        Assert.True(bad.Count == 0, $"{bad.Count} of 60 refused execs were not reported as refused:\n" + string.Join("\n", bad.Take(5)));
        Assert.False(File.Exists(b.RootfsPath("tmp/ran")));
        Assert.True(Proc.IsAlive(pid), "init died");
    }

    /// <summary>Scenario 8: init killed; once state says stopped, exec refuses with "not running".</summary>
    [Fact]
    public void InitKilled_ExecRefuses_AndNothingRuns()
    {
        using var s = new NsScenario(output);
        var b = s.NewBundle("sleep", "1000");
        var id = s.Rt.NewId("ns-killed");
        var pid = s.RunDetached(b, id);
        ProveTraceIsVisible(s, b, id);

        s.Rt.Run("kill", id, "KILL").Ok();
        Assert.True(Proc.WaitUntil(() => s.Rt.Status(id) == "stopped"), "the container did not become stopped");
        Assert.False(Proc.IsAlive(pid));

        var r = s.Rt.Run("exec", id, "touch", "/tmp/ran");
        s.Log(r.ToString());
        r.FailsWithOneLine("not running");
        Assert.False(File.Exists(b.RootfsPath("tmp/ran")), "the command ran although exec refused: " + r);
    }

    /// <summary>
    /// Scenario 8: a reused pid is never joined. Simulated by changing the stored start time
    /// while init runs: the pid is alive but is not the recorded process.
    /// </summary>
    [Fact]
    public void StartTimeMismatch_ExecRefuses_AndNothingRuns()
    {
        using var s = new NsScenario(output);
        var b = s.NewBundle("sleep", "1000");
        var id = s.Rt.NewId("ns-reused");
        var pid = s.RunDetached(b, id);
        ProveTraceIsVisible(s, b, id);
        var procsBefore = ProcessesInCgroupOf(pid);

        RunResult r;
        using (s.TamperState(id, st => st["initStartTime"] = st["initStartTime"]!.GetValue<ulong>() + 12345))
        {
            r = s.Rt.Run("exec", id, "touch", "/tmp/ran");
            s.Log(r.ToString());
        }
        r.FailsWithOneLine("not running");
        Assert.False(File.Exists(b.RootfsPath("tmp/ran")), "the command ran although exec refused: " + r);
        Assert.Equal(procsBefore, ProcessesInCgroupOf(pid));
        Assert.True(Proc.IsAlive(pid), "init died");
    }

    /// <summary>The trace of an allowed exec shows up on the host (so its absence means something).</summary>
    private static void ProveTraceIsVisible(NsScenario s, Bundle b, string id)
    {
        s.Exec(id, "touch", "/tmp/control");
        Assert.True(File.Exists(b.RootfsPath("tmp/control")), "a file made by exec is not visible in the rootfs from the host");
        Assert.False(File.Exists(b.RootfsPath("tmp/ran")));
    }

    /// <summary>Host pids whose /proc/PID/cgroup is exactly init's (the container's processes), sorted.</summary>
    private static List<int> ProcessesInCgroupOf(int initPid)
    {
        var target = File.ReadAllText($"/proc/{initPid}/cgroup");
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var p)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cgroup")) == target && Proc.IsAlive(p)) result.Add(p);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        result.Sort();
        return result;
    }
}
