using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Cgroups.CgroupKit;

namespace OciRuntime.Tests.Integration.Cgroups;

/// <summary><c>update</c> changes the limits of a running container: runc's flags, <c>-r FILE</c> and <c>-r -</c>, read back from the host.</summary>
[Trait("Category", "Integration")]
public sealed class UpdateTests : IClassFixture<Runcs>
{
    private const long M = 1024 * 1024;
    private readonly Runcs _rt;

    public UpdateTests(Runcs rt) => _rt = rt;

    [CgroupV1Fact]
    public void Update_FlagsAndResourcesJson_ChangeLiveLimits()
    {
        bool memsw = ChildHas("memory", "memory.memsw.limit_in_bytes");
        var memory = new JsonObject { ["limit"] = 64 * M, ["reservation"] = 16 * M };
        if (memsw) memory["swap"] = 128 * M;
        using var b = Bundle.Create("sleep", "1000").WithResources(new JsonObject
        {
            ["memory"] = memory,
            ["cpu"] = new JsonObject { ["shares"] = 512, ["quota"] = 50000, ["period"] = 100000 },
            ["pids"] = new JsonObject { ["limit"] = 100 },
        });
        var id = _rt.NewId("cgupd");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);
        string Host(string ctrl, string file) => Read(pid, ctrl, file);
        Assert.Equal((64 * M).ToString(), Host("memory", "memory.limit_in_bytes"));

        // runc's flags, every limit at once.
        var cpu0 = File.ReadAllText(Path.Combine(OwnDir("cpuset"), "cpuset.effective_cpus")).Trim().Split(',', '-')[0];
        var flags = new List<string> { "update", "--memory", "96M", "--memory-reservation", "32M", "--cpu-share", "256",
            "--cpu-quota", "20000", "--cpu-period", "50000", "--pids-limit", "33", "--cpuset-cpus", cpu0 };
        if (memsw) flags.AddRange(["--memory-swap", "192M"]);
        _rt.Run([.. flags, id]).Ok();
        Assert.Equal((96 * M).ToString(), Host("memory", "memory.limit_in_bytes"));
        Assert.Equal((32 * M).ToString(), Host("memory", "memory.soft_limit_in_bytes"));
        if (memsw) Assert.Equal((192 * M).ToString(), Host("memory", "memory.memsw.limit_in_bytes"));
        Assert.Equal("256", Host("cpu", "cpu.shares"));
        Assert.Equal("20000", Host("cpu", "cpu.cfs_quota_us"));
        Assert.Equal("50000", Host("cpu", "cpu.cfs_period_us"));
        Assert.Equal("33", Host("pids", "pids.max"));
        Assert.Equal(cpu0, Host("cpuset", "cpuset.cpus"));
        // ... and from inside the container.
        var inside = _rt.Run("exec", id, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/pids/pids.max").Ok();
        Assert.Equal([(96 * M).ToString(), "20000", "33"], inside.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        if (memsw)
        {
            // Raising the limit above the old memory+swap needs memsw first; lowering both needs the limit first.
            _rt.Run("update", "--memory", "256M", "--memory-swap", "512M", id).Ok();
            Assert.Equal((256 * M).ToString(), Host("memory", "memory.limit_in_bytes"));
            Assert.Equal((512 * M).ToString(), Host("memory", "memory.memsw.limit_in_bytes"));
            _rt.Run("update", "--memory", "40M", "--memory-swap", "40M", id).Ok();
            Assert.Equal((40 * M).ToString(), Host("memory", "memory.limit_in_bytes"));
            Assert.Equal((40 * M).ToString(), Host("memory", "memory.memsw.limit_in_bytes"));
        }

        // -r FILE: a LinuxResources object.
        var resources = new JsonObject
        {
            ["memory"] = memsw ? new JsonObject { ["limit"] = 48 * M, ["swap"] = 48 * M } : new JsonObject { ["limit"] = 48 * M },
            ["cpu"] = new JsonObject { ["quota"] = 30000, ["period"] = 100000 },
            ["pids"] = new JsonObject { ["limit"] = 44 },
        };
        var file = Path.Combine(b.Dir, "resources.json");
        File.WriteAllText(file, resources.ToJsonString());
        _rt.Run("update", "-r", file, id).Ok();
        Assert.Equal((48 * M).ToString(), Host("memory", "memory.limit_in_bytes"));
        Assert.Equal("30000", Host("cpu", "cpu.cfs_quota_us"));
        Assert.Equal("100000", Host("cpu", "cpu.cfs_period_us"));
        Assert.Equal("44", Host("pids", "pids.max"));

        // -r - (stdin, as containerd sends it): only what it names changes.
        _rt.Run(new RunOptions { Stdin = """{"pids":{"limit":55}}""" }, "update", "--resources", "-", id).Ok();
        Assert.Equal("55", Host("pids", "pids.max"));
        Assert.Equal((48 * M).ToString(), Host("memory", "memory.limit_in_bytes"));
        Assert.Equal("30000", Host("cpu", "cpu.cfs_quota_us"));

        // cpu.idle (kernel 5.15+): an idle cgroup has the idle weight (cpu.shares shows 3) and takes no
        // shares; the kernel resets them when idle goes back to 0, so shares are given again after.
        if (ChildHas("cpu", "cpu.idle"))
        {
            _rt.Run(new RunOptions { Stdin = """{"cpu":{"idle":1}}""" }, "update", "-r", "-", id).Ok();
            Assert.Equal("1", Host("cpu", "cpu.idle"));
            Assert.Equal("3", Host("cpu", "cpu.shares"));
            _rt.Run(new RunOptions { Stdin = """{"cpu":{"idle":0}}""" }, "update", "-r", "-", id).Ok();
            Assert.Equal("0", Host("cpu", "cpu.idle"));
            _rt.Run("update", "--cpu-share", "256", id).Ok();
            Assert.Equal("256", Host("cpu", "cpu.shares"));
        }

        // A limit below what the container uses: the kernel refuses (EBUSY); one line naming it, old limit kept.
        var refused = _rt.Run("update", "--memory", "4096", id);
        var line = refused.FailsWithOneLine("memory.limit_in_bytes");
        Assert.Contains("memory.limit", line);
        Assert.Equal((48 * M).ToString(), Host("memory", "memory.limit_in_bytes"));
        Assert.Equal("running", _rt.Status(id));
        _rt.Run("delete", "--force", id).Ok();
    }
}
