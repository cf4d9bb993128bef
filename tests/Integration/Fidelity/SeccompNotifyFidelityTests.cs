using System.Net.Sockets;
using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Fidelity.FidelityKit;

namespace OciRuntime.Tests.Integration.Fidelity;

/// <summary>
/// SCMP_ACT_NOTIFY with linux.seccomp.listenerPath / listenerMetadata: the container process's
/// listener fd reaches a seccomp agent (the test's, <see cref="TestSeccompAgent"/>) with the
/// container process state, for create+start, run and exec; the agent's answers are what the
/// container sees. An unreachable agent fails the call and leaves nothing behind.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SeccompNotifyFidelityTests : IClassFixture<Runcs>
{
    private const int ENOSPC = 28;
    private readonly Runcs _rt;

    public SeccompNotifyFidelityTests(Runcs rt) => _rt = rt;

    private static bool IsMkdir(int nr) => nr is TestSeccompAgent.SYS_mkdir or TestSeccompAgent.SYS_mkdirat;

    private static void SetNotify(Bundle b, string? listenerPath, string? metadata, params string[] names) => b.EditConfig(c =>
    {
        var s = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["architectures"] = Strings("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
            ["syscalls"] = new JsonArray(new JsonObject { ["names"] = Strings(names), ["action"] = "SCMP_ACT_NOTIFY" }),
        };
        if (listenerPath != null) s["listenerPath"] = listenerPath;
        if (metadata != null) s["listenerMetadata"] = metadata;
        c["linux"]!["seccomp"] = s;
    });

    /// <summary>Host pids of processes in a cgroup named after the container (its processes, wherever their root is).</summary>
    private static List<int> ProcessesInCgroupOf(string id)
    {
        var found = new List<int>();
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(d), out var pid)) continue;
            try
            {
                if (File.ReadAllText(System.IO.Path.Combine(d, "cgroup")).Contains("/" + id, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>create → the agent has the message (pid = init's, status creating, metadata, annotations) → start → mkdir gets the agent's errno.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CreateStart_AgentGetsStateAndFd_MkdirFailsWithTheAgentsErrno(bool nnp)
    {
        using var agent = new TestSeccompAgent(nr => IsMkdir(nr) ? TestSeccompAgent.Reply.Errno(ENOSPC) : TestSeccompAgent.Reply.Let);
        using var b = Bundle.Create("sh", "-c",
            "mkdir /tmp/d 2>&1; echo MKDIR_RC=$?; echo NNP=$(grep NoNewPrivs /proc/self/status | cut -f2); echo DONE");
        b.Writable();
        b.EditConfig(c =>
        {
            c["annotations"] = new JsonObject { ["org.example.k"] = "v" };
            c["process"]!["noNewPrivileges"] = nnp;
        });
        var metadata = "meta-" + Guid.NewGuid().ToString("N")[..6];
        SetNotify(b, agent.Path, metadata, "mkdir", "mkdirat");
        var id = _rt.NewId("ntfy");

        var create = _rt.Run("create", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);
        var m = agent.WaitForMessage(1);
        var j = m.Parsed;

        Assert.Equal(1, m.FdCount);
        Assert.False(m.MoreData, "one message per connection");
        Assert.Equal(["ociVersion", "fds", "pid", "metadata", "state"], j.Select(kv => kv.Key).ToArray());
        Assert.Equal(["seccompFd"], j["fds"]!.AsArray().Select(x => x!.GetValue<string>()).ToArray());
        Assert.Equal(pid, j["pid"]!.GetValue<int>());
        Assert.Equal(metadata, j["metadata"]!.GetValue<string>());
        var st = j["state"]!.AsObject();
        Assert.Equal(["ociVersion", "id", "status", "pid", "bundle", "annotations"], st.Select(kv => kv.Key).ToArray());
        Assert.Equal(id, st["id"]!.GetValue<string>());
        Assert.Equal("creating", st["status"]!.GetValue<string>());
        Assert.Equal(pid, st["pid"]!.GetValue<int>());
        Assert.Equal(b.Dir, st["bundle"]!.GetValue<string>());
        Assert.Equal("v", st["annotations"]!["org.example.k"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(j["ociVersion"]!.GetValue<string>()));
        Assert.Equal("created", _rt.Status(id));

        _rt.Run("start", id).Ok();
        Assert.True(Proc.WaitUntil(() => create.ReadStdout().Contains("DONE")), "the container did not finish: " + create.ReadStdout());
        var output = create.ReadStdout();

        Assert.Contains("mkdir: can't create directory '/tmp/d': No space left on device\n", output);
        Assert.Contains("MKDIR_RC=1\n", output);
        Assert.Contains($"NNP={(nnp ? 1 : 0)}\n", output);
        Assert.False(Directory.Exists(b.RootfsPath("tmp/d")));
        Assert.Contains(agent.Notifications, n => IsMkdir(n.Nr));
    }

    /// <summary>
    /// run -d, then exec: each process sends its own fd (exec's message: pid = the exec'd process,
    /// state.pid = init's, status running). The agent fakes success: mkdir "works" and nothing is made.
    /// </summary>
    [Fact]
    public void RunThenExec_EachProcessSendsItsOwnFd_AgentFakesSuccess()
    {
        using var agent = new TestSeccompAgent(nr => IsMkdir(nr) ? TestSeccompAgent.Reply.Success() : TestSeccompAgent.Reply.Let);
        using var b = Bundle.Create("sh", "-c", "mkdir /tmp/init-d && echo INIT_MKDIR_OK; ls -d /tmp/init-d 2>&1; echo INIT_DONE; exec sleep 1000");
        b.Writable();
        SetNotify(b, agent.Path, "m-run", "mkdir", "mkdirat");
        var id = _rt.NewId("ntfyrun");

        var run = _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var initPid = _rt.Pid(id);
        var first = agent.WaitForMessage(1).Parsed;
        Assert.Equal(initPid, first["pid"]!.GetValue<int>());
        Assert.Equal("creating", first["state"]!["status"]!.GetValue<string>());
        Assert.Equal("m-run", first["metadata"]!.GetValue<string>());
        Assert.Null(first["state"]!["annotations"]); // none in the config: omitted, as runc
        Assert.True(Proc.WaitUntil(() => run.ReadStdout().Contains("INIT_DONE")), run.ReadStdout());
        Assert.Contains("INIT_MKDIR_OK\n", run.ReadStdout());
        Assert.Contains("ls: /tmp/init-d: No such file or directory", run.ReadStdout());

        var pidFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"runcs-fid-{id}.pid");
        try
        {
            var exec = _rt.Run("exec", "--pid-file", pidFile, id, "sh", "-c", "mkdir /tmp/exec-d && echo EXEC_MKDIR_OK; ls -d /tmp/exec-d 2>&1; true").Ok();
            var execPid = int.Parse(File.ReadAllText(pidFile));
            var second = agent.WaitForMessage(2);
            var j = second.Parsed;

            Assert.Equal(1, second.FdCount);
            Assert.Equal(execPid, j["pid"]!.GetValue<int>());
            Assert.NotEqual(initPid, execPid);
            Assert.Equal(initPid, j["state"]!["pid"]!.GetValue<int>());
            Assert.Equal("running", j["state"]!["status"]!.GetValue<string>());
            Assert.Equal(id, j["state"]!["id"]!.GetValue<string>());
            Assert.Equal("m-run", j["metadata"]!.GetValue<string>());
            Assert.Contains("EXEC_MKDIR_OK\n", exec.Stdout);
            Assert.Contains("ls: /tmp/exec-d: No such file or directory", exec.Stdout);
            Assert.False(Directory.Exists(b.RootfsPath("tmp/exec-d")));
        }
        finally
        {
            File.Delete(pidFile);
            _rt.Run("delete", "--force", id);
        }
    }

    /// <summary>Foreground run: the agent's answer reaches the workload; the call's exit code is the workload's.</summary>
    [Fact]
    public void RunForeground_WorkloadSeesTheAgentsErrno()
    {
        using var agent = new TestSeccompAgent(nr => IsMkdir(nr) ? TestSeccompAgent.Reply.Errno(13) : TestSeccompAgent.Reply.Let);
        using var b = Bundle.Create("sh", "-c", "mkdir /tmp/fg 2>&1; exit 7");
        b.Writable();
        SetNotify(b, agent.Path, null, "mkdir", "mkdirat");

        var r = _rt.RunForeground(b, "ntfyfg");

        Assert.Equal(7, r.ExitCode);
        Assert.Contains("mkdir: can't create directory '/tmp/fg': Permission denied", r.Stdout);
        Assert.Null(agent.WaitForMessage(1).Parsed["metadata"]); // no listenerMetadata: omitted
    }

    /// <summary>No socket at listenerPath, or nobody listening: create fails, one line naming the path and errno, nothing left.</summary>
    [Theory]
    [InlineData(false, "no such file or directory")]
    [InlineData(true, "connection refused")]
    public void UnreachableAgent_CreateFailsWithOneLine_NothingLeftBehind(bool socketWithoutListener, string errnoText)
    {
        var path = System.IO.Path.Combine("/tmp", "runcs-fid-noagent-" + Guid.NewGuid().ToString("N")[..10] + ".sock");
        using var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        if (socketWithoutListener) bound.Bind(new UnixDomainSocketEndPoint(path)); // bound, never listening: ECONNREFUSED
        try
        {
            using var b = Bundle.Create("sleep", "1000");
            SetNotify(b, path, "x", "mkdir");
            var id = _rt.NewId("ntfynone");

            var line = _rt.Run("create", "--bundle", b.Dir, id).FailsWithOneLine(path);

            Assert.Contains(errnoText, line);
            Assert.Contains("seccomp agent", line);
            Assert.Null(_rt.Status(id));
            Assert.False(CgroupLeft(id), "cgroup left behind");
            Assert.Empty(ProcessesInCgroupOf(id));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>NOTIFY without listenerPath: refused before anything is made (runc finds out after init loaded the filter).</summary>
    [Fact]
    public void NotifyWithoutListenerPath_CreateFails_NothingLeftBehind()
    {
        using var b = Bundle.Create("sleep", "1000");
        SetNotify(b, null, "x", "mkdir");
        var id = _rt.NewId("ntfynopath");

        _rt.Run("create", "--bundle", b.Dir, id).FailsWithOneLine("linux.seccomp.listenerPath");

        Assert.Null(_rt.Status(id));
        Assert.False(CgroupLeft(id), "cgroup left behind");
    }

    /// <summary>runc's rules: NOTIFY as the default action, or for write, is refused.</summary>
    [Theory]
    [InlineData("default", "SCMP_ACT_NOTIFY cannot be used as default action")]
    [InlineData("write", "SCMP_ACT_NOTIFY cannot be used for the write syscall")]
    public void RuncsRefusedNotifyUses(string what, string text)
    {
        using var agent = new TestSeccompAgent(_ => TestSeccompAgent.Reply.Let);
        using var b = Bundle.Create("true");
        SetNotify(b, agent.Path, null, what == "write" ? "write" : "mkdir");
        if (what == "default")
            b.EditConfig(c => { c["linux"]!["seccomp"]!["defaultAction"] = "SCMP_ACT_NOTIFY"; c["linux"]!["seccomp"]!["syscalls"] = new JsonArray(); });
        var id = _rt.NewId("ntfybad");

        _rt.Run("create", "--bundle", b.Dir, id).FailsWithOneLine(text);

        Assert.Null(_rt.Status(id));
        Assert.Empty(agent.Messages);
    }

    /// <summary>The agent is gone when exec runs: exec fails with one line, the exec'd process never runs, the container stays.</summary>
    [Fact]
    public void Exec_AgentGone_ExecFails_NoProcessLeft_ContainerKeepsRunning()
    {
        using var b = Bundle.Create("sleep", "1000");
        b.Writable();
        var id = _rt.NewId("ntfygone");
        int initPid;
        string path;
        using (var agent = new TestSeccompAgent(_ => TestSeccompAgent.Reply.Let))
        {
            path = agent.Path;
            SetNotify(b, path, null, "mkdir", "mkdirat");
            _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
            initPid = _rt.Pid(id);
            agent.WaitForMessage(1);
        }
        try
        {
            var line = _rt.Run("exec", id, "sh", "-c", "echo ran > /tmp/ran").FailsWithOneLine(path);

            Assert.Contains($"exec {id}: connect to the seccomp agent at {path}", line);
            Assert.Contains("no such file or directory", line);
            Assert.False(File.Exists(b.RootfsPath("tmp/ran")), "the exec'd process ran");
            Assert.Equal([initPid], ProcessesInCgroupOf(id));
            Assert.Equal("running", _rt.Status(id));
        }
        finally
        {
            _rt.Run("delete", "--force", id);
        }
    }

    /// <summary>
    /// The same bundle under runc 1.1.5 and runcs: the same message shape and values (but the
    /// spec version each runtime speaks), the same effect in the container.
    /// </summary>
    [Fact]
    public void SameAsRunc_MessageAndEffect()
    {
        var runc = Scenario(Paths.RuncBin);
        var runcs = Scenario(Paths.RuncsBin);

        Assert.Contains("No space left on device", runc.Output); // runc's own behaviour first: a broken setup shows here
        Assert.Equal(runc.Output, runcs.Output);
        Assert.Equal(runc.Shape, runcs.Shape);
    }

    private (string Output, string Shape) Scenario(string binary)
    {
        using var rt = new Runcs(binary);
        using var agent = new TestSeccompAgent(nr => IsMkdir(nr) ? TestSeccompAgent.Reply.Errno(ENOSPC) : TestSeccompAgent.Reply.Let);
        using var b = Bundle.Create("sh", "-c", "mkdir /tmp/d 2>&1; echo RC=$?");
        b.Writable();
        b.EditConfig(c => c["annotations"] = new JsonObject { ["k"] = "v" });
        SetNotify(b, agent.Path, "meta", "mkdir", "mkdirat");
        var id = rt.NewId("ntfycmp");
        var create = rt.Run("create", "--bundle", b.Dir, id).Ok();
        var pid = rt.Pid(id);
        var j = agent.WaitForMessage(1).Parsed;
        rt.Run("start", id).Ok();
        Assert.True(Proc.WaitUntil(() => create.ReadStdout().Contains("RC=")), binary + ": " + create.ReadStdout());
        var st = j["state"]!.AsObject();
        // Everything but the values that differ by nature (pids, ids, the spec version).
        var shape = string.Join(";",
            string.Join(",", j.Select(kv => kv.Key)),
            string.Join(",", st.Select(kv => kv.Key)),
            j["fds"]!.ToJsonString(), j["metadata"]!.GetValue<string>(),
            st["status"]!.GetValue<string>(), st["annotations"]!.ToJsonString(),
            $"pid={(j["pid"]!.GetValue<int>() == pid)}", $"statepid={(st["pid"]!.GetValue<int>() == pid)}",
            $"id={(st["id"]!.GetValue<string>() == id)}", $"bundle={(st["bundle"]!.GetValue<string>() == b.Dir)}",
            $"ociVersionSame={(j["ociVersion"]!.GetValue<string>() == st["ociVersion"]!.GetValue<string>())}");
        return (create.ReadStdout(), shape);
    }
}
