using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Cgroups.CgroupKit;

namespace OciRuntime.Tests.Integration.Cgroups;

/// <summary>
/// <c>kill --all</c> signals every process in the container's cgroup (plain <c>kill</c> only init);
/// <c>ps</c>'s table lists exactly the cgroup's processes. (<c>ps --format json</c> and
/// <c>kill --all</c> of a stopped container are in Lifecycle.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class PsKillAllTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public PsKillAllTests(Runcs rt) => _rt = rt;

    // `sh /catch NAME` records every USR1 it gets in /tmp/got-NAME and keeps running.
    private const string Catcher = "trap 'echo $1 >> /tmp/got-$1' USR1; while :; do sleep 0.05; done\n";

    [CgroupV1Fact]
    public void KillAll_SignalsEveryProcessInTheCgroup_KillOnlyInit()
    {
        using var b = Bundle.Create("sh", "-c", "sh /catch c1 & sh /catch c2 & exec sh /catch init").Writable();
        File.WriteAllText(b.RootfsPath("catch"), Catcher);
        var id = _rt.NewId("cgkill");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        _rt.Run("exec", "-d", id, "sh", "/catch", "ex").Ok();
        var pid = _rt.Pid(id);
        var dir = Dir(pid, "pids");
        Assert.True(Proc.WaitUntil(() => Procs(dir).Count >= 4));
        Thread.Sleep(200); // the traps are set up
        bool Got(string n) => File.Exists(b.RootfsPath($"tmp/got-{n}"));

        _rt.Run("kill", id, "USR1").Ok();
        Assert.True(Proc.WaitUntil(() => Got("init")), "init did not get USR1");
        Thread.Sleep(300);
        Assert.False(Got("c1") || Got("c2") || Got("ex"), "plain kill reached more than init");

        _rt.Run("kill", "--all", id, "USR1").Ok();
        Assert.True(Proc.WaitUntil(() => Got("c1") && Got("c2") && Got("ex")),
            $"kill --all missed: c1={Got("c1")} c2={Got("c2")} ex={Got("ex")}");
        // init's shell runs its trap once its current `sleep 0.05` returns: wait for the second line.
        int InitLines() => File.ReadAllLines(b.RootfsPath("tmp/got-init")).Length;
        Assert.True(Proc.WaitUntil(() => InitLines() >= 2), $"init got USR1 {InitLines()} times, expected 2");
        Thread.Sleep(200);
        Assert.Equal(2, InitLines());
        _rt.Run("delete", "--force", id).Ok();
    }

    /// <summary>Without a PID namespace processes outlive init; kill --all 9 still ends every one of them.</summary>
    [CgroupV1Fact]
    public void KillAll_WithoutPidNamespace_EndsEveryProcess()
    {
        using var b = Bundle.Create("sh", "-c", "sleep 1000 & sleep 1000 & (sleep 1000 &) ; exec sleep 1000").WithoutNamespace("pid");
        var id = _rt.NewId("cgkilln");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var dir = Dir(_rt.Pid(id), "pids");
        Assert.True(Proc.WaitUntil(() => Procs(dir).Count == 4), "procs: " + string.Join(",", Procs(dir)));
        var procs = Procs(dir);

        _rt.Run("kill", "--all", id, "9").Ok();
        Assert.True(Proc.WaitUntil(() => procs.All(p => !Proc.IsAlive(p))), "survivors: " + string.Join(",", procs.Where(Proc.IsAlive)));
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"));
        _rt.Run("delete", id).Ok();
        Assert.Empty(DirsNamed(id));
    }

    [CgroupV1Fact]
    public void Ps_Table_ListsExactlyTheCgroupsProcesses_ExtraArgsGoToPs()
    {
        using var b = Bundle.Create("sh", "-c", "sleep 1000 & sleep 1001 & exec sleep 1002");
        var id = _rt.NewId("cgps");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var dir = Dir(_rt.Pid(id), "pids");
        Assert.True(Proc.WaitUntil(() => Procs(dir).Count == 3));

        var table = _rt.Run("ps", id).Ok().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var col = Array.IndexOf(header, "PID");
        Assert.True(col >= 0, "no PID column: " + table[0]);
        Assert.Equal(Procs(dir).Order(), table.Skip(1).Select(l => int.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[col])).Order());

        var custom = _rt.Run("ps", id, "-o", "pid,args").Ok().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["PID", "COMMAND"], custom[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["sleep 1000", "sleep 1001", "sleep 1002"], custom.Skip(1).Select(l => l.Trim().Split(' ', 2)[1]).Order());
        _rt.Run("delete", "--force", id).Ok();
    }
}
