using Runcs.Cgroups;

namespace OciRuntime.Tests.Unit.Runtime;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CgroupStatsTests
{
    [Theory]
    [InlineData("123\n", 123UL)]
    [InlineData("max\n", ulong.MaxValue)]
    [InlineData("", 0UL)]
    [InlineData(null, 0UL)]
    [InlineData("junk", 0UL)]
    [InlineData("-1", 0UL)]
    public void Numbers(string? text, ulong value) => Assert.Equal(value, CgroupStats.U(text));

    [Fact]
    public void PerCpuList() => Assert.Equal(new ulong[] { 10, 20, 30 }, CgroupStats.Us("10 20 30 \n"));

    [Fact]
    public void KeyValueFiles()
    {
        var kv = CgroupStats.KeyValues("oom_kill_disable 0\nunder_oom 0\noom_kill 3\nbad line here\n");
        Assert.Equal(3UL, kv["oom_kill"]);
        Assert.Equal(0UL, kv["under_oom"]);
        Assert.False(kv.ContainsKey("bad"));
    }

    [Fact]
    public void V2MemoryEvents()
    {
        var kv = CgroupStats.KeyValues("low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\noom_group_kill 0\n");
        Assert.Equal(1UL, kv["oom_kill"]);
        Assert.Equal(12UL, kv["max"]);
    }

    [Fact]
    public void StatsOfAFakeV1Cgroup()
    {
        var dir = Directory.CreateTempSubdirectory("runcs-stats-").FullName;
        try
        {
            var mem = Directory.CreateDirectory(Path.Combine(dir, "memory")).FullName;
            var pids = Directory.CreateDirectory(Path.Combine(dir, "pids")).FullName;
            var acct = Directory.CreateDirectory(Path.Combine(dir, "cpu,cpuacct")).FullName;
            File.WriteAllText(Path.Combine(mem, "memory.usage_in_bytes"), "4096\n");
            File.WriteAllText(Path.Combine(mem, "memory.limit_in_bytes"), "1048576\n");
            File.WriteAllText(Path.Combine(mem, "memory.max_usage_in_bytes"), "8192\n");
            File.WriteAllText(Path.Combine(mem, "memory.failcnt"), "2\n");
            File.WriteAllText(Path.Combine(mem, "memory.stat"), "cache 100\nrss 200\n");
            File.WriteAllText(Path.Combine(mem, "memory.oom_control"), "oom_kill_disable 0\noom_kill 5\n");
            File.WriteAllText(Path.Combine(pids, "pids.current"), "3\n");
            File.WriteAllText(Path.Combine(pids, "pids.max"), "max\n");
            File.WriteAllText(Path.Combine(acct, "cpuacct.usage"), "999\n");
            File.WriteAllText(Path.Combine(acct, "cpuacct.usage_percpu"), "500 499\n");
            File.WriteAllText(Path.Combine(acct, "cpuacct.stat"), "user 2\nsystem 3\n");
            File.WriteAllText(Path.Combine(acct, "cpu.stat"), "nr_periods 7\nnr_throttled 1\nthrottled_time 42\n");
            var cg = new CgroupManager(new Dictionary<string, string> { ["memory"] = mem, ["pids"] = pids, ["cpu,cpuacct"] = acct });
            var s = CgroupStats.Read(cg);
            Assert.Equal(4096UL, s.Memory.Usage.Usage);
            Assert.Equal(1048576UL, s.Memory.Usage.Limit);
            Assert.Equal(8192UL, s.Memory.Usage.Max);
            Assert.Equal(2UL, s.Memory.Usage.Failcnt);
            Assert.Equal(100UL, s.Memory.Cache);
            Assert.Equal(3UL, s.Pids.Current);
            Assert.Equal(ulong.MaxValue, s.Pids.Limit);
            Assert.Equal(999UL, s.Cpu.Usage.Total);
            Assert.Equal(new ulong[] { 500, 499 }, s.Cpu.Usage.Percpu);
            Assert.Equal(20_000_000UL, s.Cpu.Usage.User);
            Assert.Equal(30_000_000UL, s.Cpu.Usage.Kernel);
            Assert.Equal(7UL, s.Cpu.Throttling.Periods);
            Assert.Equal(5UL, CgroupStats.OomKills(cg));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void StatsOfAFakeV2Cgroup()
    {
        var dir = Directory.CreateTempSubdirectory("runcs-stats2-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "cpu.stat"), "usage_usec 10\nuser_usec 6\nsystem_usec 4\nnr_periods 0\n");
            File.WriteAllText(Path.Combine(dir, "memory.current"), "2048\n");
            File.WriteAllText(Path.Combine(dir, "memory.max"), "max\n");
            File.WriteAllText(Path.Combine(dir, "memory.stat"), "file 64\nanon 128\n");
            File.WriteAllText(Path.Combine(dir, "memory.events"), "oom 1\noom_kill 1\n");
            File.WriteAllText(Path.Combine(dir, "pids.current"), "1\n");
            File.WriteAllText(Path.Combine(dir, "pids.max"), "10\n");
            var cg = new CgroupManager(new Dictionary<string, string> { ["v2"] = dir });
            var s = CgroupStats.Read(cg);
            Assert.Equal(10_000UL, s.Cpu.Usage.Total);
            Assert.Equal(6_000UL, s.Cpu.Usage.User);
            Assert.Equal(2048UL, s.Memory.Usage.Usage);
            Assert.Equal(ulong.MaxValue, s.Memory.Usage.Limit);
            Assert.Equal(64UL, s.Memory.Cache);
            Assert.Equal(10UL, s.Pids.Limit);
            Assert.Equal(1UL, CgroupStats.OomKills(cg));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
