using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OciRuntime.Tests.Integration.Support;
using Xunit.Abstractions;

namespace OciRuntime.Tests.Integration.Namespaces;

/// <summary>One running container (default namespaces, writable rootfs) shared by the exec flag tests.</summary>
public sealed class ExecFlagsContainer : IDisposable
{
    public ExecFlagsContainer()
    {
        Scenario = new NsScenario();
        try
        {
            Bundle = Scenario.NewBundle("sleep", "1000");
            Id = Scenario.Rt.NewId("ns-flags");
            InitPid = Scenario.RunDetached(Bundle, Id);
        }
        catch
        {
            Scenario.Dispose();
            throw;
        }
    }

    public NsScenario Scenario { get; }
    public Bundle Bundle { get; } = null!;
    public string Id { get; } = "";
    public int InitPid { get; }

    public void Dispose() => Scenario.Dispose();
}

/// <summary>Scenario 9: exec's flags, on a process that is in the container's namespaces.</summary>
[Trait("Category", "Integration")]
public sealed class ExecFlagsTests(ExecFlagsContainer c, ITestOutputHelper output) : IClassFixture<ExecFlagsContainer>
{
    private Runcs Rt => c.Scenario.Rt;

    private RunResult Exec(params string[] args)
    {
        var r = Rt.Run(args);
        output.WriteLine(r.ToString());
        return r;
    }

    [Fact]
    public void DetachWithPidFile_PidFileHoldsTheHostPid_InTheContainersNamespaces()
    {
        var pidFile = Path.Combine(c.Bundle.Dir, $"exec-{Guid.NewGuid():N}.pid");
        Exec("exec", "--detach", "--pid-file", pidFile, c.Id, "sleep", "301").Ok();
        var text = File.ReadAllText(pidFile);
        Assert.Matches(new Regex(@"^[0-9]+$"), text); // no newline
        int pid = int.Parse(text, CultureInfo.InvariantCulture);
        try
        {
            Assert.True(Proc.IsAlive(pid), $"the detached process {pid} is not running");
            Assert.Equal("sleep\0301\0", File.ReadAllText($"/proc/{pid}/cmdline"));
            var diffs = NsScenario.AllTypes
                .Where(t => NsScenario.HostNs(pid, t) != NsScenario.HostNs(c.InitPid, t))
                .Select(t => $"{t}: exec {NsScenario.HostNs(pid, t)} init {NsScenario.HostNs(c.InitPid, t)}")
                .ToList();
            Assert.True(diffs.Count == 0, "detached exec is not in init's namespaces: " + string.Join("; ", diffs));
            Assert.Equal(File.ReadAllText($"/proc/{c.InitPid}/cgroup"), File.ReadAllText($"/proc/{pid}/cgroup"));
        }
        finally
        {
            NsScenario.Kill(pid);
        }
    }

    [Fact]
    public void User_SetsUidAndGid()
    {
        var r = Exec("exec", "--user", "1000:1000", c.Id, "sh", "-c", "id -u; id -g").Ok();
        Assert.Equal("1000\n1000\n", r.Stdout);
    }

    [Fact]
    public void Cwd_SetsTheWorkingDirectory()
    {
        Assert.Equal("/tmp\n", Exec("exec", "--cwd", "/tmp", c.Id, "pwd").Ok().Stdout);
    }

    [Fact]
    public void Env_AddsAVariable()
    {
        Assert.Equal("bar\n", Exec("exec", "--env", "FOO=bar", c.Id, "sh", "-c", "echo $FOO").Ok().Stdout);
    }

    [Theory]
    [InlineData("exit 5", 5)]
    [InlineData("kill -9 $$", 137)]
    [InlineData("exit 0", 0)]
    public void ExitStatus_IsRelayed(string script, int expected)
    {
        var r = Exec("exec", c.Id, "sh", "-c", script);
        Assert.True(r.ExitCode == expected, $"expected exit {expected}: {r}");
    }

    [Fact]
    public void ProcessFile_ArgsEnvCwdComeFromTheFile()
    {
        var file = Path.Combine(c.Bundle.Dir, $"process-{Guid.NewGuid():N}.json");
        var process = new JsonObject
        {
            ["terminal"] = false,
            ["user"] = new JsonObject { ["uid"] = 0, ["gid"] = 0 },
            ["args"] = new JsonArray("sh", "-c", "echo A=$A T=$TERM; pwd; readlink /proc/self/ns/net"),
            ["env"] = new JsonArray("PATH=/bin:/usr/bin", "A=fromfile"),
            ["cwd"] = "/tmp",
        };
        File.WriteAllText(file, process.ToJsonString());
        var r = Exec("exec", "--process", file, c.Id).Ok();
        // The file's env replaces the container's (no TERM from config.json).
        Assert.Equal($"A=fromfile T=\n/tmp\n{NsScenario.HostNs(c.InitPid, "net")}\n", r.Stdout);
    }

    [Fact]
    public async Task TtyWithConsoleSocket_MasterCarriesTheOutput()
    {
        using var listener = new ConsoleSocketListener();
        var exec = Task.Run(() => Rt.Run("exec", "--tty", "--console-socket", listener.Path, c.Id,
            "sh", "-c", "tty; echo hello-from-tty; readlink /proc/self/ns/pid"));
        int master = -1;
        try
        {
            string payload;
            try { (master, payload) = listener.ReceiveMaster(TimeSpan.FromSeconds(20), exec); }
            catch (TimeoutException e) when (exec.IsCompleted) { Assert.Fail(e.Message + ": " + await exec); throw; }
            output.WriteLine($"console socket payload: '{payload}', master fd {master}");
            var text = ConsoleSocketListener.ReadAll(master, TimeSpan.FromSeconds(20));
            output.WriteLine("terminal: " + text);
            var result = await exec.WaitAsync(TimeSpan.FromSeconds(30)); // safety net: TimeoutException
            output.WriteLine(result.ToString());
            result.Ok();

            var lines = text.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            Assert.Matches(new Regex(@"^/dev/pts/[0-9]+$"), lines[0]);
            Assert.Equal("hello-from-tty", lines[1]);
            Assert.Equal(NsScenario.HostNs(c.InitPid, "pid"), lines[2]);
        }
        finally
        {
            if (master >= 0) ConsoleSocketListener.Close(master);
            try { await exec.WaitAsync(TimeSpan.FromSeconds(30)); } catch (Exception) { /* reported above */ }
        }
    }
}
