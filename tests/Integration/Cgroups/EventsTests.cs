using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Cgroups.CgroupKit;

namespace OciRuntime.Tests.Integration.Cgroups;

/// <summary>
/// A memory limit is enforced: a process allocating past it is OOM-killed, the kernel's counters
/// say so on the host, and a streaming <c>events</c> reports <c>{"type":"oom","id":ID}</c> as runc
/// does (runc 1.1.5 is driven through the same steps on the same bundle). <c>events --stats</c>
/// gives memory usage and limits, cpu throttling, pids in runc's shape (types/events.go).
/// </summary>
[Trait("Category", "Integration")]
public sealed class EventsTests : IClassFixture<Runcs>
{
    private const long Limit = 16 * 1024 * 1024;
    private readonly Runcs _rt;

    public EventsTests(Runcs rt) => _rt = rt;

    private static Bundle OomBundle()
    {
        // Waits for the test's go-ahead, then dd allocates a 64 MiB buffer in a 16 MiB cgroup.
        var b = Bundle.Create("sh", "-c",
            "while [ ! -e /tmp/go ]; do usleep 20000; done; dd if=/dev/zero of=/dev/null bs=64M count=1; echo $? > /tmp/dd-status; exec sleep 1000")
            .Writable();
        var memory = new JsonObject { ["limit"] = Limit };
        if (ChildHas("memory", "memory.memsw.limit_in_bytes")) memory["swap"] = Limit; // no swap to escape to
        return b.WithResources(new JsonObject { ["memory"] = memory });
    }

    /// <summary>Runs the scenario with one runtime; returns the events stream (still open) and init's pid.</summary>
    private static (EventStream Events, int Pid) Scenario(Runcs rt, Bundle b, string id)
    {
        rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var pid = rt.Pid(id);
        Assert.Equal("0", KeyValue(Read(pid, "memory", "memory.oom_control"), "oom_kill"));
        var ev = new EventStream(rt, id, "--interval", "1s");
        // The first stats line says the runtime is watching (its OOM baseline or eventfd is in place).
        Assert.True(Proc.WaitUntil(() => ev.Lines.Length > 0), "events printed nothing: " + ev);
        File.WriteAllText(b.RootfsPath("tmp/go"), "");
        Assert.Equal("137", WaitForFile(b.RootfsPath("tmp/dd-status"))); // 128 + SIGKILL, from the container's shell
        return (ev, pid);
    }

    private static string? KeyValue(string text, string key) =>
        text.Split('\n').Select(l => l.Split(' ')).FirstOrDefault(f => f.Length == 2 && f[0] == key)?[1];

    private static bool IsOomEvent(JsonObject e, string id) =>
        e["type"]?.GetValue<string>() == "oom" && e["id"]?.GetValue<string>() == id;

    [CgroupV1Fact]
    public void AllocationPastTheLimit_IsOomKilled_EventsReportsIt_StatsInRuncShape()
    {
        using var b = OomBundle();
        var id = _rt.NewId("cgoom");
        var s = Scenario(_rt, b, id);
        using var ev = s.Events;
        var pid = s.Pid;

        // Host: the kernel's OOM killer acted in this cgroup, and usage never passed the limit.
        Assert.Equal(Limit.ToString(), Read(pid, "memory", "memory.limit_in_bytes"));
        Assert.True(long.Parse(KeyValue(Read(pid, "memory", "memory.oom_control"), "oom_kill")!) >= 1, Read(pid, "memory", "memory.oom_control"));
        Assert.True(long.Parse(Read(pid, "memory", "memory.max_usage_in_bytes")) <= Limit);
        Assert.Equal("running", _rt.Status(id)); // only dd was killed

        // events: {"type":"oom","id":ID}, nothing else in that line (runc's shape: data omitted).
        Assert.True(Proc.WaitUntil(() => ev.Events.Any(e => IsOomEvent(e, id))), "no oom event: " + ev);
        var oom = ev.Events.First(e => IsOomEvent(e, id));
        Assert.Equal(["id", "type"], oom.Select(kv => kv.Key).Order());

        // events --stats: one line, runc's shape, values that match the host files.
        var statsRun = _rt.Run("events", "--stats", id).Ok();
        var stats = JsonNode.Parse(statsRun.Stdout)!.AsObject();
        Assert.Equal("stats", stats["type"]!.GetValue<string>());
        Assert.Equal(id, stats["id"]!.GetValue<string>());
        var mem = stats["data"]!["memory"]!;
        foreach (var entry in new[] { "usage", "swap", "kernel" })
            Assert.True(mem[entry]?["limit"] != null && mem[entry]?["failcnt"] != null, $"memory.{entry} lacks runc's keys: {mem.ToJsonString()}");
        Assert.Equal(Limit, mem["usage"]!["limit"]!.GetValue<long>());
        Assert.True(mem["usage"]!["usage"]!.GetValue<long>() is > 0 and <= Limit, mem.ToJsonString());
        Assert.True(mem["usage"]!["max"]!.GetValue<long>() is > 0 and <= Limit, mem.ToJsonString());
        if (ChildHas("memory", "memory.memsw.limit_in_bytes")) Assert.Equal(Limit, mem["swap"]!["limit"]!.GetValue<long>());
        Assert.Equal(long.Parse(Read(pid, "pids", "pids.current")), stats["data"]!["pids"]!["current"]!.GetValue<long>());
        Assert.True(stats["data"]!["cpu"]!["usage"]!["total"]!.GetValue<long>() > 0);

        // Streaming events ends by itself once the container has stopped.
        _rt.Run("kill", id, "9").Ok();
        Assert.True(ev.WaitForExit(TimeSpan.FromSeconds(15)), "events still running after the container stopped: " + ev);
        Assert.Equal(0, ev.ExitCode);
        _rt.Run("delete", id).Ok();
    }

    /// <summary>runc on the same bundle: the same dd status and the same oom line (the reference for the shape above).</summary>
    [CgroupV1Fact]
    public void Runc_SameBundle_SameOomEvent()
    {
        using var runc = new Runcs(Paths.RuncBin);
        using var b = OomBundle();
        var id = runc.NewId("cgoomrunc");
        using var ev = Scenario(runc, b, id).Events;
        Assert.True(Proc.WaitUntil(() => ev.Events.Any(e => IsOomEvent(e, id))), "runc: no oom event: " + ev);
        Assert.Equal(["id", "type"], ev.Events.First(e => IsOomEvent(e, id)).Select(kv => kv.Key).Order());
        runc.Run("delete", "--force", id).Ok();
    }

    /// <summary>The top-level keys of runc's stats (types/events.go Stats).</summary>
    private static readonly string[] RuncStatsKeys = ["blkio", "cpu", "cpuset", "hugetlb", "intel_rdt", "memory", "network_interfaces", "pids"];

    /// <summary>
    /// A container held to 10 ms of cpu per 100 ms: once the host's cpu.stat shows throttling,
    /// <c>events --stats</c> reports it under runc's key names (throttledPeriods, throttledTime), and
    /// the same keys come from runc on the same bundle.
    /// </summary>
    [CgroupV1Fact]
    public void Stats_CpuThrottling_InRuncsKeys_SameAsRunc()
    {
        using var runc = new Runcs(Paths.RuncBin);
        using var b = Bundle.Create("sh", "-c", "while :; do :; done")
            .WithResources(new JsonObject { ["cpu"] = new JsonObject { ["quota"] = 10000, ["period"] = 100000 } });
        JsonObject Throttled(Runcs rt, string id)
        {
            rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
            var pid = rt.Pid(id);
            Assert.True(Proc.WaitUntil(() => long.Parse(KeyValue(Read(pid, "cpu", "cpu.stat"), "nr_throttled")!) >= 3), "never throttled");
            var hostThrottled = long.Parse(KeyValue(Read(pid, "cpu", "cpu.stat"), "nr_throttled")!);
            var stats = JsonNode.Parse(rt.Run("events", "--stats", id).Ok().Stdout)!["data"]!.AsObject();
            Assert.Equal(RuncStatsKeys, stats.Select(kv => kv.Key).Order());
            var t = stats["cpu"]!["throttling"]!.AsObject();
            Assert.True(t["throttledPeriods"]?.GetValue<long>() >= hostThrottled, $"{rt.Binary}: {t.ToJsonString()}, host nr_throttled {hostThrottled}");
            Assert.True(t["throttledTime"]?.GetValue<long>() > 0, t.ToJsonString());
            Assert.True(t["periods"]?.GetValue<long>() >= t["throttledPeriods"]!.GetValue<long>(), t.ToJsonString());
            Assert.Equal(1, stats["pids"]!["current"]!.GetValue<int>());
            rt.Run("delete", "--force", id).Ok();
            return t;
        }
        var ours = Throttled(_rt, _rt.NewId("cgthr"));
        var theirs = Throttled(runc, runc.NewId("cgthrrunc"));
        Assert.Equal(theirs.Select(kv => kv.Key).Order(), ours.Select(kv => kv.Key).Order());
    }
}
