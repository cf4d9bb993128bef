using OciRuntime.Spec;
using Runcs.Container;
using Runcs.Init;
using OciSpec = OciRuntime.Spec.Spec;

namespace OciRuntime.Tests.Unit.Runtime;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SysctlRulesTests
{
    private static OciSpec With(string key, params string[] namespaces) => new()
    {
        Linux = new Linux
        {
            Sysctl = new() { [key] = "1" },
            Namespaces = namespaces.Select(n => new LinuxNamespace { Type = n }).ToList(),
        },
    };

    [Theory]
    [InlineData("kernel.shmmax", "ipc")]
    [InlineData("kernel.msgmnb", "ipc")]
    [InlineData("kernel.sem", "ipc")]
    [InlineData("fs.mqueue.queues_max", "ipc")]
    [InlineData("net.ipv4.ip_forward", "network")]
    [InlineData("net.core.somaxconn", "network")]
    [InlineData("kernel.domainname", "uts")]
    public void NamespacedKeysAreAllowedWithTheirNamespace(string key, string ns)
    {
        Assert.Null(SysctlRules.Problem(With(key, ns)));
    }

    [Theory]
    [InlineData("kernel.shmmax", "ipc namespace")]
    [InlineData("fs.mqueue.msg_max", "ipc namespace")]
    [InlineData("net.ipv4.ip_forward", "network namespace")]
    [InlineData("kernel.domainname", "not in a separate kernel namespace")]
    [InlineData("vm.swappiness", "not in a separate kernel namespace")]
    [InlineData("kernel.foo", "not in a separate kernel namespace")]
    public void KeysOfTheHostAreRefused(string key, string reason)
    {
        var problem = SysctlRules.Problem(With(key, "mount", "pid"));
        Assert.NotNull(problem);
        Assert.Contains(key, problem);
        Assert.Contains(reason, problem);
        Assert.StartsWith("linux.sysctl", problem);
    }

    [Fact]
    public void HostnameSysctlConflictsWithTheHostnameField()
    {
        var problem = SysctlRules.Problem(With("kernel.hostname", "uts"));
        Assert.Contains("conflicts", problem);
    }

    [Fact]
    public void NoSysctlNoProblem()
    {
        Assert.Null(SysctlRules.Problem(new OciSpec()));
        Assert.Null(SysctlRules.Problem(new OciSpec { Linux = new Linux() }));
    }
}

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class MountInfoTests
{
    private const string Sample =
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n" +
        "30 22 0:25 / /run rw,nosuid shared:5 - tmpfs tmpfs rw\n" +
        "31 22 0:26 / /tmp rw - tmpfs tmpfs rw\n" +
        "32 31 0:27 / /tmp/bundles rw master:3 - tmpfs tmpfs rw\n" +
        "33 22 0:28 / /srv/my\\040dir rw shared:9 - tmpfs tmpfs rw\n";

    [Theory]
    [InlineData("/tmp/bundles/b1/rootfs", "/tmp/bundles", false)]
    [InlineData("/tmp/other/rootfs", "/tmp", false)]
    [InlineData("/run/x/rootfs", "/run", true)]
    [InlineData("/var/lib/x", "/", true)]
    [InlineData("/tmpfoo/rootfs", "/", true)]
    [InlineData("/srv/my dir/rootfs", "/srv/my dir", true)]
    public void FindsTheContainingMount(string path, string mountPoint, bool shared)
    {
        var (mp, sh) = MountInfo.Containing(Sample, path);
        Assert.Equal(mountPoint, mp);
        Assert.Equal(shared, sh);
    }

    [Fact]
    public void EmptyMountInfo()
    {
        Assert.Equal((null, false), MountInfo.Containing("", "/x"));
    }
}

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ProcessAttributesTests
{
    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0-3", new[] { 0, 1, 2, 3 })]
    [InlineData("1,3,5-6", new[] { 1, 3, 5, 6 })]
    [InlineData(" 2 , 4 ", new[] { 2, 4 })]
    public void CpuLists(string list, int[] cpus)
    {
        Assert.Equal(cpus, ProcessAttributes.ParseCpuList(list, "f"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("3-1")]
    [InlineData("1-2-3")]
    [InlineData("-1")]
    [InlineData("5000")]
    public void BadCpuListsNameTheField(string list)
    {
        var e = Assert.Throws<Runcs.Native.RuncsException>(() => ProcessAttributes.ParseCpuList(list, "process.execCPUAffinity.final"));
        Assert.Contains("process.execCPUAffinity.final", e.Message);
    }

    [Theory]
    [InlineData("IOPRIO_CLASS_RT", 4, (1 << 13) | 4)]
    [InlineData("IOPRIO_CLASS_BE", 0, 2 << 13)]
    [InlineData("IOPRIO_CLASS_IDLE", 7, (3 << 13) | 7)]
    public void IoPriorityPacking(string cls, int prio, int value)
    {
        Assert.Equal(value, ProcessAttributes.IoPriorityValue(new LinuxIOPriority { Class = cls, Priority = prio }));
    }

    [Fact]
    public void IoPriorityErrors()
    {
        Assert.Throws<Runcs.Native.RuncsException>(() => ProcessAttributes.IoPriorityValue(new LinuxIOPriority { Class = "X", Priority = 0 }));
        Assert.Throws<Runcs.Native.RuncsException>(() => ProcessAttributes.IoPriorityValue(new LinuxIOPriority { Class = "IOPRIO_CLASS_BE", Priority = 8 }));
    }

    [Theory]
    [InlineData("SCHED_OTHER", 0)]
    [InlineData("SCHED_FIFO", 1)]
    [InlineData("SCHED_RR", 2)]
    [InlineData("SCHED_BATCH", 3)]
    [InlineData("SCHED_IDLE", 5)]
    [InlineData("SCHED_DEADLINE", 6)]
    public void SchedulerPolicies(string name, int value) => Assert.Equal(value, ProcessAttributes.SchedulerPolicy(name));

    [Fact]
    public void SchedulerFlagsAndErrors()
    {
        Assert.Equal(0x01UL | 0x10UL, ProcessAttributes.SchedulerFlags(new() { "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_KEEP_PARAMS" }));
        Assert.Equal(0UL, ProcessAttributes.SchedulerFlags(null));
        Assert.Throws<Runcs.Native.RuncsException>(() => ProcessAttributes.SchedulerFlags(new() { "nope" }));
        Assert.Throws<Runcs.Native.RuncsException>(() => ProcessAttributes.SchedulerPolicy("SCHED_NOPE"));
    }
}
