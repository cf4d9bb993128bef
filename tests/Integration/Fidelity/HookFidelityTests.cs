using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Fidelity.FidelityKit;

namespace OciRuntime.Tests.Integration.Fidelity;

/// <summary>
/// The six hook kinds: where their paths resolve, the order they run in, the state on their
/// stdin, and what a failing or hanging hook does to the operation.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HookFidelityTests : IClassFixture<Runcs>
{
    private static readonly string[] s_kinds =
        ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"];

    private readonly Runcs _rt;

    public HookFidelityTests(Runcs rt) => _rt = rt;

    /// <summary>A hook running /bin/sh -c SCRIPT (the host's sh, or the rootfs's for startContainer).</summary>
    private static JsonObject ShHook(string script, int? timeout = null)
    {
        var h = new JsonObject { ["path"] = "/bin/sh", ["args"] = Strings("sh", "-c", script) };
        if (timeout != null) h["timeout"] = timeout.Value;
        return h;
    }

    private const string RecorderScript = "#!/bin/sh\ncat > \"$1/$2.json\"\necho \"$2\" >> \"$1/order\"\n[ -n \"$FID_HOOK_ENV\" ] && echo \"$FID_HOOK_ENV\" > \"$1/$2.env\"\nexit 0\n";

    /// <summary>
    /// Each hook saves its stdin as KIND.json and appends KIND to order, in DIR (host) or /hooks
    /// (its bind mount in the container). The host hooks run DIR/rec.sh, which does not exist in
    /// the container; startContainer runs /fid-rec.sh, which exists only in the rootfs, so each
    /// path can only resolve where the spec says it does.
    /// </summary>
    private static Bundle RecordingBundle(HostDir h, string containerScript)
    {
        var hostScript = h.WriteFile("rec.sh", RecorderScript);
        File.SetUnixFileMode(hostScript, (UnixFileMode)Convert.ToInt32("755", 8));
        var b = Bundle.Create("sh", "-c", containerScript);
        var inRootfs = b.RootfsPath("fid-rec.sh");
        File.WriteAllText(inRootfs, RecorderScript);
        File.SetUnixFileMode(inRootfs, (UnixFileMode)Convert.ToInt32("755", 8));
        b.AddMounts(Mount("/hooks", "bind", h.Path, "rbind", "rw"));
        b.EditConfig(c =>
        {
            var hooks = new JsonObject();
            foreach (var kind in s_kinds)
            {
                var inContainer = kind == "startContainer";
                var hook = new JsonObject
                {
                    ["path"] = inContainer ? "/fid-rec.sh" : hostScript,
                    ["args"] = Strings("rec.sh", inContainer ? "/hooks" : h.Path, kind),
                    ["env"] = Strings($"FID_HOOK_ENV=env-of-{kind}"),
                };
                hooks[kind] = new JsonArray(hook);
            }
            c["hooks"] = hooks;
        });
        return b;
    }

    private static string[] Lines(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToArray() : [];

    [Fact]
    public void AllSixHooks_RunInOrder_WithTheStateOnStdin()
    {
        using var h = new HostDir("hooks");
        using var b = RecordingBundle(h, "echo main >> /hooks/order");
        var id = _rt.NewId("hooks");
        var order = h.Sub("order");

        _rt.Run("create", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);
        Assert.Equal(["prestart", "createRuntime", "createContainer"], Lines(order));

        _rt.Run("start", id).Ok();
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"), "container should finish");
        _rt.Run("delete", id).Ok();

        var all = Lines(order);
        Assert.Equal(s_kinds.Append("main").Order(), all.Order());
        Assert.Equal(["prestart", "createRuntime", "createContainer"], all[..3]);
        Assert.True(Array.IndexOf(all, "startContainer") < Array.IndexOf(all, "main"), "startContainer must run before the program: " + string.Join(",", all));
        Assert.Equal("poststop", all[6]);
        // Where poststart falls relative to startContainer/main: see PoststartHook_RunsAfterTheProgramWasExecuted.

        JsonObject State(string kind)
        {
            var s = JsonNode.Parse(File.ReadAllText(h.Sub(kind + ".json")))!.AsObject();
            Assert.Equal(id, s["id"]!.GetValue<string>());
            Assert.Equal(b.Dir, s["bundle"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(s["ociVersion"]?.GetValue<string>()), kind + ": ociVersion missing");
            return s;
        }

        foreach (var kind in new[] { "prestart", "createRuntime" })
        {
            var s = State(kind);
            Assert.Equal("creating", s["status"]!.GetValue<string>());
            Assert.Equal(pid, s["pid"]!.GetValue<int>());
        }

        var cc = State("createContainer");
        Assert.Equal("creating", cc["status"]!.GetValue<string>());
        // runc passes its own getpid() from inside the container's pid namespace (1); the host pid would be right too.
        Assert.Contains(cc["pid"]!.GetValue<int>(), new[] { 1, pid });

        var sc = State("startContainer");
        Assert.Contains(sc["pid"]!.GetValue<int>(), new[] { 1, pid });
        Assert.Contains(sc["status"]!.GetValue<string>(), new[] { "created", "running" }); // see the skipped test below

        var ps = State("poststart");
        Assert.Equal(pid, ps["pid"]!.GetValue<int>());
        Assert.Contains(ps["status"]!.GetValue<string>(), new[] { "created", "running" }); // runc says created, runcs running

        Assert.Equal("stopped", State("poststop")["status"]!.GetValue<string>());

        foreach (var kind in s_kinds)
            Assert.Equal($"env-of-{kind}\n", File.ReadAllText(h.Sub(kind + ".env")));
    }

    /// <summary>startContainer runs before the user program is executed: the container is still "created" (runc).</summary>
    [Fact]
    public void StartContainerHook_SeesStatusCreated()
    {
        using var h = new HostDir("hooksc");
        using var b = RecordingBundle(h, "true");
        var id = _rt.NewId("hooksc");
        _rt.Run("create", "--bundle", b.Dir, id).Ok();
        _rt.Run("start", id).Ok();
        Assert.True(Proc.WaitUntil(() => File.Exists(h.Sub("startContainer.json"))));
        _rt.Run("delete", "--force", id).Ok();
        var s = JsonNode.Parse(File.ReadAllText(h.Sub("startContainer.json")))!;
        Assert.Equal("created", s["status"]!.GetValue<string>());
    }

    /// <summary>
    /// "The poststart hooks MUST be called after the user-specified process is executed but before
    /// the start operation returns." A slow startContainer hook makes a start that does not wait
    /// for the exec run poststart first.
    /// </summary>
    [Fact]
    public void PoststartHook_RunsAfterTheProgramWasExecuted()
    {
        using var h = new HostDir("hookpost");
        using var b = Bundle.Create("sh", "-c", "echo main >> /hooks/order; sleep 1000");
        b.AddMounts(Mount("/hooks", "bind", h.Path, "rbind", "rw"));
        b.EditConfig(c => c["hooks"] = new JsonObject
        {
            ["startContainer"] = new JsonArray(ShHook("sleep 0.5; echo startContainer >> /hooks/order")),
            ["poststart"] = new JsonArray(ShHook($"echo poststart >> {h.Sub("order")}")),
        });
        var id = _rt.NewId("hookpost");
        _rt.Run("create", "--bundle", b.Dir, id).Ok();

        _rt.Run("start", id).Ok();
        var atReturn = Lines(h.Sub("order"));
        _rt.Run("delete", "--force", id).Ok();

        // The program's own line may come before or after poststart; the hooks' order may not.
        Assert.Equal(["startContainer", "poststart"], atReturn.Where(l => l != "main"));
    }

    /// <summary>A program that exits at once is still a program that was executed: start succeeds and poststart runs.</summary>
    [Fact]
    public void Start_QuickProgram_WithPoststartHook_Succeeds()
    {
        using var h = new HostDir("hookquick");
        using var b = Bundle.Create("true");
        b.EditConfig(c => c["hooks"] = new JsonObject
        {
            ["poststart"] = new JsonArray(ShHook($"echo poststart >> {h.Sub("ran")}")),
        });
        for (var i = 0; i < 3; i++)
        {
            var id = _rt.NewId("hookquick");
            _rt.Run("create", "--bundle", b.Dir, id).Ok();
            _rt.Run("start", id).Ok();
            Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"));
            _rt.Run("delete", id).Ok();
        }
        Assert.Equal(3, Lines(h.Sub("ran")).Length);
    }

    /// <summary>
    /// A failing poststart hook fails start with the hook's error, also when the program has
    /// already ended by then (stopping it must not replace the error with "not running").
    /// </summary>
    [Fact]
    public void FailingPoststartHook_AfterAQuickProgram_StartReportsTheHook()
    {
        using var b = Bundle.Create("true");
        b.EditConfig(c => c["hooks"] = new JsonObject { ["poststart"] = new JsonArray(ShHook("sleep 0.3; exit 1")) });
        var id = _rt.NewId("hookpsfail");
        _rt.Run("create", "--bundle", b.Dir, id).Ok();

        var r = _rt.Run("start", id);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("poststart", r.Stderr);
        Assert.DoesNotContain("not running", r.Stderr);
        _rt.Run("delete", "--force", id).Ok();
    }

    [Theory]
    [InlineData("prestart")]
    [InlineData("createRuntime")]
    [InlineData("createContainer")]
    public void FailingCreateHook_FailsCreate_OneLineNamingIt_NoStateLeft(string kind)
    {
        using var h = new HostDir("hookfail");
        using var b = Bundle.Create("true");
        b.EditConfig(c => c["hooks"] = new JsonObject
        {
            [kind] = new JsonArray(ShHook("exit 3")),
            ["poststart"] = new JsonArray(ShHook($"echo poststart >> {h.Sub("ran")}")),
        });
        var id = _rt.NewId("hookfail");

        var r = _rt.Run("create", "--bundle", b.Dir, id);

        r.FailsWithOneLine(kind);
        Assert.False(Directory.Exists(Path.Combine(_rt.Root, id)), "state dir left behind: " + r);
        Assert.Null(_rt.Status(id));
        Assert.False(CgroupLeft(id), "cgroup left behind");
        Assert.False(File.Exists(h.Sub("ran")));
    }

    /// <summary>runc captures a hook's stdout/stderr and puts them in its error; they never reach the caller's streams.</summary>
    [Fact]
    public void FailingHook_OutputIsCaptured_NotPassedThrough()
    {
        using var b = Bundle.Create("true");
        b.EditConfig(c => c["hooks"] = new JsonObject
        {
            ["prestart"] = new JsonArray(ShHook("echo hook-out; echo hook-err >&2; exit 3")),
        });
        var id = _rt.NewId("hookout");

        var r = _rt.Run("create", "--bundle", b.Dir, id);

        r.FailsWithOneLine("prestart");
        Assert.Equal("", r.Stdout);
    }

    /// <summary>
    /// runtime-spec runtime.md (lifecycle step 9): "If any poststart hook fails, the runtime MUST
    /// generate an error, stop the container, and continue the lifecycle at step 12" (older
    /// versions said: log a warning and go on; runc 1.1.5 already fails).
    /// </summary>
    [Fact]
    public void FailingPoststartHook_FailsStart_AndStopsTheContainer()
    {
        using var b = Bundle.Create("sleep", "1000");
        b.EditConfig(c => c["hooks"] = new JsonObject { ["poststart"] = new JsonArray(ShHook("exit 4")) });
        var id = _rt.NewId("poststart");

        _rt.Run("create", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);
        var start = _rt.Run("start", id);

        start.FailsWithOneLine("poststart");
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"), "the container should be stopped");
        Assert.True(Proc.WaitUntil(() => !Proc.IsAlive(pid)), $"init {pid} should be gone");
        _rt.Run("delete", id).Ok();
    }

    /// <summary>Same rule for startContainer: start fails, the program never runs, the container stops.</summary>
    [Fact]
    public void FailingStartContainerHook_FailsStart_ProgramNeverRuns()
    {
        using var h = new HostDir("hookstc");
        using var b = Bundle.Create("sh", "-c", "echo main > /hooks/main; sleep 1000");
        b.AddMounts(Mount("/hooks", "bind", h.Path, "rbind", "rw"));
        b.EditConfig(c => c["hooks"] = new JsonObject
        {
            ["startContainer"] = new JsonArray(ShHook("exit 6")),
            ["poststart"] = new JsonArray(ShHook($"echo poststart > {h.Sub("poststart")}")),
        });
        var id = _rt.NewId("hookstc");

        _rt.Run("create", "--bundle", b.Dir, id).Ok();
        var start = _rt.Run("start", id);

        start.FailsWithOneLine();
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"), "the container should be stopped");
        Assert.False(File.Exists(h.Sub("main")), "the program must not run after a failed startContainer hook");
        Assert.False(File.Exists(h.Sub("poststart")), "poststart must not run after a failed startContainer hook");
        _rt.Run("delete", id).Ok();
    }

    [Fact]
    public void HookTimeout_KillsTheHook_AndFailsCreate()
    {
        using var h = new HostDir("hooktmo");
        using var b = Bundle.Create("true");
        var pidFile = h.Sub("hookpid");
        b.EditConfig(c => c["hooks"] = new JsonObject
        {
            ["prestart"] = new JsonArray(ShHook($"echo $$ > {pidFile}; exec sleep 100", timeout: 1)),
        });
        var id = _rt.NewId("hooktmo");

        var r = _rt.Run(new RunOptions { Timeout = TimeSpan.FromSeconds(20) }, "create", "--bundle", b.Dir, id);

        var line = r.FailsWithOneLine("prestart");
        Assert.Contains("time", line);
        var hookPid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(Proc.WaitUntil(() => !Proc.IsAlive(hookPid), TimeSpan.FromSeconds(3)), $"hook {hookPid} still alive");
        Assert.False(Directory.Exists(Path.Combine(_rt.Root, id)), "state dir left behind");
    }
}
