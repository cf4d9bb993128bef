using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Cgroups.CgroupKit;

namespace OciRuntime.Tests.Integration.Cgroups;

/// <summary>
/// pause freezes every process of the container, not only init: counters kept by init, by a
/// child of init and by an exec'd process all stop, then all go on after resume. (The freezer
/// state, exec into a paused container and --ignore-paused are in Lifecycle/VerbTests.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class FreezerTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public FreezerTests(Runcs rt) => _rt = rt;

    private const string Counter = "i=0; while :; do i=$((i+1)); echo $i > /tmp/c-$0; usleep 10000; done";

    [CgroupV1Fact]
    public void Pause_StopsEveryCounter_ResumeRestartsThem_DeleteForceOfPaused()
    {
        using var b = Bundle.Create("sh", "-c", $"sh -c '{Counter}' child & sh -c '{Counter}' init").Writable();
        var id = _rt.NewId("cgfrz");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        _rt.Run("exec", "-d", id, "sh", "-c", Counter, "exec").Ok();
        var pid = _rt.Pid(id);
        string[] names = ["init", "child", "exec"];
        long Count(string n)
        {
            try { return long.TryParse(File.ReadAllText(b.RootfsPath($"tmp/c-{n}")).Trim(), out var v) ? v : -1; }
            catch (IOException) { return -1; }
        }
        Assert.True(Proc.WaitUntil(() => names.All(n => Count(n) > 5)), "counters did not start: " + string.Join(",", names.Select(Count)));

        _rt.Run("pause", id).Ok();
        Assert.Equal("paused", _rt.Status(id));
        Assert.Equal("FROZEN", Read(pid, "freezer", "freezer.state"));
        var frozen = names.Select(Count).ToArray();
        // A counter ticks every 10 ms: 600 ms without a change for all three means they are stopped.
        Thread.Sleep(600);
        Assert.Equal(frozen, names.Select(Count).ToArray());
        var procs = Procs(Dir(pid, "freezer"));
        Assert.True(procs.Count >= 4, "init, child, exec'd shell and a sleep: " + string.Join(",", procs));
        Assert.All(procs, p => Assert.True(Proc.IsAlive(p)));

        _rt.Run("resume", id).Ok();
        Assert.Equal("running", _rt.Status(id));
        Assert.Equal("THAWED", Read(pid, "freezer", "freezer.state"));
        Assert.True(Proc.WaitUntil(() => names.Zip(frozen).All(x => Count(x.First) > x.Second + 5)),
            $"counters after resume: {string.Join(",", names.Select(Count))}, frozen at {string.Join(",", frozen)}");

        // delete --force of a paused container: thawed, killed, everything removed.
        _rt.Run("pause", id).Ok();
        _rt.Run("delete", "--force", id).Ok();
        Assert.Null(_rt.Status(id));
        Assert.True(Proc.WaitUntil(() => procs.All(p => !Proc.IsAlive(p))), "processes of a deleted paused container survive");
        Assert.Empty(DirsNamed(id));
    }

    /// <summary>
    /// `state` reads the freezer where cgroups are normally mounted; where that place holds no
    /// cgroup filesystem (here a mount namespace of the caller's with /sys/fs/cgroup unmounted,
    /// as under `ip netns exec`) it finds the hierarchies another way and still sees "paused".
    /// </summary>
    [CgroupV1Fact]
    public void State_SeesPaused_AlsoWhereCgroupsAreNotAtTheUsualPlace()
    {
        using var b = Bundle.Create("sleep", "1000");
        var id = _rt.NewId("cgfrzns");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        _rt.Run("pause", id).Ok();
        Assert.Equal("paused", _rt.Status(id));
        var hidden = new RunOptions
        {
            Wrapper = ["unshare", "-m", "--propagation", "private", "sh", "-c", "umount -l /sys/fs/cgroup && exec \"$@\"", "x"],
        };
        var r = _rt.Run(hidden, "state", id).Ok();
        Assert.Contains("\"status\": \"paused\"", r.Stdout);
        _rt.Run("resume", id).Ok();
        Assert.Contains("\"status\": \"running\"", _rt.Run(hidden, "state", id).Ok().Stdout);
        // The same holds for the verbs that need every hierarchy (ps reads cgroup.procs, delete
        // removes the cgroups): found there too, nothing of the container's left.
        var pid = _rt.Pid(id);
        Assert.Contains(pid.ToString(), _rt.Run(hidden, "ps", "--format", "json", id).Ok().Stdout);
        _rt.Run(hidden, "delete", "--force", id).Ok();
        Assert.Null(_rt.Status(id));
        Assert.Empty(DirsNamed(id));
    }
}
