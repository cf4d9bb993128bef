using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>
/// The test process makes itself a child subreaper (as conmon and containerd's shim are), so
/// these tests must not overlap with others: orphans of parallel tests would land here.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SubreaperCollection
{
    public const string Name = "subreaper (not parallel)";
}

/// <summary>
/// After create, init must be a direct child of whoever ran the runtime (once the runtime has
/// exited, of the nearest subreaper: here the test process), with no intermediate process
/// left as its parent, and the pid file names the process whose wait status is the workload's.
/// Run against runc too, which shows the test measures the contract and not an artefact.
/// </summary>
[Trait("Category", "Integration")]
[Collection(SubreaperCollection.Name)]
public sealed class ParentageTests
{
    public static TheoryData<string> Runtimes => new() { "runcs", "runc" };

    private static Runcs Make(string which) => new(which == "runc" ? Paths.RuncBin : Paths.RuncsBin);

    private static HashSet<int> ChildrenOf(int ppid)
    {
        var set = new HashSet<int>();
        foreach (var d in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(d), out var pid) && Proc.PPid(pid) == ppid)
                set.Add(pid);
        return set;
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public void AfterCreate_InitIsChildOfCaller_AndItsWaitStatusIsTheWorkloads(string which)
    {
        using var rt = Make(which);
        using var b = Bundle.Create("sh", "-c", "exit 42");
        var id = rt.NewId("parent");
        var pidFile = Path.Combine(b.Dir, "pid");
        var me = Environment.ProcessId;
        var before = ChildrenOf(me);
        int pid = 0;
        Assert.Equal(0, Native.prctl(Native.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
        try
        {
            var create = rt.Run("create", "--bundle", b.Dir, "--pid-file", pidFile, id).Ok();
            // create has exited and been reaped; its pid is not a live process of ours any more.
            Assert.False(Proc.IsAlive(create.Pid) && Proc.PPid(create.Pid) == me);
            pid = int.Parse(File.ReadAllText(pidFile));
            Assert.Equal(me, Proc.PPid(pid));
            // No intermediate process was left behind as our child.
            var extra = ChildrenOf(me);
            extra.ExceptWith(before);
            Assert.Equal([pid], extra.Order().ToArray());

            rt.Run("start", id).Ok();
            (bool Reaped, int Status) w = default;
            Assert.True(Proc.WaitUntil(() => (w = Native.TryWait(pid)).Reaped), "init did not exit");
            // WIFEXITED && WEXITSTATUS == 42
            Assert.Equal(0, w.Status & 0x7f);
            Assert.Equal(42, (w.Status >> 8) & 0xff);
            Assert.Equal("stopped", rt.Status(id));
            rt.Run("delete", id).Ok();
        }
        finally
        {
            Native.prctl(Native.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
            rt.Run("delete", "--force", id);
            if (pid > 0) Proc.WaitUntil(() => Native.TryWait(pid).Reaped || !File.Exists($"/proc/{pid}/status"), TimeSpan.FromSeconds(5));
        }
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public void KilledBySignal_WaitStatusShowsTheSignal(string which)
    {
        using var rt = Make(which);
        using var b = Bundle.Create("sleep", "1000");
        var id = rt.NewId("sigwait");
        var pidFile = Path.Combine(b.Dir, "pid");
        int pid = 0;
        Assert.Equal(0, Native.prctl(Native.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
        try
        {
            rt.Run("create", "--bundle", b.Dir, "--pid-file", pidFile, id).Ok();
            pid = int.Parse(File.ReadAllText(pidFile));
            Assert.Equal(Environment.ProcessId, Proc.PPid(pid));
            rt.Run("start", id).Ok();
            rt.Run("kill", id, "9").Ok();
            (bool Reaped, int Status) w = default;
            Assert.True(Proc.WaitUntil(() => (w = Native.TryWait(pid)).Reaped), "init did not exit");
            Assert.Equal(9, w.Status & 0x7f);
            rt.Run("delete", id).Ok();
        }
        finally
        {
            Native.prctl(Native.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
            rt.Run("delete", "--force", id);
            if (pid > 0) Proc.WaitUntil(() => Native.TryWait(pid).Reaped || !File.Exists($"/proc/{pid}/status"), TimeSpan.FromSeconds(5));
        }
    }
}
