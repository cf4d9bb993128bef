using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>list, ps, pause/resume, exec into paused, spec, features, --version.</summary>
[Trait("Category", "Integration")]
public sealed class VerbTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public VerbTests(Runcs rt) => _rt = rt;

    [Fact]
    public void List_Table_Quiet_Json()
    {
        using var rt = new Runcs();
        using var b = Bundle.Create("sleep", "1000");
        var created = rt.NewId("lsc");
        var running = rt.NewId("lsr");
        rt.Run("create", "--bundle", b.Dir, created).Ok();
        rt.Run("run", "-d", "--bundle", b.Dir, running).Ok();

        var q = rt.Run("list", "-q").Ok();
        Assert.Equal(new[] { created, running }.Order(), q.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        var table = rt.Run("list").Ok().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(3, table.Length);
        var rowC = table.Single(l => l.StartsWith(created + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rt.Pid(created).ToString(), rowC[1]);
        Assert.Equal("created", rowC[2]);
        Assert.Equal(b.Dir, rowC[3]);
        var rowR = table.Single(l => l.StartsWith(running + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("running", rowR[2]);

        var json = JsonNode.Parse(rt.Run("list", "--format", "json").Ok().Stdout)!.AsArray();
        Assert.Equal(2, json.Count);
        var jr = json.Single(n => n!["id"]!.GetValue<string>() == running)!;
        Assert.Equal("running", jr["status"]!.GetValue<string>());
        Assert.Equal(rt.Pid(running), jr["pid"]!.GetValue<int>());
        Assert.Equal(b.Dir, jr["bundle"]!.GetValue<string>());

        rt.Run("delete", "--force", created).Ok();
        rt.Run("delete", "--force", running).Ok();
        Assert.Equal("", rt.Run("list", "-q").Ok().Stdout.Trim());
    }

    /// <summary>
    /// init and exec'd processes are in the container's cgroup in every hierarchy (the C stage
    /// places them itself); exec --cgroup CTRL:SUB puts the process in a sub-cgroup of that
    /// controller only. Read from inside (/proc/self/cgroup: no cgroup namespace here).
    /// </summary>
    [Fact]
    public void InitAndExec_AreInTheContainersCgroups_ExecCgroupPicksASubCgroup()
    {
        using var b = Bundle.Create("sleep", "1000").WithoutNamespace("cgroup");
        var id = _rt.NewId("cgx");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var initCg = File.ReadAllLines($"/proc/{_rt.Pid(id)}/cgroup");
        var pidsLine = initCg.Single(l => l.Split(':')[1] == "pids");
        var pidsDir = "/sys/fs/cgroup/pids" + pidsLine.Split(':', 3)[2];
        Assert.EndsWith("/" + id, pidsDir);
        Directory.CreateDirectory(Path.Combine(pidsDir, "sub"));
        try
        {
            var plain = _rt.Run("exec", id, "cat", "/proc/self/cgroup").Ok().Stdout.Trim().Split('\n');
            Assert.Equal(initCg.Order(), plain.Order());
            foreach (var l in plain) Assert.EndsWith("/" + id, l);

            var sub = _rt.Run("exec", "--cgroup", "pids:sub", id, "cat", "/proc/self/cgroup").Ok().Stdout.Trim().Split('\n');
            foreach (var l in sub)
                Assert.EndsWith(l.Split(':')[1] == "pids" ? $"/{id}/sub" : "/" + id, l);
        }
        finally
        {
            _rt.Run("delete", "--force", id).Ok();
            if (Directory.Exists(Path.Combine(pidsDir, "sub"))) Directory.Delete(Path.Combine(pidsDir, "sub"));
        }
    }

    [Fact]
    public void List_EmptyOrMissingRoot_Works()
    {
        using var rt = new Runcs();
        var r = rt.Run("list", "--format", "json").Ok();
        var node = JsonNode.Parse(r.Stdout);
        Assert.True(node == null || node.AsArray().Count == 0, r.ToString());
    }

    [Fact]
    public void Ps_Json_HasInitWhileRunning_NullWhenStopped()
    {
        using var b = Bundle.Create("sh", "-c", "sleep 1000 & sleep 1000 & wait");
        var id = _rt.NewId("ps");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);
        var r = _rt.Run("ps", "--format", "json", id).Ok();
        Assert.Equal("", r.Stderr);
        var pids = JsonNode.Parse(r.Stdout)!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
        Assert.Contains(pid, pids);
        Assert.True(Proc.WaitUntil(() =>
            JsonNode.Parse(_rt.Run("ps", "--format", "json", id).Ok().Stdout)!.AsArray().Count >= 3), "init + 2 sleeps");

        _rt.Run("kill", id, "9").Ok();
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"));
        var stopped = _rt.Run("ps", "--format", "json", id).Ok();
        Assert.Equal("null", stopped.Stdout.Trim());
        Assert.Equal("", stopped.Stderr);
        _rt.Run("delete", id).Ok();
    }

    [Fact]
    public async Task Pause_Resume_And_ExecIntoPaused()
    {
        using var b = Bundle.Create("sh", "-c", "while true; do date +%s%N > /tmp/tick; sleep 0.05; done").Writable();
        var id = _rt.NewId("pause");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);
        Assert.True(Proc.WaitUntil(() => File.Exists(b.RootfsPath("tmp/tick"))));

        _rt.Run("pause", id).Ok();
        Assert.Equal("paused", _rt.Status(id));
        Assert.True(Proc.IsAlive(pid));
        // Frozen: the freezer holds every task of the container.
        Assert.True(Proc.WaitUntil(() => FreezerState(pid) == "FROZEN"), "freezer state: " + FreezerState(pid));

        var refused = _rt.Run("exec", id, "true");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("paused", refused.Stderr);
        Assert.False(File.Exists(b.RootfsPath("tmp/exec-ran")));

        // --ignore-paused is accepted; the process can only run once the container thaws.
        var exec = Task.Run(() => _rt.Run(new RunOptions { Timeout = TimeSpan.FromSeconds(30) },
            "exec", "-d", "--ignore-paused", id, "sh", "-c", "echo yes > /tmp/exec-ran"));
        // Resume must not depend on the exec having returned; ask until the container runs.
        _rt.Run("resume", id).Ok();
        Assert.Equal("running", _rt.Status(id));
        var er = await exec;
        Assert.True(er.ExitCode == 0, er.ToString());
        Assert.True(Proc.WaitUntil(() => File.Exists(b.RootfsPath("tmp/exec-ran"))), "exec'd process never ran");

        var t0 = File.ReadAllText(b.RootfsPath("tmp/tick"));
        Assert.True(Proc.WaitUntil(() => File.ReadAllText(b.RootfsPath("tmp/tick")) != t0), "container should run after resume");
        _rt.Run("delete", "--force", id).Ok();
    }

    /// <summary>The v1 freezer.state of init's cgroup, or on cgroup v2 "FROZEN"/"THAWED" from cgroup.freeze.</summary>
    private static string? FreezerState(int pid)
    {
        string? v2 = null;
        foreach (var l in File.ReadLines($"/proc/{pid}/cgroup"))
        {
            var parts = l.Split(':', 3);
            if (parts[1] == "freezer")
            {
                var f = Path.Combine("/sys/fs/cgroup/freezer" + parts[2], "freezer.state");
                return File.Exists(f) ? File.ReadAllText(f).Trim() : null;
            }
            if (parts[0] == "0") v2 = parts[2];
        }
        if (v2 == null) return null;
        foreach (var mount in new[] { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" })
        {
            var f = Path.Combine(mount + v2, "cgroup.freeze");
            if (File.Exists(f)) return File.ReadAllText(f).Trim() == "1" ? "FROZEN" : "THAWED";
        }
        return null;
    }

    [Fact]
    public void PauseResume_NotRunning_Refused()
    {
        using var b = Bundle.Create("sleep", "1000");
        var id = _rt.NewId("pausec");
        _rt.Run("create", "--bundle", b.Dir, id).Ok();
        _rt.Run("resume", id).FailsWithOneLine();
        Assert.Equal("created", _rt.Status(id));
        _rt.Run("delete", id).Ok();
    }

    [Fact]
    public void Spec_MatchesRuncSpec_ExceptOciVersion()
    {
        var d1 = Directory.CreateTempSubdirectory("runcs-it-spec-");
        var d2 = Directory.CreateTempSubdirectory("runc-it-spec-");
        try
        {
            using var rt = new Runcs();
            using var runc = new Runcs(Paths.RuncBin);
            rt.Run(new RunOptions { NoRoot = true, Cwd = d1.FullName }, "spec").Ok();
            runc.Run(new RunOptions { NoRoot = true, Cwd = d2.FullName }, "spec").Ok();
            var ours = JsonNode.Parse(File.ReadAllText(Path.Combine(d1.FullName, "config.json")))!.AsObject();
            var theirs = JsonNode.Parse(File.ReadAllText(Path.Combine(d2.FullName, "config.json")))!.AsObject();
            Assert.StartsWith("1.", ours["ociVersion"]!.GetValue<string>());
            ours.Remove("ociVersion");
            theirs.Remove("ociVersion");
            Assert.True(JsonNode.DeepEquals(ours, theirs),
                $"runcs spec:\n{ours.ToJsonString()}\nrunc spec:\n{theirs.ToJsonString()}");
            // A second spec refuses to overwrite, like runc.
            var again = rt.Run(new RunOptions { NoRoot = true, Cwd = d1.FullName }, "spec");
            Assert.Equal(1, again.ExitCode);
        }
        finally
        {
            d1.Delete(true);
            d2.Delete(true);
        }
    }

    [Fact]
    public void Spec_Bundle_Flag_WritesThere()
    {
        var d = Directory.CreateTempSubdirectory("runcs-it-specb-");
        try
        {
            using var rt = new Runcs();
            rt.Run(new RunOptions { NoRoot = true, Cwd = "/" }, "spec", "--bundle", d.FullName).Ok();
            Assert.NotNull(JsonNode.Parse(File.ReadAllText(Path.Combine(d.FullName, "config.json"))));
        }
        finally { d.Delete(true); }
    }

    [Fact]
    public void RuncSpecConfig_RunsUnchanged()
    {
        using var b = Bundle.Create("true");
        File.Delete(b.ConfigPath);
        using var runc = new Runcs(Paths.RuncBin);
        runc.Run(new RunOptions { NoRoot = true, Cwd = b.Dir }, "spec").Ok();
        b.EditConfig(c =>
        {
            c["process"]!["terminal"] = false;
            c["process"]!["args"] = new JsonArray("sh", "-c", "echo runc-spec-ok; hostname");
        });
        var id = _rt.NewId("runcspec");
        var r = _rt.Run("run", "--bundle", b.Dir, id).Ok();
        Assert.Equal(["runc-spec-ok", "runc"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Features_IsValidJson()
    {
        var r = _rt.Run(new RunOptions { NoRoot = true }, "features").Ok();
        var f = JsonNode.Parse(r.Stdout)!.AsObject();
        Assert.StartsWith("1.", f["ociVersionMin"]!.GetValue<string>());
        Assert.StartsWith("1.", f["ociVersionMax"]!.GetValue<string>());
        Assert.NotNull(f["hooks"]);
        var ns = f["linux"]?["namespaces"]?.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.NotNull(ns);
        Assert.Contains("pid", ns);
        Assert.Contains("mount", ns);
        // What works says so: engines (containerd, podman) read these to decide what to ask for.
        var seccomp = f["linux"]!["seccomp"]!;
        Assert.True(seccomp["enabled"]!.GetValue<bool>());
        Assert.Contains("SCMP_ACT_NOTIFY", seccomp["actions"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.True(f["linux"]!["mountExtensions"]!["idmap"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Version_FirstLineIsRuncsVersion()
    {
        var r = _rt.Run(new RunOptions { NoRoot = true }, "--version").Ok();
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^runcs version \d+\.\d+\.\d+", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("spec: 1.", StringComparison.Ordinal));
    }
}
