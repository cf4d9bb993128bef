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
            Assert.Equal(0UL, s.Pids.Limit); // "max": runc says 0, no limit
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

    // ---- blkio, cpuset, the JSON shape of runc's types/events.go ----

    [Fact]
    public void BlkioLines_OpAndPlainForms_TotalSkipped()
    {
        var e = CgroupStats.ParseBlkio("254:0 Read 8192\n254:0 Write 0\n8:16 3\nTotal 8192\ngarbage\n");
        Assert.Equal(3, e.Count);
        Assert.Equal((254UL, 0UL, "Read", 8192UL), (e[0].Major, e[0].Minor, e[0].Op, e[0].Value));
        Assert.Equal((254UL, 0UL, "Write", 0UL), (e[1].Major, e[1].Minor, e[1].Op, e[1].Value));
        Assert.Equal((8UL, 16UL, (string?)null, 3UL), (e[2].Major, e[2].Minor, e[2].Op, e[2].Value));
    }

    [Fact]
    public void V1Blkio_EmptyBfqFiles_FallBackToThrottleRecursive_AsRunc()
    {
        var files = new Dictionary<string, string>
        {
            ["blkio.bfq.io_serviced_recursive"] = "",   // bfq files exist but vda does not use bfq
            ["blkio.bfq.io_service_bytes_recursive"] = "",
            ["blkio.throttle.io_serviced_recursive"] = "254:0 Read 2\n254:0 Write 1\nTotal 3\n",
            ["blkio.throttle.io_service_bytes_recursive"] = "254:0 Read 8192\n254:0 Write 4096\nTotal 12288\n",
            ["blkio.throttle.io_serviced"] = "254:0 Read 99\n",
        };
        var b = CgroupStats.V1Blkio(f => files.GetValueOrDefault(f));
        Assert.Equal(new ulong[] { 2, 1 }, b.IoServicedRecursive!.Select(x => x.Value));
        Assert.Equal(new ulong[] { 8192, 4096 }, b.IoServiceBytesRecursive!.Select(x => x.Value));
        Assert.Null(b.SectorsRecursive);
    }

    [Fact]
    public void V1Blkio_CfqGroupWinsWhenPresent_StopsAtTheFirstMissingFile()
    {
        var files = new Dictionary<string, string>
        {
            ["blkio.sectors_recursive"] = "8:0 10\n",
            ["blkio.io_service_time_recursive"] = "8:0 Read 5\n",
            // io_wait_time_recursive missing: runc stops here, with what it has
            ["blkio.throttle.io_serviced_recursive"] = "8:0 Read 1\n",
        };
        var b = CgroupStats.V1Blkio(f => files.GetValueOrDefault(f));
        Assert.Equal(10UL, Assert.Single(b.SectorsRecursive!).Value);
        Assert.Equal(5UL, Assert.Single(b.IoServiceTimeRecursive!).Value);
        Assert.Null(b.IoServicedRecursive);
    }

    [Fact]
    public void V1Blkio_NothingReadable_IsEmpty() => Assert.Null(CgroupStats.V1Blkio(_ => null).IoServicedRecursive);

    [Fact]
    public void V2IoStat_ReadWriteBytesAndIos()
    {
        var b = CgroupStats.V2Io("254:0 rbytes=8192 wbytes=4096 rios=2 wios=1 dbytes=0 dios=0\n8:16 rbytes=1 wbytes=0 rios=1 wios=0\n");
        Assert.Equal(new[] { ("Read", 8192UL), ("Write", 4096UL), ("Read", 1UL), ("Write", 0UL) },
            b.IoServiceBytesRecursive!.Select(x => (x.Op!, x.Value)));
        Assert.Equal(new[] { (254UL, 0UL, "Read", 2UL), (254UL, 0UL, "Write", 1UL), (8UL, 16UL, "Read", 1UL), (8UL, 16UL, "Write", 0UL) },
            b.IoServicedRecursive!.Select(x => (x.Major, x.Minor, x.Op!, x.Value)));
    }

    [Theory]
    [InlineData("0-1\n", new ushort[] { 0, 1 })]
    [InlineData("0,2-4,7", new ushort[] { 0, 2, 3, 4, 7 })]
    [InlineData("3", new ushort[] { 3 })]
    public void KernelLists(string text, ushort[] expected) => Assert.Equal(expected, CgroupStats.ParseList(text));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("4-2")]
    [InlineData("a")]
    public void KernelListsEmptyOrMalformed(string? text) => Assert.Null(CgroupStats.ParseList(text));

    [Fact]
    public void V1CpusetFlags()
    {
        var files = new Dictionary<string, string> { ["cpuset.cpus"] = "0-1\n", ["cpuset.mems"] = "0\n", ["cpuset.sched_load_balance"] = "1\n", ["cpuset.sched_relax_domain_level"] = "-1\n" };
        var c = CgroupStats.V1Cpuset(f => files.GetValueOrDefault(f));
        Assert.Equal(new ushort[] { 0, 1 }, c.Cpus);
        Assert.Equal(new ushort[] { 0 }, c.Mems);
        Assert.Equal(1UL, c.SchedLoadBalance);
        Assert.Equal(-1L, c.SchedRelaxDomainLevel);
    }

    /// <summary>Key names and omissions as runc 1.1.5 prints them on this kind of host (types/events.go).</summary>
    [Fact]
    public void StatsJsonHasRuncsKeys()
    {
        var data = new StatsData
        {
            Cpu = new CpuStats { Throttling = new Throttling { Periods = 15, ThrottledPeriods = 15, ThrottledTime = 1313495708 } },
            Blkio = CgroupStats.V1Blkio(f => f == "blkio.throttle.io_serviced" ? "254:0 Read 2\n254:0 Write 0\n" : f == "blkio.throttle.io_service_bytes" ? "254:0 Read 8192\n" : null),
            Cpuset = CgroupStats.V1Cpuset(f => f == "cpuset.cpus" ? "0-1" : null),
        };
        var json = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(
            new Event { Type = "stats", Id = "x", Data = data }, Runcs.RuntimeJson.Default.Event))!;
        var d = json["data"]!;
        Assert.Equal("""{"periods":15,"throttledPeriods":15,"throttledTime":1313495708}""", d["cpu"]!["throttling"]!.ToJsonString());
        Assert.Equal("""{"ioServiceBytesRecursive":[{"major":254,"op":"Read","value":8192}],"ioServicedRecursive":[{"major":254,"op":"Read","value":2},{"major":254,"op":"Write"}]}""",
            d["blkio"]!.ToJsonString());
        Assert.Equal("[0,1]", d["cpuset"]!["cpus"]!.ToJsonString());
        Assert.Equal(["blkio", "cpu", "cpuset", "hugetlb", "intel_rdt", "memory", "network_interfaces", "pids"], d.AsObject().Select(kv => kv.Key).Order());
        Assert.Null(d["network_interfaces"]);
        Assert.True(d.AsObject().ContainsKey("network_interfaces"));
    }
}
