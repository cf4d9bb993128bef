using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using Xunit.Abstractions;
using static OciRuntime.Tests.Integration.Cgroups.CgroupKit;

namespace OciRuntime.Tests.Integration.Cgroups;

/// <summary>
/// linux.resources on a cgroup v1 (hybrid) host: every field this machine's cgroups can take is
/// written and read back from the host's cgroup files of init (and memory, cpu, pids from inside
/// the container); every value it cannot take is a one-line error naming the field and the file,
/// with nothing left behind.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ResourceTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;
    private readonly ITestOutputHelper _out;

    public ResourceTests(Runcs rt, ITestOutputHelper output)
    {
        _rt = rt;
        _out = output;
    }

    /// <summary>One expected cgroup file content after create.</summary>
    private sealed record Expect(string Controller, string File, Func<string, bool> Ok, string Want);

    private static Expect Is(string ctrl, string file, string value) => new(ctrl, file, v => v == value, value);

    [CgroupV1Fact]
    public void EveryResource_IsInTheHostFilesAtCreate_AndSeenInside()
    {
        var disk = RootDisk();
        var (maj, min) = (long.Parse(disk.Split(':')[0]), long.Parse(disk.Split(':')[1]));
        var expect = new List<Expect>();

        // memory
        var memory = new JsonObject { ["limit"] = 67108864, ["reservation"] = 33554432, ["swappiness"] = 30, ["disableOOMKiller"] = true };
        expect.Add(Is("memory", "memory.limit_in_bytes", "67108864"));
        expect.Add(Is("memory", "memory.soft_limit_in_bytes", "33554432"));
        expect.Add(Is("memory", "memory.swappiness", "30"));
        expect.Add(new("memory", "memory.oom_control", v => v.Split('\n').Contains("oom_kill_disable 1"), "oom_kill_disable 1"));
        // memsw exists only with swap accounting; this machine has it (and no swap device).
        Assert.True(ChildHas("memory", "memory.memsw.limit_in_bytes") || !File.Exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"));
        if (ChildHas("memory", "memory.memsw.limit_in_bytes"))
        {
            memory["swap"] = 100663296;
            expect.Add(Is("memory", "memory.memsw.limit_in_bytes", "100663296"));
        }
        if (ChildHas("memory", "memory.kmem.tcp.limit_in_bytes"))
        {
            memory["kernelTCP"] = 16777216;
            expect.Add(Is("memory", "memory.kmem.tcp.limit_in_bytes", "16777216"));
        }
        // Kernel memory limits are gone from the kernel (writes are ignored since 6.x; runc ignores the field too):
        // accepted, and create must not fail on it.
        memory["kernel"] = 33554432;

        // cpu, cpuset
        var firstCpu = File.ReadAllText(Path.Combine(OwnDir("cpuset"), "cpuset.effective_cpus")).Trim().Split(',', '-')[0];
        var firstMem = File.ReadAllText(Path.Combine(OwnDir("cpuset"), "cpuset.effective_mems")).Trim().Split(',', '-')[0];
        var cpu = new JsonObject { ["shares"] = 512, ["quota"] = 50000, ["period"] = 100000, ["cpus"] = firstCpu, ["mems"] = firstMem };
        expect.Add(Is("cpu", "cpu.shares", "512"));
        expect.Add(Is("cpu", "cpu.cfs_quota_us", "50000"));
        expect.Add(Is("cpu", "cpu.cfs_period_us", "100000"));
        expect.Add(Is("cpuset", "cpuset.cpus", firstCpu));
        expect.Add(Is("cpuset", "cpuset.mems", firstMem));
        if (ChildHas("cpu", "cpu.rt_runtime_us"))
        {
            cpu["realtimeRuntime"] = 10000;
            cpu["realtimePeriod"] = 500000;
            expect.Add(Is("cpu", "cpu.rt_runtime_us", "10000"));
            expect.Add(Is("cpu", "cpu.rt_period_us", "500000"));
        }
        // cpu.idle: see UpdateTests (idle 1 makes the kernel show the idle weight, 3, in cpu.shares).
        if (ChildHas("cpu", "cpu.cfs_burst_us"))
        {
            cpu["burst"] = 20000;
            expect.Add(Is("cpu", "cpu.cfs_burst_us", "20000"));
        }

        // pids
        expect.Add(Is("pids", "pids.max", "77"));

        // blkio: weights only where the host's blkio has the files (none here: no CFQ/BFQ weight files).
        var blkio = new JsonObject
        {
            ["throttleReadBpsDevice"] = new JsonArray(new JsonObject { ["major"] = maj, ["minor"] = min, ["rate"] = 1048576 }),
            ["throttleWriteBpsDevice"] = new JsonArray(new JsonObject { ["major"] = maj, ["minor"] = min, ["rate"] = 2097152 }),
            ["throttleReadIOPSDevice"] = new JsonArray(new JsonObject { ["major"] = maj, ["minor"] = min, ["rate"] = 300 }),
            ["throttleWriteIOPSDevice"] = new JsonArray(new JsonObject { ["major"] = maj, ["minor"] = min, ["rate"] = 400 }),
        };
        expect.Add(Is("blkio", "blkio.throttle.read_bps_device", $"{disk} 1048576"));
        expect.Add(Is("blkio", "blkio.throttle.write_bps_device", $"{disk} 2097152"));
        expect.Add(Is("blkio", "blkio.throttle.read_iops_device", $"{disk} 300"));
        expect.Add(Is("blkio", "blkio.throttle.write_iops_device", $"{disk} 400"));
        // Weights: blkio.weight (CFQ) or, as runc, the BFQ files where the host's blkio has those.
        var weightFile = ChildHas("blkio", "blkio.weight") ? "blkio.weight" : ChildHas("blkio", "blkio.bfq.weight") ? "blkio.bfq.weight" : null;
        if (weightFile != null)
        {
            blkio["weight"] = 500;
            expect.Add(Is("blkio", weightFile, "500"));
        }
        if (ChildHas("blkio", "blkio.leaf_weight"))
        {
            blkio["leafWeight"] = 300;
            expect.Add(Is("blkio", "blkio.leaf_weight", "300"));
        }
        // A per-device weight needs the disk to use that scheduler (BFQ refuses others: EOPNOTSUPP, see the failure cases).
        var deviceFile = ChildHas("blkio", "blkio.weight_device") ? "blkio.weight_device"
            : ChildHas("blkio", "blkio.bfq.weight_device") && DiskScheduler(disk) == "bfq" ? "blkio.bfq.weight_device" : null;
        if (deviceFile != null)
        {
            blkio["weightDevice"] = new JsonArray(new JsonObject { ["major"] = maj, ["minor"] = min, ["weight"] = 200 });
            expect.Add(new("blkio", deviceFile, v => v.Split('\n').Contains($"{disk} 200"), $"{disk} 200"));
        }

        var resources = new JsonObject { ["memory"] = memory, ["cpu"] = cpu, ["pids"] = new JsonObject { ["limit"] = 77 }, ["blockIO"] = blkio };

        // hugetlb and network: on hosts whose cgroups have them (this one has neither: see the failure cases).
        if (HasController("hugetlb"))
        {
            var limits = new JsonArray();
            foreach (var d in Directory.GetDirectories("/sys/kernel/mm/hugepages"))
            {
                var kb = long.Parse(Path.GetFileName(d)["hugepages-".Length..^"kB".Length]);
                var size = kb >= 1048576 ? $"{kb / 1048576}GB" : kb >= 1024 ? $"{kb / 1024}MB" : $"{kb}KB";
                if (!ChildHas("hugetlb", $"hugetlb.{size}.limit_in_bytes")) continue;
                limits.Add(new JsonObject { ["pageSize"] = size, ["limit"] = 2 * kb * 1024 });
                expect.Add(Is("hugetlb", $"hugetlb.{size}.limit_in_bytes", (2 * kb * 1024).ToString()));
            }
            resources["hugepageLimits"] = limits;
        }
        var network = new JsonObject();
        if (HasController("net_cls"))
        {
            network["classID"] = 0x100001;
            expect.Add(Is("net_cls", "net_cls.classid", "1048577"));
        }
        if (HasController("net_prio"))
        {
            network["priorities"] = new JsonArray(new JsonObject { ["name"] = "lo", ["priority"] = 5 });
            expect.Add(new("net_prio", "net_prio.ifpriomap", v => v.Split('\n').Contains("lo 5"), "lo 5"));
        }
        if (network.Count > 0) resources["network"] = network;

        using var b = Bundle.Create("sleep", "1000").WithResources(resources);
        var id = _rt.NewId("cgres");
        var create = _rt.Run("create", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);

        // At create, before any user code: every value is in init's cgroup, read from the host.
        var wrong = new List<string>();
        foreach (var e in expect)
        {
            var got = Read(pid, e.Controller, e.File);
            _out.WriteLine($"{e.Controller}/{e.File} = {got.Replace('\n', ';')}");
            if (!e.Ok(got)) wrong.Add($"{Dir(pid, e.Controller)}/{e.File}: want {e.Want}, have {got}");
        }
        Assert.True(wrong.Count == 0, "host cgroup files differ:\n" + string.Join('\n', wrong) + "\n" + create);

        // init is in its own cgroup (named after the id) in every hierarchy, the unified one included.
        foreach (var h in Hierarchies)
        {
            var dir = Dir(pid, h.IsV2 ? "v2" : h.Controllers[0]);
            Assert.EndsWith("/" + id, dir);
            Assert.Contains(pid, Procs(dir));
        }

        // The kernel memory limit was not written (and the kernel ignores it anyway).
        if (ChildHas("memory", "memory.kmem.limit_in_bytes"))
            Assert.NotEqual("33554432", Read(pid, "memory", "memory.kmem.limit_in_bytes"));

        // From inside: the container's own cgroup files (the cgroup mount of runc's default spec).
        _rt.Run("start", id).Ok();
        var inside = _rt.Run("exec", id, "cat",
            "/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.soft_limit_in_bytes",
            "/sys/fs/cgroup/cpu/cpu.shares", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu/cpu.cfs_period_us",
            "/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/cpuset/cpuset.cpus").Ok();
        Assert.Equal(["67108864", "33554432", "512", "50000", "100000", "77", firstCpu],
            inside.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        _rt.Run("delete", "--force", id).Ok();
        Assert.Empty(DirsNamed(id));
    }

    /// <summary>A value this host's cgroups cannot take, the field and the file the error must name.</summary>
    public static IEnumerable<object[]> Unacceptable()
    {
        if (!IsV1Host) yield break;
        yield return ["cpus-99", "cpu.cpus", "cpuset.cpus"];
        yield return ["shares-1", "cpu.shares", "minimum allowed cpu-shares is 2"];
        yield return ["shares-300000", "cpu.shares", "maximum allowed cpu-shares is 262144"];
        if (ChildHas("cpu", "cpu.rt_runtime_us")) yield return ["rt-beyond-parent", "cpu.realtimeRuntime", "cpu.rt_runtime_us"];
        if (ChildHas("memory", "memory.memsw.limit_in_bytes")) yield return ["swap-below-limit", "memory.swap", "memory.memsw.limit_in_bytes"];
        yield return ["limit-below-init", "memory.limit", "memory.limit_in_bytes"];
        yield return ["throttle-no-such-disk", "blockIO.throttleReadBpsDevice", "blkio.throttle.read_bps_device"];
        if (!ChildHas("blkio", "blkio.weight") && !ChildHas("blkio", "blkio.bfq.weight")) yield return ["blkio-weight-absent", "blockIO.weight", "blkio.weight"];
        else yield return ["blkio-weight-1001", "blockIO.weight", ChildHas("blkio", "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight"];
        if (!ChildHas("blkio", "blkio.weight_device") && ChildHas("blkio", "blkio.bfq.weight_device") && DiskScheduler(RootDisk()) != "bfq")
            yield return ["bfq-weight-device-not-bfq-disk", "blockIO.weightDevice", "blkio.bfq.weight_device"];
        if (!HasController("hugetlb")) yield return ["hugetlb-absent", "hugepageLimits", "hugetlb"];
        if (!HasController("net_cls")) yield return ["net_cls-absent", "network.classID", "net_cls"];
        if (!HasController("net_prio")) yield return ["net_prio-absent", "network.priorities", "net_prio"];
        yield return ["unified-on-v1", "linux.resources.unified", "v2"];
        yield return ["swappiness-101", "memory.swappiness", "0..100"];
    }

    private static JsonObject Case(string name)
    {
        var disk = RootDisk().Split(':');
        long maj = long.Parse(disk[0]);
        // A minor with no disk behind it.
        long freeMinor = Enumerable.Range(200, 50).First(m => !Directory.Exists($"/sys/dev/block/{maj}:{m}"));
        return name switch
        {
            "cpus-99" => new JsonObject { ["cpu"] = new JsonObject { ["cpus"] = "99" } },
            "shares-1" => new JsonObject { ["cpu"] = new JsonObject { ["shares"] = 1 } },
            "shares-300000" => new JsonObject { ["cpu"] = new JsonObject { ["shares"] = 300000 } },
            "rt-beyond-parent" => new JsonObject
            {
                ["cpu"] = new JsonObject
                {
                    ["realtimePeriod"] = long.Parse(File.ReadAllText(Path.Combine(OwnDir("cpu"), "cpu.rt_period_us")).Trim()),
                    ["realtimeRuntime"] = long.Parse(File.ReadAllText(Path.Combine(OwnDir("cpu"), "cpu.rt_runtime_us")).Trim()) + 10000,
                },
            },
            "swap-below-limit" => new JsonObject { ["memory"] = new JsonObject { ["limit"] = 67108864, ["swap"] = 33554432 } },
            "limit-below-init" => new JsonObject { ["memory"] = new JsonObject { ["limit"] = 1000 } },
            "throttle-no-such-disk" => new JsonObject
            {
                ["blockIO"] = new JsonObject { ["throttleReadBpsDevice"] = new JsonArray(new JsonObject { ["major"] = maj, ["minor"] = freeMinor, ["rate"] = 1000 }) },
            },
            "blkio-weight-absent" => new JsonObject { ["blockIO"] = new JsonObject { ["weight"] = 500 } },
            "blkio-weight-1001" => new JsonObject { ["blockIO"] = new JsonObject { ["weight"] = 1001 } },
            "bfq-weight-device-not-bfq-disk" => new JsonObject
            {
                ["blockIO"] = new JsonObject { ["weightDevice"] = new JsonArray(new JsonObject { ["major"] = maj, ["minor"] = long.Parse(disk[1]), ["weight"] = 200 }) },
            },
            "hugetlb-absent" => new JsonObject { ["hugepageLimits"] = new JsonArray(new JsonObject { ["pageSize"] = "2MB", ["limit"] = 4194304 }) },
            "net_cls-absent" => new JsonObject { ["network"] = new JsonObject { ["classID"] = 1048577 } },
            "net_prio-absent" => new JsonObject { ["network"] = new JsonObject { ["priorities"] = new JsonArray(new JsonObject { ["name"] = "lo", ["priority"] = 5 }) } },
            "unified-on-v1" => new JsonObject { ["unified"] = new JsonObject { ["memory.high"] = "100000000" } },
            "swappiness-101" => new JsonObject { ["memory"] = new JsonObject { ["swappiness"] = 101 } },
            _ => throw new ArgumentException(name),
        };
    }

    [CgroupV1Theory]
    [MemberData(nameof(Unacceptable))]
    public void ValueTheHostCannotTake_OneLineNamingFieldAndFile_NothingLeft(string name, string field, string file)
    {
        using var b = Bundle.Create("sleep", "1000").WithResources(Case(name));
        var id = _rt.NewId("cgbad");

        var r = _rt.Run("create", "--bundle", b.Dir, id);

        var line = r.FailsWithOneLine(field);
        Assert.True(line.Contains(file, StringComparison.Ordinal), $"the error should name {file}: {line}");
        Assert.False(Directory.Exists(Path.Combine(_rt.Root, id)), "state dir left behind: " + r);
        Assert.Null(_rt.Status(id));
        Assert.Empty(DirsNamed(id));
        Assert.Empty(ProcessesInCgroupNamed(id));
    }
}
