using System.Diagnostics;
using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using Xunit.Abstractions;

namespace OciRuntime.Tests.Integration.Namespaces;

/// <summary>
/// One test's world: a runtime with a private <c>--root /run/runcs-nstest-&lt;random&gt;</c>,
/// the bundles and network namespaces the test made. Dispose removes all of it, in that
/// order (containers with <c>delete --force</c>, then <c>ip netns del</c>, then the bundle
/// directories), whether the test passed or not.
/// <para>The binary is <see cref="Paths.RuncsBin"/> (env <c>RUNCS_BIN</c>): run the suite with
/// <c>RUNCS_BIN=/usr/sbin/runc</c> to watch the namespace assertions fail on runc.</para>
/// </summary>
public sealed class NsScenario : IDisposable
{
    /// <summary>The eight namespace types, by their /proc/PID/ns name.</summary>
    public static readonly string[] AllTypes = { "mnt", "uts", "ipc", "net", "pid", "user", "cgroup", "time" };

    private readonly List<Bundle> _bundles = new();
    private readonly List<string> _netns = new();
    private readonly ITestOutputHelper? _out;

    public NsScenario(ITestOutputHelper? output = null)
    {
        _out = output;
        Rt = new Runcs(null, "/run/runcs-nstest-" + Guid.NewGuid().ToString("N")[..12]);
    }

    /// <summary>The runtime under test with this scenario's private root.</summary>
    public Runcs Rt { get; }

    /// <summary>
    /// A busybox bundle running <paramref name="args"/> with a writable rootfs (so that a
    /// command that must not run, like <c>touch /tmp/ran</c>, would leave a trace).
    /// </summary>
    public Bundle NewBundle(params string[] args)
    {
        var b = Bundle.Create(args);
        _bundles.Add(b);
        b.EditConfig(c => c["root"]!["readonly"] = false);
        return b;
    }

    /// <summary>
    /// A bundle where init creates all eight namespace types: user (0 -> 100000, 65536 ids,
    /// rootfs chowned), cgroup and time (monotonic +1000 s, boottime +<paramref name="boottimeSecs"/> s)
    /// on top of the default pid, network, ipc, uts, mount.
    /// </summary>
    public Bundle NewAllEightBundle(long boottimeSecs = 86400, params string[] args)
    {
        var b = NewBundle(args.Length > 0 ? args : new[] { "sleep", "1000" });
        b.EditConfig(c =>
        {
            var linux = c["linux"]!.AsObject();
            var ns = linux["namespaces"]!.AsArray();
            foreach (var t in new[] { "user", "cgroup", "time" })
                if (!ns.Any(n => n!["type"]!.GetValue<string>() == t))
                    ns.Add(new JsonObject { ["type"] = t });
            linux["uidMappings"] = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = 100000, ["size"] = 65536 });
            linux["gidMappings"] = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = 100000, ["size"] = 65536 });
            linux["timeOffsets"] = new JsonObject
            {
                ["monotonic"] = new JsonObject { ["secs"] = 1000, ["nanosecs"] = 0 },
                ["boottime"] = new JsonObject { ["secs"] = boottimeSecs, ["nanosecs"] = 0 },
            };
        });
        Host.Run("chown", "-R", "100000:100000", b.Rootfs).Ok();
        return b;
    }

    /// <summary>A fresh <c>ip netns add runcs-t-&lt;random&gt;</c>; deleted on Dispose.</summary>
    public string NewNetns()
    {
        var name = "runcs-t-" + Guid.NewGuid().ToString("N")[..10];
        Host.Run("ip", "netns", "add", name).Ok();
        _netns.Add(name);
        return name;
    }

    /// <summary>Removes entries of linux.namespaces in config.json by OCI type (e.g. "network"): init inherits those.</summary>
    public static void RemoveNamespace(Bundle b, params string[] ociTypes) => b.EditConfig(c =>
    {
        var ns = c["linux"]!["namespaces"]!.AsArray();
        foreach (var n in ns.Where(n => ociTypes.Contains(n!["type"]!.GetValue<string>())).ToList())
            ns.Remove(n);
    });

    /// <summary>
    /// <c>run -d --bundle DIR ID</c> (stdio on files, so nothing waits for EOF), optionally
    /// under a wrapper such as <c>nsenter --net=...</c>; asserts success and that init is alive.
    /// Returns init's host pid.
    /// </summary>
    public int RunDetached(Bundle b, string id, IReadOnlyList<string>? wrapper = null)
    {
        var r = Rt.Run(new RunOptions { Cwd = b.Dir, Wrapper = wrapper }, "run", "-d", "--bundle", b.Dir, id);
        Log(r.ToString());
        r.Ok();
        var pid = Rt.Pid(id);
        Assert.True(Proc.IsAlive(pid), $"init (pid {pid}) of {id} is not alive after run -d");
        return pid;
    }

    /// <summary><c>exec ID ARGS...</c>; asserts exit 0 and returns stdout.</summary>
    public string Exec(string id, params string[] args)
    {
        var r = Rt.Run(new[] { "exec", id }.Concat(args).ToArray());
        Log(r.ToString());
        return r.Ok().Stdout;
    }

    /// <summary><c>readlink /proc/PID/ns/TYPE</c> from the host, e.g. "net:[4026532250]".</summary>
    public static string HostNs(int pid, string type) =>
        new FileInfo($"/proc/{pid}/ns/{type}").LinkTarget
        ?? throw new InvalidOperationException($"/proc/{pid}/ns/{type} is not a link");

    /// <summary>The inode in "net:[4026532250]".</summary>
    public static ulong InodeOf(string nsLink)
    {
        int open = nsLink.IndexOf('['), close = nsLink.IndexOf(']');
        return ulong.Parse(nsLink[(open + 1)..close]);
    }

    /// <summary>
    /// The promise: for EVERY one of the eight types, <c>readlink /proc/self/ns/TYPE</c> run by
    /// <c>exec</c> (the exec'd process itself is readlink) equals <c>readlink /proc/INIT/ns/TYPE</c>
    /// read from the host. All types are compared before failing, and the message lists each.
    /// Then the state record agrees with init for each type. Returns init's namespaces by type.
    /// </summary>
    public Dictionary<string, string> AssertExecMatchesInit(string id)
    {
        var pid = Rt.Pid(id);
        var init = AllTypes.ToDictionary(t => t, t => HostNs(pid, t));
        var lines = new List<string>();
        bool ok = true;
        foreach (var t in AllTypes)
        {
            var r = Rt.Run("exec", id, "readlink", $"/proc/self/ns/{t}");
            var got = r.ExitCode == 0 ? r.Stdout.Trim() : $"(exec failed, exit {r.ExitCode}: {r.Stderr.Trim()})";
            bool same = got == init[t];
            ok &= same;
            lines.Add($"  {t,-6} init {init[t],-22} exec {got,-22} {(same ? "ok" : "MISMATCH")}");
        }
        var table = string.Join('\n', lines);
        Log($"namespaces of {id} (init pid {pid}):\n{table}");
        Assert.True(ok, $"exec into {id} did not land in init's namespaces:\n{table}");
        Assert.True(Proc.IsAlive(pid), $"init (pid {pid}) died during the checks");

        var recorded = NamespacesOf(id);
        foreach (var t in AllTypes)
        {
            Assert.True(recorded?[t] is JsonObject, $"state of {id} has no namespaces.{t} record: {recorded}");
            Assert.Equal(InodeOf(init[t]), recorded![t]!["inode"]!.GetValue<ulong>());
        }
        return init;
    }

    /// <summary>The "namespaces" extension of <c>runcs state ID</c> (null when absent, e.g. runc).</summary>
    public JsonObject? NamespacesOf(string id) => Rt.State(id)["namespaces"] as JsonObject;

    /// <summary>"created", "joined" or "inherited" for one type from <c>state</c>.</summary>
    public string? OriginOf(string id, string type) => NamespacesOf(id)?[type]?["origin"]?.GetValue<string>();

    /// <summary>The state file the runtime keeps for ID under this scenario's root.</summary>
    public string StateFile(string id) => Path.Combine(Rt.Root, id, "state.json");

    /// <summary>
    /// Rewrites the stored state of ID with <paramref name="edit"/>; the returned handle puts
    /// the original bytes back on Dispose (so that cleanup can still find and kill init).
    /// </summary>
    public IDisposable TamperState(string id, Action<JsonObject> edit)
    {
        var path = StateFile(id);
        var original = File.ReadAllBytes(path);
        var node = JsonNode.Parse(original)!.AsObject();
        edit(node);
        File.WriteAllText(path, node.ToJsonString());
        return new Restore(() => File.WriteAllBytes(path, original));
    }

    /// <summary>The cgroup line of one v1 hierarchy (e.g. "pids") of /proc/PID/cgroup, or null.</summary>
    public static string? CgroupLine(int pid, string controller) =>
        File.ReadAllLines($"/proc/{pid}/cgroup").FirstOrDefault(l => l.Split(':', 3) is { Length: 3 } f && f[1].Split(',').Contains(controller));

    /// <summary>The pids hierarchy line of /proc/PID/cgroup (v1), else the unified "0::" line.</summary>
    public static string PidsCgroup(int pid) =>
        CgroupLine(pid, "pids") ?? File.ReadAllLines($"/proc/{pid}/cgroup").First(l => l.StartsWith("0::", StringComparison.Ordinal));

    /// <summary>SIGKILL to a host pid, ignoring a process that is already gone.</summary>
    public static void Kill(int pid)
    {
        try { using var p = Process.GetProcessById(pid); p.Kill(); }
        catch (ArgumentException) { }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    public void Log(string text) => _out?.WriteLine(text);

    public void Dispose()
    {
        var errors = new List<Exception>();
        try { Rt.Dispose(); } catch (Exception e) { errors.Add(e); }
        foreach (var n in _netns)
        {
            try { Host.Run("ip", "netns", "del", n); } catch (Exception e) { errors.Add(e); }
        }
        foreach (var b in _bundles)
        {
            try { b.Dispose(); } catch (Exception e) { errors.Add(e); }
        }
        if (errors.Count > 0) Log("cleanup: " + string.Join("; ", errors.Select(e => e.Message)));
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        private Action? _undo = undo;
        public void Dispose() { _undo?.Invoke(); _undo = null; }
    }
}

/// <summary>Host commands (not the runtime): ip, nsenter, chown, readlink.</summary>
public static class Host
{
    public sealed record Result(string Command, int ExitCode, string Stdout, string Stderr)
    {
        public Result Ok()
        {
            Assert.True(ExitCode == 0, $"`{Command}` -> exit {ExitCode}\n{Stdout}\n{Stderr}");
            return this;
        }
    }

    public static Result Run(params string[] argv)
    {
        var psi = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            try { p.Kill(true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"`{string.Join(' ', argv)}` did not exit within 30 s (safety net)");
        }
        p.WaitForExit();
        return new Result(string.Join(' ', argv), p.ExitCode, output.Result, err.Result);
    }
}
