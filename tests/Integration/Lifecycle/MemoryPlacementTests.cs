using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>
/// On cgroup v1 the container process joins its memory cgroup late (init: at the end of create,
/// right before "ready"; exec: right before execve): the runtime's own pages are not charged to
/// the container, so a memory limit holds the user's program alone (runc needs megabytes for
/// itself), and the limit still binds the program. When create returns init is in its memory
/// cgroup, as engines expect (CLI-CONTRACT.md: they read /proc/PID/cgroup once, for OOM and metrics).
/// </summary>
[Trait("Category", "Integration")]
public sealed class MemoryPlacementTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public MemoryPlacementTests(Runcs rt) => _rt = rt;

    private static bool V1Memory => Directory.Exists("/sys/fs/cgroup/memory");

    private static void Limit(Bundle b, long bytes) => b.EditConfig(c =>
    {
        var linux = c["linux"]!.AsObject();
        var res = linux["resources"] as JsonObject ?? new JsonObject();
        res["memory"] = new JsonObject { ["limit"] = bytes, ["swap"] = bytes };
        linux["resources"] = res;
    });

    [Fact]
    public void HalfMebibyteLimit_TheProgramRuns_InTheMemoryCgroup()
    {
        if (!V1Memory) return; // the v2 lane covers pure v2, where the process is born in its cgroup
        using var b = Bundle.Create("cat", "/proc/self/cgroup");
        Limit(b, 512 * 1024); // issue 7's target; `true` alone runs at 128 KiB here
        var id = _rt.NewId("memtiny");

        var r = _rt.Run("run", "--bundle", b.Dir, id).Ok();

        Assert.EndsWith("/" + id, r.Stdout.Split('\n').Single(l => l.Contains(":memory:")));
    }

    [Fact]
    public void CreatedInit_IsInTheMemoryCgroup_ItsRuntimeIsNotCharged_AndTheLimitBinds()
    {
        if (!V1Memory) return;
        using var b = Bundle.Create("sh", "-c", "dd if=/dev/zero of=/dev/null bs=32M count=1; echo DD=$?");
        Limit(b, 8 * 1024 * 1024);
        var id = _rt.NewId("memlate");
        _rt.Run("create", "--bundle", b.Dir, id).Ok();
        try
        {
            int pid = _rt.Pid(id);
            var cg = File.ReadAllLines($"/proc/{pid}/cgroup");
            Assert.EndsWith("/" + id, cg.Single(l => l.Split(':')[1] == "pids"));
            // containerd's shim and conmon read this line once, right after create, to watch OOM.
            var memory = cg.Single(l => l.Split(':')[1] == "memory");
            Assert.EndsWith("/" + id, memory);
            // The runtime's megabytes stayed charged to the caller's cgroup (rss+cache, not the charge batch in usage).
            var stat = File.ReadAllLines($"/sys/fs/cgroup/memory{memory.Split(':', 3)[2]}/memory.stat");
            long Stat(string k) => long.Parse(stat.Single(l => l.StartsWith(k + " ", StringComparison.Ordinal)).Split(' ')[1]);
            Assert.True(Stat("rss") + Stat("cache") < 1024 * 1024, string.Join("; ", stat.Take(6)));
        }
        finally
        {
            _rt.Run("delete", "--force", id).Ok();
        }

        var run = _rt.Run("run", "--bundle", b.Dir, _rt.NewId("memlate"));
        // dd's 32 MiB buffer does not fit in 8 MiB: the kernel kills it inside the container.
        Assert.Contains("DD=137", run.Stdout);
    }
}
