using System.Globalization;
using OciRuntime.Tests.Integration.Support;
using Xunit.Abstractions;

namespace OciRuntime.Tests.Integration.Namespaces;

/// <summary>Namespaces init created itself.</summary>
[Trait("Category", "Integration")]
public sealed class CreatedNamespaceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Scenario 4: all eight types created (user with a 0 -> 100000 mapping, cgroup, time with
    /// monotonic and boottime offsets): exec matches every type and sees the boottime offset.
    /// </summary>
    [Fact]
    public void AllEightCreated_ExecMatchesEveryType_AndSeesBoottimeOffset()
    {
        const long boottime = 86400;
        using var s = new NsScenario(output);
        var b = s.NewAllEightBundle(boottime);
        var id = s.Rt.NewId("ns-all8");

        var pid = s.RunDetached(b, id);
        // Every type is init's own: none is the host's.
        foreach (var t in NsScenario.AllTypes)
            Assert.NotEqual(NsScenario.HostNs(Environment.ProcessId, t), NsScenario.HostNs(pid, t));

        s.AssertExecMatchesInit(id);
        foreach (var t in NsScenario.AllTypes)
            Assert.Equal("created", s.OriginOf(id, t));

        // boottime offset: the exec'd process's uptime is the host's plus the offset.
        double hostBefore = Uptime(File.ReadAllText("/proc/uptime"));
        double inside = Uptime(s.Exec(id, "cat", "/proc/uptime"));
        double hostAfter = Uptime(File.ReadAllText("/proc/uptime"));
        Assert.InRange(inside, hostBefore + boottime - 1, hostAfter + boottime + 1);

        // The exec'd process is root of the container's user namespace, mapped to 100000.
        Assert.Equal("0", s.Exec(id, "id", "-u").Trim());
        var map = s.Exec(id, "cat", "/proc/self/uid_map").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { "0", "100000", "65536" }, map);
    }

    /// <summary>
    /// Scenario 6: the exec'd process sees init as pid 1 and is in the container's cgroup.
    /// </summary>
    [Fact]
    public void Pid_ExecSeesInitAsPid1_AndIsInItsCgroup()
    {
        using var s = new NsScenario(output);
        var b = s.NewBundle("sleep", "1000");
        var id = s.Rt.NewId("ns-pid");
        var pid = s.RunDetached(b, id);

        s.AssertExecMatchesInit(id);

        var initCmdline = File.ReadAllText($"/proc/{pid}/cmdline");
        Assert.Equal("sleep\01000\0", initCmdline);
        Assert.Equal(initCmdline, s.Exec(id, "cat", "/proc/1/cmdline"));

        // Same view inside (cgroup namespace inherited here): self equals init, and the host's view of init.
        var both = s.Exec(id, "sh", "-c", "cat /proc/self/cgroup; echo ---; cat /proc/1/cgroup").Split("---\n");
        Assert.Equal(2, both.Length);
        Assert.Equal(both[1], both[0]);
        Assert.Equal(File.ReadAllText($"/proc/{pid}/cgroup"), both[0]);
        Assert.Contains(id, NsScenario.PidsCgroup(pid));
    }

    /// <summary>Scenario 6 with a private cgroup namespace as well: the exec'd process's cgroup is init's, seen from the host.</summary>
    [Fact]
    public void Pid_WithAllEight_ExecIsInInitsCgroup()
    {
        using var s = new NsScenario(output);
        var b = s.NewAllEightBundle();
        var id = s.Rt.NewId("ns-pid8");
        var pid = s.RunDetached(b, id);
        var pidFile = Path.Combine(b.Dir, "exec.pid");

        // A detached exec whose host pid we know, so the host can read its /proc/PID/cgroup.
        var r = s.Rt.Run("exec", "--detach", "--pid-file", pidFile, id, "sleep", "300");
        s.Log(r.ToString());
        r.Ok();
        int execPid = int.Parse(File.ReadAllText(pidFile), CultureInfo.InvariantCulture);
        try
        {
            Assert.Equal(File.ReadAllText($"/proc/{pid}/cgroup"), File.ReadAllText($"/proc/{execPid}/cgroup"));
            Assert.Equal("sleep\01000\0", s.Exec(id, "cat", "/proc/1/cmdline"));
            var inside = s.Exec(id, "sh", "-c", "cat /proc/self/cgroup; echo ---; cat /proc/1/cgroup").Split("---\n");
            Assert.Equal(inside[1], inside[0]);
        }
        finally
        {
            NsScenario.Kill(execPid);
        }
    }

    private static double Uptime(string procUptime) =>
        double.Parse(procUptime.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
}
