using System.Runtime.Versioning;
using Runcs.Namespaces;

namespace OciRuntime.Tests.Unit.Runtime;

[SupportedOSPlatform("linux")]
public class NamespaceKindsTests
{
    // include/uapi/linux/sched.h
    public static TheoryData<string, string, int> Kernel => new()
    {
        { "mount", "mnt", 0x00020000 },
        { "cgroup", "cgroup", 0x02000000 },
        { "uts", "uts", 0x04000000 },
        { "ipc", "ipc", 0x08000000 },
        { "user", "user", 0x10000000 },
        { "pid", "pid", 0x20000000 },
        { "network", "net", 0x40000000 },
        { "time", "time", 0x00000080 },
    };

    [Fact]
    public void EightKinds()
    {
        Assert.Equal(8, NamespaceKinds.All.Count);
        Assert.Equal(8, NamespaceKinds.All.Select(k => k.OciName).Distinct().Count());
        Assert.Equal(8, NamespaceKinds.All.Select(k => k.ProcName).Distinct().Count());
    }

    [Fact]
    public void SameOciNamesAsTheSpecModel() =>
        Assert.Equal(OciRuntime.Spec.NamespaceTypes.All.Order(), NamespaceKinds.All.Select(k => k.OciName).Order());

    [Fact]
    public void UserFirstMountLast()
    {
        Assert.Equal("user", NamespaceKinds.All[0].OciName);
        Assert.Equal("mount", NamespaceKinds.All[^1].OciName);
    }

    [Theory]
    [MemberData(nameof(Kernel))]
    public void KernelValues(string oci, string proc, int flag)
    {
        var k = NamespaceKinds.ByOciName(oci);
        Assert.NotNull(k);
        Assert.Equal(proc, k.ProcName);
        Assert.Equal(flag, k.CloneFlag);
        Assert.Same(k, NamespaceKinds.ByProcName(proc));
    }

    [Fact]
    public void ConstantsMatchTheKernel()
    {
        Assert.Equal(0x00000080, NamespaceKinds.CLONE_NEWTIME);
        Assert.Equal(0x00020000, NamespaceKinds.CLONE_NEWNS);
        Assert.Equal(0x02000000, NamespaceKinds.CLONE_NEWCGROUP);
        Assert.Equal(0x04000000, NamespaceKinds.CLONE_NEWUTS);
        Assert.Equal(0x08000000, NamespaceKinds.CLONE_NEWIPC);
        Assert.Equal(0x10000000, NamespaceKinds.CLONE_NEWUSER);
        Assert.Equal(0x20000000, NamespaceKinds.CLONE_NEWPID);
        Assert.Equal(0x40000000, NamespaceKinds.CLONE_NEWNET);
    }

    [Fact]
    public void FlagsAreDistinctSingleBits()
    {
        int all = 0;
        foreach (var k in NamespaceKinds.All)
        {
            Assert.Equal(1, System.Numerics.BitOperations.PopCount((uint)k.CloneFlag));
            Assert.Equal(0, all & k.CloneFlag);
            all |= k.CloneFlag;
        }
        Assert.Equal(0x7E020080, all);
    }

    [Fact]
    public void ProcNamesExistUnderProcSelfNs()
    {
        var entries = Directory.GetFileSystemEntries("/proc/self/ns").Select(Path.GetFileName).ToHashSet();
        foreach (var k in NamespaceKinds.All)
        {
            if (k.ProcName == "time" && !entries.Contains("time")) continue; // kernel < 5.6
            Assert.Contains(k.ProcName, entries);
        }
    }

    [Theory]
    [InlineData("net")]
    [InlineData("mnt")]
    [InlineData("Network")]
    [InlineData("")]
    [InlineData("pid_for_children")]
    public void ByOciNameUnknown(string name) => Assert.Null(NamespaceKinds.ByOciName(name));

    [Theory]
    [InlineData("network")]
    [InlineData("mount")]
    [InlineData("NET")]
    [InlineData("")]
    [InlineData("time_for_children")]
    public void ByProcNameUnknown(string name) => Assert.Null(NamespaceKinds.ByProcName(name));
}
