using System.Runtime.Versioning;
using OciRuntime.Spec;
using Runcs.Cgroups;
using Runcs.Native;
using OciSpec = OciRuntime.Spec.Spec;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>
/// linux.resources → cgroup file writes, compared with what runc's cgroup drivers write
/// (opencontainers/cgroups fs/*.go for v1, fs2/*.go for v2, utils.go for the conversions).
/// </summary>
[SupportedOSPlatform("linux")]
public class ResourcePlanTests
{
    private static (string Controller, string File, string Value)[] Triples(IEnumerable<ResourcePlan.Write> w) =>
        w.Select(x => (x.Controller, x.File, x.Value)).ToArray();

    private static ResourcePlan.Write Single(List<ResourcePlan.Write> w, string file) => Assert.Single(w, x => x.File == file);

    private static List<ResourcePlan.Write> V1(LinuxResources r) => ResourcePlan.V1(r);

    // ======================= cgroup v1 =======================

    [Fact]
    public void V1EmptyResourcesWriteNothing()
    {
        Assert.Empty(ResourcePlan.V1(new LinuxResources()));
        Assert.Empty(ResourcePlan.V2(new LinuxResources()));
    }

    [Fact]
    public void V1MemoryEveryFieldInOrder()
    {
        var w = V1(new LinuxResources
        {
            Memory = new LinuxMemory
            {
                Limit = 536870912, Swap = 1073741824, Reservation = 268435456, KernelTCP = 16777216,
                Swappiness = 60, DisableOOMKiller = true, UseHierarchy = true,
            },
        });
        Assert.Equal(new[]
        {
            ("memory", "memory.limit_in_bytes", "536870912"),
            ("memory", "memory.memsw.limit_in_bytes", "1073741824"),
            ("memory", "memory.soft_limit_in_bytes", "268435456"),
            ("memory", "memory.kmem.tcp.limit_in_bytes", "16777216"),
            ("memory", "memory.swappiness", "60"),
            ("memory", "memory.oom_control", "1"),
            ("memory", "memory.use_hierarchy", "1"),
        }, Triples(w));
        Assert.Equal(new[]
        {
            "memory.limit", "memory.swap", "memory.reservation", "memory.kernelTCP", "memory.swappiness",
            "memory.disableOOMKiller", "memory.useHierarchy",
        }, w.Select(x => x.Field));
    }

    [Fact]
    public void V1MemoryUnlimitedIsMinusOne()
    {
        var w = V1(new LinuxResources { Memory = new LinuxMemory { Limit = -1, Swap = -1 } });
        Assert.Equal(new[]
        {
            ("memory", "memory.limit_in_bytes", "-1"),
            ("memory", "memory.memsw.limit_in_bytes", "-1"),
        }, Triples(w));
    }

    [Fact]
    public void V1MemoryFalseFlags()
    {
        var w = V1(new LinuxResources { Memory = new LinuxMemory { DisableOOMKiller = false, UseHierarchy = false } });
        // oom_control is only ever switched on (runc: `if r.OomKillDisable`); use_hierarchy is written either way.
        Assert.Equal(new[] { ("memory", "memory.use_hierarchy", "0") }, Triples(w));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(100UL)]
    public void V1SwappinessInRange(ulong v)
    {
        var w = V1(new LinuxResources { Memory = new LinuxMemory { Swappiness = v } });
        Assert.Equal(v.ToString(), Single(w, "memory.swappiness").Value);
    }

    [Theory]
    [InlineData(101UL)]
    [InlineData(ulong.MaxValue - 1)]
    public void V1SwappinessAbove100IsAnErrorNamingTheField(ulong v)
    {
        var e = Assert.Throws<RuncsException>(() => V1(new LinuxResources { Memory = new LinuxMemory { Swappiness = v } }));
        Assert.Contains("linux.resources.memory.swappiness", e.Message);
        Assert.Contains(v.ToString(), e.Message);
    }

    [Fact]
    public void V1MemoryLimitZeroIsUnset()
    {
        var w = V1(new LinuxResources { Memory = new LinuxMemory { Limit = 0, Swap = 0 } });
        Assert.Empty(w);
    }

    [Fact]
    public void V1CpuEveryFieldInOrder()
    {
        var w = V1(new LinuxResources
        {
            Cpu = new LinuxCPU
            {
                Shares = 1024, Quota = 50000, Period = 100000, Burst = 10000, RealtimePeriod = 1000000,
                RealtimeRuntime = 950000, Idle = 1, Cpus = "0-3", Mems = "0",
            },
        });
        Assert.Equal(new[]
        {
            ("cpu", "cpu.shares", "1024"),
            ("cpu", "cpu.cfs_period_us", "100000"),
            ("cpu", "cpu.cfs_quota_us", "50000"),
            ("cpu", "cpu.cfs_burst_us", "10000"),
            ("cpu", "cpu.rt_period_us", "1000000"),
            ("cpu", "cpu.rt_runtime_us", "950000"),
            ("cpu", "cpu.idle", "1"),
            ("cpuset", "cpuset.cpus", "0-3"),
            ("cpuset", "cpuset.mems", "0"),
        }, Triples(w));
        Assert.Equal(new[]
        {
            "cpu.shares", "cpu.period", "cpu.quota", "cpu.burst", "cpu.realtimePeriod", "cpu.realtimeRuntime", "cpu.idle",
            "cpu.cpus", "cpu.mems",
        }, w.Select(x => x.Field));
    }

    [Fact]
    public void V1CpuPeriodIsWrittenBeforeQuota()
    {
        var w = V1(new LinuxResources { Cpu = new LinuxCPU { Quota = 20000, Period = 50000 } });
        Assert.Equal(new[] { "cpu.cfs_period_us", "cpu.cfs_quota_us" }, w.Select(x => x.File));
    }

    [Fact]
    public void V1CpuUnlimitedQuotaIsMinusOne()
    {
        var w = V1(new LinuxResources { Cpu = new LinuxCPU { Quota = -1 } });
        Assert.Equal(new[] { ("cpu", "cpu.cfs_quota_us", "-1") }, Triples(w));
    }

    [Fact]
    public void V1CpuZerosAndEmptyStringsAreUnset()
    {
        var w = V1(new LinuxResources
        {
            Cpu = new LinuxCPU { Shares = 0, Quota = 0, Period = 0, RealtimePeriod = 0, RealtimeRuntime = 0, Cpus = "", Mems = "" },
        });
        Assert.Empty(w);
    }

    [Fact]
    public void V1CpuRealtimeRuntimeMinusOne()
    {
        var w = V1(new LinuxResources { Cpu = new LinuxCPU { RealtimeRuntime = -1 } });
        Assert.Equal(new[] { ("cpu", "cpu.rt_runtime_us", "-1") }, Triples(w));
    }

    [Theory]
    [InlineData(100L, "100")]
    [InlineData(1L, "1")]
    [InlineData(-1L, "max")]
    [InlineData(-5L, "max")]
    public void V1PidsMax(long limit, string expected)
    {
        var w = V1(new LinuxResources { Pids = new LinuxPids { Limit = limit } });
        Assert.Equal(new[] { ("pids", "pids.max", expected) }, Triples(w));
        Assert.Equal("pids.limit", w[0].Field);
    }

    [Fact]
    public void V1PidsZeroIsUnset()
    {
        // runc 1.1: `if r.PidsLimit != 0`.
        Assert.Empty(V1(new LinuxResources { Pids = new LinuxPids { Limit = 0 } }));
        Assert.Empty(V1(new LinuxResources { Pids = new LinuxPids() }));
    }

    [Fact]
    public void V1BlockIOEveryFieldInOrder()
    {
        var w = V1(new LinuxResources
        {
            BlockIO = new LinuxBlockIO
            {
                Weight = 500, LeafWeight = 300,
                WeightDevice = new()
                {
                    new LinuxWeightDevice { Major = 8, Minor = 0, Weight = 600, LeafWeight = 200 },
                    new LinuxWeightDevice { Major = 8, Minor = 16, Weight = 700 },
                    new LinuxWeightDevice { Major = 8, Minor = 32, LeafWeight = 100 },
                },
                ThrottleReadBpsDevice = new() { new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 1048576 } },
                ThrottleWriteBpsDevice = new() { new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 2097152 } },
                ThrottleReadIOPSDevice = new()
                {
                    new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 100 },
                    new LinuxThrottleDevice { Major = 253, Minor = 1, Rate = 150 },
                },
                ThrottleWriteIOPSDevice = new() { new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 200 } },
            },
        });
        Assert.Equal(new[]
        {
            ("blkio", "blkio.weight", "500"),
            ("blkio", "blkio.leaf_weight", "300"),
            ("blkio", "blkio.weight_device", "8:0 600"),
            ("blkio", "blkio.leaf_weight_device", "8:0 200"),
            ("blkio", "blkio.weight_device", "8:16 700"),
            ("blkio", "blkio.leaf_weight_device", "8:32 100"),
            ("blkio", "blkio.throttle.read_bps_device", "8:0 1048576"),
            ("blkio", "blkio.throttle.write_bps_device", "8:0 2097152"),
            ("blkio", "blkio.throttle.read_iops_device", "8:0 100"),
            ("blkio", "blkio.throttle.read_iops_device", "253:1 150"),
            ("blkio", "blkio.throttle.write_iops_device", "8:0 200"),
        }, Triples(w));
        Assert.Equal(new[]
        {
            "blockIO.weight", "blockIO.leafWeight", "blockIO.weightDevice", "blockIO.weightDevice", "blockIO.weightDevice",
            "blockIO.weightDevice", "blockIO.throttleReadBpsDevice", "blockIO.throttleWriteBpsDevice",
            "blockIO.throttleReadIOPSDevice", "blockIO.throttleReadIOPSDevice", "blockIO.throttleWriteIOPSDevice",
        }, w.Select(x => x.Field));
    }

    [Fact]
    public void V1BlockIOZeroWeightsAreUnset()
    {
        Assert.Empty(V1(new LinuxResources { BlockIO = new LinuxBlockIO { Weight = 0, LeafWeight = 0 } }));
    }

    [Fact]
    public void V1Hugetlb()
    {
        var w = V1(new LinuxResources
        {
            HugepageLimits = new()
            {
                new LinuxHugepageLimit { PageSize = "2MB", Limit = 209715200 },
                new LinuxHugepageLimit { PageSize = "1GB", Limit = 0 },
            },
        });
        Assert.Equal(new[]
        {
            ("hugetlb", "hugetlb.2MB.limit_in_bytes", "209715200"),
            ("hugetlb", "hugetlb.1GB.limit_in_bytes", "0"),
        }, Triples(w));
        Assert.All(w, x => Assert.Equal("hugepageLimits", x.Field));
    }

    [Fact]
    public void V1NetClsAndNetPrio()
    {
        var w = V1(new LinuxResources
        {
            Network = new LinuxNetwork
            {
                ClassID = 0x100001,
                Priorities = new()
                {
                    new LinuxInterfacePriority { Name = "eth0", Priority = 5 },
                    new LinuxInterfacePriority { Name = "lo", Priority = 2 },
                },
            },
        });
        Assert.Equal(new[]
        {
            ("net_cls", "net_cls.classid", "1048577"),
            ("net_prio", "net_prio.ifpriomap", "eth0 5"),
            ("net_prio", "net_prio.ifpriomap", "lo 2"),
        }, Triples(w));
        Assert.Equal(new[] { "network.classID", "network.priorities", "network.priorities" }, w.Select(x => x.Field));
    }

    [Fact]
    public void V1Rdma()
    {
        var w = V1(new LinuxResources
        {
            Rdma = new()
            {
                ["mlx5_1"] = new LinuxRdma { HcaHandles = 3, HcaObjects = 10000 },
                ["mlx4_0"] = new LinuxRdma { HcaObjects = 42 },
                ["none"] = new LinuxRdma(),
            },
        });
        Assert.Equal(new[]
        {
            ("rdma", "rdma.max", "mlx5_1 hca_handle=3 hca_object=10000"),
            ("rdma", "rdma.max", "mlx4_0 hca_object=42"),
        }, Triples(w));
    }

    [Fact]
    public void V1UnifiedIsAnError()
    {
        var e = Assert.Throws<RuncsException>(() => V1(new LinuxResources { Unified = new() { ["memory.high"] = "1G" } }));
        Assert.Contains("linux.resources.unified", e.Message);
        // An empty map asks for nothing.
        Assert.Empty(V1(new LinuxResources { Unified = new() }));
    }

    [Fact]
    public void V1ControllersComeInPlanOrder()
    {
        var w = V1(new LinuxResources
        {
            Devices = new() { new LinuxDeviceCgroup { Allow = false, Access = "rwm" } },
            Memory = new LinuxMemory { Limit = 1 << 20 },
            Cpu = new LinuxCPU { Shares = 512 },
            Pids = new LinuxPids { Limit = 10 },
        });
        Assert.Equal(new[] { "memory", "cpu", "pids", "devices" }, w.Select(x => x.Controller).Distinct());
    }

    // ---- devices ----

    [Fact]
    public void DefaultAllowedDevicesAreRuncs()
    {
        // runc's specconv.AllowedDevices (without the host's /dev/console since rc91).
        Assert.Equal(new[]
        {
            "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:8 rwm", "c 1:7 rwm", "c 5:0 rwm", "c 1:5 rwm", "c 1:9 rwm",
            "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm",
        }, ResourcePlan.DefaultAllowedDevices);
    }

    [Fact]
    public void DefaultAllowedDevicesDoNotIncludeHostConsole()
    {
        Assert.Equal(new[]
        {
            "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:8 rwm", "c 1:7 rwm", "c 5:0 rwm", "c 1:5 rwm", "c 1:9 rwm",
            "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm",
        }, ResourcePlan.DefaultAllowedDevices);
    }

    [Fact]
    public void DeviceRulesInOrderThenDefaultsThenLinuxDevices()
    {
        var rules = new List<LinuxDeviceCgroup>
        {
            new() { Allow = false, Access = "rwm" },
            new() { Allow = true, Type = "c", Major = 10, Minor = 229, Access = "rw" },
            new() { Allow = false, Type = "b", Major = 8, Access = "m" },
        };
        var devices = new List<LinuxDevice>
        {
            new() { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229 },
            new() { Path = "/dev/sda", Type = "b", Major = 8, Minor = 0 },
            new() { Path = "/dev/ttyX", Type = "u", Major = 4, Minor = 70 },
            new() { Path = "/dev/fifo", Type = "p", Major = 0, Minor = 0 },
        };
        var w = ResourcePlan.DeviceRules(rules, devices);
        var expected = new List<(string, string, string)>
        {
            ("devices", "devices.deny", "a *:* rwm"),
            ("devices", "devices.allow", "c 10:229 rw"),
            ("devices", "devices.deny", "b 8:* m"),
        };
        expected.AddRange(ResourcePlan.DefaultAllowedDevices.Select(d => ("devices", "devices.allow", d)));
        expected.Add(("devices", "devices.allow", "c 10:229 rwm"));
        expected.Add(("devices", "devices.allow", "b 8:0 rwm"));
        expected.Add(("devices", "devices.allow", "c 4:70 rwm")); // u(nbuffered) is a char device
        Assert.Equal(expected.ToArray(), Triples(w));
        Assert.All(w, x => Assert.Equal("devices", x.Field));
    }

    [Fact]
    public void DeviceRulesNothingWhenNeitherRulesNorDevices()
    {
        Assert.Empty(ResourcePlan.DeviceRules(null, null));
    }

    [Fact]
    public void DeviceRulesDefaultsEvenWithoutRules()
    {
        // Rules given (empty): the whole set, a whitelist as runc's: deny all, then the defaults.
        Assert.Equal(new[] { ("devices", "devices.deny", "a *:* rwm") }.Concat(ResourcePlan.DefaultAllowedDevices.Select(d => ("devices", "devices.allow", d))).ToArray(),
            Triples(ResourcePlan.DeviceRules(new(), null)));
        // No rules (update without device flags): only the always-allowed devices are added again.
        Assert.Equal(ResourcePlan.DefaultAllowedDevices, ResourcePlan.DeviceRules(null, Array.Empty<LinuxDevice>()).Select(x => x.Value));
    }

    [Fact]
    public void DeviceRulesWithoutALeadingDenyAll_GetOne_ACreateWithoutResourcesToo()
    {
        var w = ResourcePlan.DeviceRules(new() { new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 10, Minor = 229, Access = "rwm" } }, null);
        Assert.Equal(("devices", "devices.deny", "a *:* rwm"), Triples(w)[0]);
        Assert.Equal(("devices", "devices.allow", "c 10:229 rwm"), Triples(w)[1]);
        var create = ResourcePlan.V1(new LinuxResources(), null, definesDevices: true);
        Assert.Equal("a *:* rwm", create[0].Value);
        Assert.Equal("devices.deny", create[0].File);
        Assert.Empty(ResourcePlan.V1(new LinuxResources()));
    }

    [Fact]
    public void V1AppendsDeviceRulesLast()
    {
        var w = ResourcePlan.V1(new LinuxResources
        {
            Pids = new LinuxPids { Limit = 5 },
            Devices = new() { new LinuxDeviceCgroup { Allow = false, Access = "rwm" } },
        }, new List<LinuxDevice> { new() { Type = "c", Major = 1, Minor = 11 } });
        Assert.Equal(("pids", "pids.max", "5"), (w[0].Controller, w[0].File, w[0].Value));
        Assert.Equal("a *:* rwm", w[1].Value);
        Assert.Equal("c 1:11 rwm", w[^1].Value);
        Assert.Equal(2 + ResourcePlan.DefaultAllowedDevices.Count + 1, w.Count);
    }

    [Theory]
    [InlineData(null, null, null, null, "a *:* rwm")]
    [InlineData("a", null, null, "r", "a *:* r")]
    [InlineData("a", 1L, 3L, "rw", "a *:* rw")]
    [InlineData("", null, null, "", "a *:* rwm")]
    [InlineData("c", 1L, 3L, "rwm", "c 1:3 rwm")]
    [InlineData("c", 1L, 3L, null, "c 1:3 rwm")]
    [InlineData("c", 1L, 3L, "", "c 1:3 rwm")]
    [InlineData("b", 8L, null, "m", "b 8:* m")]
    [InlineData("c", null, 5L, "w", "c *:5 w")]
    [InlineData("c", -1L, -1L, "r", "c *:* r")]
    [InlineData("b", -7L, 0L, "rw", "b *:0 rw")]
    [InlineData("c", 0L, 0L, "m", "c 0:0 m")]
    [InlineData("c", 136L, null, "rwm", "c 136:* rwm")]
    public void DeviceRuleFormatting(string? type, long? major, long? minor, string? access, string expected)
    {
        Assert.Equal(expected, ResourcePlan.DeviceRule(type, major, minor, access));
    }

    // ======================= conversions =======================

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(2UL, 1UL)]
    [InlineData(1024UL, 39UL)]
    [InlineData(512UL, 20UL)]
    [InlineData(262144UL, 10000UL)]
    public void SharesToWeight(ulong shares, ulong weight)
    {
        // runc ≤ 1.3 (cgroups.ConvertCPUSharesToCgroupV2Value): 1 + ((shares-2)*9999)/262142.
        Assert.Equal(weight, ResourcePlan.SharesToWeight(shares));
    }

    [Theory]
    [InlineData(1UL, 1UL)]
    [InlineData(300000UL, 10000UL)]
    public void SharesToWeightClampsOutOfRangeShares(ulong shares, ulong weight)
    {
        Assert.Equal(weight, ResourcePlan.SharesToWeight(shares));
    }

    [Theory]
    [InlineData((ushort)0, 0UL)]
    [InlineData((ushort)10, 1UL)]
    [InlineData((ushort)100, 910UL)]
    [InlineData((ushort)500, 4950UL)]
    [InlineData((ushort)1000, 10000UL)]
    public void BlkioWeightToIoWeight(ushort blkio, ulong io)
    {
        // cgroups.ConvertBlkIOToIOWeightValue: 1 + (w-10)*9999/990.
        Assert.Equal(io, ResourcePlan.BlkioWeightToIoWeight(blkio));
    }

    // ======================= cgroup v2 =======================

    [Fact]
    public void V2MemoryLimitReservationSwap()
    {
        var w = ResourcePlan.V2(new LinuxResources
        {
            Memory = new LinuxMemory { Limit = 536870912, Reservation = 268435456, Swap = 1073741824 },
        });
        Assert.Equal(new[]
        {
            ("v2", "memory.max", "536870912"),
            ("v2", "memory.low", "268435456"),
            ("v2", "memory.swap.max", "536870912"), // memsw 1G - limit 512M = 512M of swap
        }, Triples(w));
        Assert.Equal(new[] { "memory.limit", "memory.reservation", "memory.swap" }, w.Select(x => x.Field));
    }

    [Fact]
    public void V2MemoryUnlimited()
    {
        var w = ResourcePlan.V2(new LinuxResources { Memory = new LinuxMemory { Limit = -1, Reservation = -1, Swap = -1 } });
        Assert.Equal(new[]
        {
            ("v2", "memory.max", "max"),
            ("v2", "memory.low", "max"),
            ("v2", "memory.swap.max", "max"),
        }, Triples(w));
    }

    [Fact]
    public void V2SwapEqualToLimitDisablesSwap()
    {
        var w = ResourcePlan.V2(new LinuxResources { Memory = new LinuxMemory { Limit = 1 << 30, Swap = 1 << 30 } });
        Assert.Equal("0", Single(w, "memory.swap.max").Value);
    }

    [Fact]
    public void V2SwapWithUnlimitedMemoryIsTakenAsIs()
    {
        // cgroups.ConvertMemorySwapToCgroupV2Value: memory == -1 → swap as is.
        var w = ResourcePlan.V2(new LinuxResources { Memory = new LinuxMemory { Limit = -1, Swap = 1 << 30 } });
        Assert.Equal("1073741824", Single(w, "memory.swap.max").Value);
    }

    [Fact]
    public void V2SwapWithoutMemoryLimitIsAnError()
    {
        Assert.ThrowsAny<Exception>(() => ResourcePlan.V2(new LinuxResources { Memory = new LinuxMemory { Swap = 1 << 30 } }));
    }

    [Fact]
    public void V2SwapBelowLimitIsAnError()
    {
        Assert.ThrowsAny<Exception>(() => ResourcePlan.V2(new LinuxResources { Memory = new LinuxMemory { Limit = 1 << 30, Swap = 1 << 20 } }));
    }

    [Fact]
    public void V2MemoryLimitZeroIsUnset()
    {
        Assert.Empty(ResourcePlan.V2(new LinuxResources { Memory = new LinuxMemory { Limit = 0 } }));
    }

    [Fact]
    public void V2ZeroSwappinessIsAccepted()
    {
        Assert.Empty(ResourcePlan.V2(new LinuxResources { Memory = new LinuxMemory { Swappiness = 0 } }));
    }

    [Fact]
    public void V2V1OnlyFieldsAreErrors()
    {
        void Fails(LinuxResources r, string field)
        {
            var e = Assert.Throws<RuncsException>(() => ResourcePlan.V2(r));
            Assert.Contains(field, e.Message);
            Assert.Contains("v2", e.Message);
        }
        Fails(new LinuxResources { Memory = new LinuxMemory { Swappiness = 60 } }, "linux.resources.memory.swappiness");
        Fails(new LinuxResources { Memory = new LinuxMemory { KernelTCP = 1 << 20 } }, "linux.resources.memory.kernelTCP");
        Fails(new LinuxResources { Memory = new LinuxMemory { DisableOOMKiller = true } }, "linux.resources.memory.disableOOMKiller");
        Fails(new LinuxResources { Cpu = new LinuxCPU { RealtimePeriod = 1000000 } }, "linux.resources.cpu.realtimePeriod");
        Fails(new LinuxResources { Cpu = new LinuxCPU { RealtimeRuntime = 950000 } }, "realtimeRuntime");
        Fails(new LinuxResources { Cpu = new LinuxCPU { RealtimeRuntime = -1 } }, "realtimeRuntime");
    }

    [Fact]
    public void V2UnsetV1OnlyFieldsAreFine()
    {
        Assert.Empty(ResourcePlan.V2(new LinuxResources
        {
            Memory = new LinuxMemory { DisableOOMKiller = false },
            Cpu = new LinuxCPU { RealtimePeriod = 0, RealtimeRuntime = 0 },
        }));
    }

    [Fact]
    public void V2CpuEveryField()
    {
        var w = ResourcePlan.V2(new LinuxResources
        {
            Cpu = new LinuxCPU { Shares = 1024, Quota = 50000, Period = 200000, Burst = 1000, Idle = 1, Cpus = "1,3", Mems = "0-1" },
        });
        Assert.Equal(new[]
        {
            ("v2", "cpu.weight", "39"),
            ("v2", "cpu.max", "50000 200000"),
            ("v2", "cpu.max.burst", "1000"),
            ("v2", "cpu.idle", "1"),
            ("v2", "cpuset.cpus", "1,3"),
            ("v2", "cpuset.mems", "0-1"),
        }, Triples(w));
        Assert.Equal(new[] { "cpu.shares", "cpu.quota", "cpu.burst", "cpu.idle", "cpu.cpus", "cpu.mems" }, w.Select(x => x.Field));
    }

    [Theory]
    [InlineData(50000L, null, "50000 100000")]
    [InlineData(-1L, null, "max 100000")]
    [InlineData(null, 250000UL, "max 250000")]
    [InlineData(-1L, 250000UL, "max 250000")]
    [InlineData(30000L, 60000UL, "30000 60000")]
    [InlineData(30000L, 0UL, "30000 100000")]
    public void V2CpuMax(long? quota, ulong? period, string expected)
    {
        var w = ResourcePlan.V2(new LinuxResources { Cpu = new LinuxCPU { Quota = quota, Period = period } });
        Assert.Equal(new[] { ("v2", "cpu.max", expected) }, Triples(w));
    }

    [Theory]
    [InlineData(2UL, "1")]
    [InlineData(1024UL, "39")]
    [InlineData(262144UL, "10000")]
    public void V2CpuWeightFromShares(ulong shares, string weight)
    {
        var w = ResourcePlan.V2(new LinuxResources { Cpu = new LinuxCPU { Shares = shares } });
        Assert.Equal(new[] { ("v2", "cpu.weight", weight) }, Triples(w));
    }

    [Fact]
    public void V2CpuZeroSharesIsUnset()
    {
        Assert.Empty(ResourcePlan.V2(new LinuxResources { Cpu = new LinuxCPU { Shares = 0, Cpus = "", Mems = "" } }));
    }

    [Theory]
    [InlineData(100L, "100")]
    [InlineData(-1L, "max")]
    public void V2PidsMax(long limit, string expected)
    {
        var w = ResourcePlan.V2(new LinuxResources { Pids = new LinuxPids { Limit = limit } });
        Assert.Equal(new[] { ("v2", "pids.max", expected) }, Triples(w));
        Assert.Empty(ResourcePlan.V2(new LinuxResources { Pids = new LinuxPids { Limit = 0 } }));
    }

    [Fact]
    public void V2Io()
    {
        var w = ResourcePlan.V2(new LinuxResources
        {
            BlockIO = new LinuxBlockIO
            {
                Weight = 500,
                LeafWeight = 300, // v1 only: ignored
                WeightDevice = new()
                {
                    new LinuxWeightDevice { Major = 8, Minor = 0, Weight = 1000, LeafWeight = 10 },
                    new LinuxWeightDevice { Major = 8, Minor = 16, LeafWeight = 10 },
                },
                ThrottleReadBpsDevice = new() { new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 1048576 } },
                ThrottleWriteBpsDevice = new() { new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 2097152 } },
                ThrottleReadIOPSDevice = new() { new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 100 } },
                ThrottleWriteIOPSDevice = new()
                {
                    new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 200 },
                    new LinuxThrottleDevice { Major = 253, Minor = 2, Rate = 300 },
                },
            },
        });
        Assert.Equal(new[]
        {
            ("v2", "io.weight", "4950"),
            ("v2", "io.weight", "8:0 10000"),
            ("v2", "io.max", "8:0 rbps=1048576"),
            ("v2", "io.max", "8:0 wbps=2097152"),
            ("v2", "io.max", "8:0 riops=100"),
            ("v2", "io.max", "8:0 wiops=200"),
            ("v2", "io.max", "253:2 wiops=300"),
        }, Triples(w));
        Assert.Equal(new[]
        {
            "blockIO.weight", "blockIO.weightDevice", "blockIO.throttleReadBpsDevice", "blockIO.throttleWriteBpsDevice",
            "blockIO.throttleReadIOPSDevice", "blockIO.throttleWriteIOPSDevice", "blockIO.throttleWriteIOPSDevice",
        }, w.Select(x => x.Field));
    }

    [Theory]
    [InlineData((ushort)10, "1")]
    [InlineData((ushort)1000, "10000")]
    [InlineData((ushort)500, "4950")]
    public void V2IoWeight(ushort weight, string expected)
    {
        var w = ResourcePlan.V2(new LinuxResources { BlockIO = new LinuxBlockIO { Weight = weight } });
        Assert.Equal(new[] { ("v2", "io.weight", expected) }, Triples(w));
    }

    [Fact]
    public void V2HugetlbAndRdma()
    {
        var w = ResourcePlan.V2(new LinuxResources
        {
            HugepageLimits = new() { new LinuxHugepageLimit { PageSize = "2MB", Limit = 4194304 } },
            Rdma = new() { ["mlx5_1"] = new LinuxRdma { HcaHandles = 3, HcaObjects = 10000 } },
        });
        Assert.Equal(new[]
        {
            ("v2", "hugetlb.2MB.max", "4194304"),
            ("v2", "rdma.max", "mlx5_1 hca_handle=3 hca_object=10000"),
        }, Triples(w));
    }

    [Fact]
    public void V2NetworkIsNotWritten()
    {
        // net_cls / net_prio have no cgroup v2 files (runc ignores them too).
        Assert.Empty(ResourcePlan.V2(new LinuxResources
        {
            Network = new LinuxNetwork { ClassID = 1, Priorities = new() { new LinuxInterfacePriority { Name = "eth0", Priority = 1 } } },
        }));
    }

    [Fact]
    public void V2DevicesAreNotFileWrites()
    {
        // v2 device rules are an eBPF program, not files.
        Assert.Empty(ResourcePlan.V2(new LinuxResources { Devices = new() { new LinuxDeviceCgroup { Allow = false, Access = "rwm" } } }));
    }

    [Fact]
    public void V2UnifiedPassthroughAfterEverythingElse()
    {
        var w = ResourcePlan.V2(new LinuxResources
        {
            Unified = new() { ["memory.high"] = "1G", ["cpu.max"] = "max 50000", ["io.max"] = "8:0 rbps=max" },
            Pids = new LinuxPids { Limit = 7 },
        });
        Assert.Equal(new[]
        {
            ("v2", "pids.max", "7"),
            ("v2", "memory.high", "1G"),
            ("v2", "cpu.max", "max 50000"),
            ("v2", "io.max", "8:0 rbps=max"),
        }, Triples(w));
        Assert.Equal(new[] { "pids.limit", "unified.memory.high", "unified.cpu.max", "unified.io.max" }, w.Select(x => x.Field));
    }

    [Theory]
    [InlineData("../memory.max")]
    [InlineData("sub/memory.max")]
    [InlineData("/memory.max")]
    [InlineData(".hidden")]
    [InlineData("..")]
    public void V2UnifiedInvalidKey(string key)
    {
        var e = Assert.Throws<RuncsException>(() => ResourcePlan.V2(new LinuxResources { Unified = new() { [key] = "1" } }));
        Assert.Contains("linux.resources.unified", e.Message);
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void WritesAreNeverEmptyOrMultiLine()
    {
        var r = new LinuxResources
        {
            Memory = new LinuxMemory { Limit = 1 << 30, Reservation = 1 << 29, Swap = 1 << 31, Swappiness = 10, UseHierarchy = true },
            Cpu = new LinuxCPU { Shares = 100, Quota = 1000, Period = 10000, Cpus = "0", Mems = "0" },
            Pids = new LinuxPids { Limit = 10 },
            BlockIO = new LinuxBlockIO { Weight = 100 },
            HugepageLimits = new() { new LinuxHugepageLimit { PageSize = "2MB", Limit = 1 } },
        };
        foreach (var x in ResourcePlan.V1(r).Concat(ResourcePlan.V2(new LinuxResources { Cpu = r.Cpu, Pids = r.Pids, BlockIO = r.BlockIO })))
        {
            Assert.False(string.IsNullOrEmpty(x.Value), x.File);
            Assert.DoesNotContain('\n', x.Value);
            Assert.DoesNotContain('/', x.File);
        }
    }

    /// <summary>init OOM-killed at create: the error names the field and the file of the host's cgroup version.</summary>
    [Fact]
    public void InitOomMessageNamesTheLimitFieldAndFile()
    {
        var r = new LinuxResources { Memory = new LinuxMemory { Limit = 1000 } };
        Assert.Equal("linux.resources.memory.limit: container init was killed by the OOM killer: memory.limit_in_bytes = 1000 is too low to start the container",
            ResourcePlan.InitOomMessage(r, v2: false));
        Assert.Contains("memory.max = 1000", ResourcePlan.InitOomMessage(r, v2: true));
        // No limit of its own (a parent's limit, or -1): no field to blame.
        foreach (var none in new[] { null, new LinuxResources(), new LinuxResources { Memory = new LinuxMemory { Limit = -1 } } })
        {
            var m = ResourcePlan.InitOomMessage(none, v2: false);
            Assert.DoesNotContain("linux.resources", m);
            Assert.Contains("OOM killer", m);
        }
    }

    /// <summary>cpu.shares the kernel clamped (runc: "the minimum/maximum allowed cpu-shares is N").</summary>
    [Theory]
    [InlineData("1", "2\n", "the minimum allowed cpu-shares is 2")]
    [InlineData("300000", "262144\n", "the maximum allowed cpu-shares is 262144")]
    public void SharesClampedByTheKernelIsAnError(string written, string readBack, string expected)
    {
        var m = ResourcePlan.SharesReadBackProblem(written, readBack);
        Assert.NotNull(m);
        Assert.StartsWith("linux.resources.cpu.shares: " + expected, m);
        Assert.Contains("cpu.shares = " + written, m);
    }

    [Theory]
    [InlineData("512", "512\n")]
    [InlineData("512", null)]   // unreadable: nothing to compare
    [InlineData("512", "")]
    public void SharesKeptOrUnreadableIsFine(string written, string? readBack) =>
        Assert.Null(ResourcePlan.SharesReadBackProblem(written, readBack));
}
