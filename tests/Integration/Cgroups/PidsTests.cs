using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Cgroups.CgroupKit;

namespace OciRuntime.Tests.Integration.Cgroups;

/// <summary>linux.resources.pids.limit is enforced: a fork loop in the container is capped by the kernel.</summary>
[Trait("Category", "Integration")]
public sealed class PidsTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public PidsTests(Runcs rt) => _rt = rt;

    [CgroupV1Fact]
    public void ForkLoop_IsCappedAtTheLimit_UntilUpdateRaisesIt()
    {
        // init reads its limit from inside, runs a 30-fork loop in a child shell (which dies on the
        // first failed fork), records what happened, then becomes a sleep holding the survivors.
        using var b = Bundle.Create("sh", "-c",
            "read m < /sys/fs/cgroup/pids/pids.max; echo $m > /tmp/inside-max; " +
            "sh -c 'i=0; while [ $i -lt 30 ]; do sleep 1000 & i=$((i+1)); done; echo all-forked' > /tmp/loop-out 2> /tmp/loop-err; " +
            "echo $? > /tmp/loop-status; exec sleep 1000")
            .Writable()
            .WithResources(new JsonObject { ["pids"] = new JsonObject { ["limit"] = 8 } });
        var id = _rt.NewId("cgpids");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);
        var dir = Dir(pid, "pids");

        var status = WaitForFile(b.RootfsPath("tmp/loop-status"));
        Assert.NotNull(status);
        Assert.NotEqual("0", status);
        Assert.Equal("8", File.ReadAllText(b.RootfsPath("tmp/inside-max")).Trim());
        Assert.Equal("8", File.ReadAllText(Path.Combine(dir, "pids.max")).Trim());
        Assert.DoesNotContain("all-forked", File.ReadAllText(b.RootfsPath("tmp/loop-out")));
        Assert.Contains("can't fork", File.ReadAllText(b.RootfsPath("tmp/loop-err")));
        // The kernel refused forks because of this cgroup's limit ("max N" counts them).
        var events = File.ReadAllText(Path.Combine(dir, "pids.events")).Trim();
        Assert.True(events.StartsWith("max ") && long.Parse(events[4..]) >= 1, "pids.events: " + events);

        // What lives there now: init (now sleep) and the sleeps forked before the cap, never more than 8.
        var current = long.Parse(File.ReadAllText(Path.Combine(dir, "pids.current")).Trim());
        var procs = Procs(dir);
        Assert.InRange(current, 2, 8);
        Assert.Equal(current, procs.Count);
        Assert.Contains(pid, procs);
        var ps = JsonNode.Parse(_rt.Run("ps", "--format", "json", id).Ok().Stdout)!.AsArray().Select(n => n!.GetValue<int>()).Order();
        Assert.Equal(procs.Order(), ps);

        // Raised live: the same container can fork again, up to the new limit.
        _rt.Run("update", "--pids-limit", "20", id).Ok();
        Assert.Equal("20", File.ReadAllText(Path.Combine(dir, "pids.max")).Trim());
        _rt.Run("exec", id, "sh", "-c", "for i in 1 2 3 4 5; do sleep 1000 & done; echo forked > /tmp/more").Ok();
        Assert.Equal("forked", WaitForFile(b.RootfsPath("tmp/more")));
        Assert.True(Proc.WaitUntil(() => Procs(dir).Count == procs.Count + 5), $"expected {procs.Count + 5} processes, have {Procs(dir).Count}");
        _rt.Run("delete", "--force", id).Ok();
        Assert.Empty(DirsNamed(id));
    }
}
