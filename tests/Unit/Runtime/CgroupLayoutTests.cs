using System.Runtime.Versioning;
using Runcs.Cgroups;

namespace OciRuntime.Tests.Unit.Runtime;

[SupportedOSPlatform("linux")]
public class CgroupLayoutTests
{
    /// <summary>`cat /proc/self/mountinfo` on the development machine (hybrid: v1 hierarchies plus cgroup2 at unified).</summary>
    private const string HybridMountInfo = """
22 27 0:21 / /proc rw,relatime - proc proc rw
23 27 0:22 / /sys rw,relatime - sysfs sysfs rw
24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334492k,nr_inodes=3083623,mode=755
25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684092k
26 24 0:24 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
28 27 0:25 / /mnt/sandboxing/model_tools_env/v1/python ro,nosuid,nodev,relatime - tmpfs model_tools_unavailable ro,size=4k,mode=755
29 26 0:26 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
30 25 0:27 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684092k
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
42 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
43 42 0:4 net:[4026532177] /run/netns/rx1 rw shared:2 - nsfs nsfs rw

""";

    /// <summary>`cat /proc/self/cgroup` on the same machine.</summary>
    private const string HybridProcCgroup = """
9:name=systemd:/
8:pids:/
7:blkio:/
6:freezer:/
5:devices:/
4:memory:/process_api/b125ca11827a0cf4102c7948d91b9dc1
3:cpuset:/
2:cpuacct:/
1:cpu:/
0::/

""";

    /// <summary>A systemd v1 host (CentOS 7 style): co-mounted cpu,cpuacct and net_cls,net_prio, optional fields, xattr/release_agent.</summary>
    private const string V1MountInfo = """
25 21 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
26 25 0:23 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd
29 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct
30 25 0:27 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,net_cls,net_prio
31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,memory
32 25 0:29 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpuset,clone_children
33 25 0:28 / /mnt/again\040with\040spaces rw,relatime shared:13 - cgroup cgroup rw,memory
""";

    /// <summary>A pure cgroup v2 host (Fedora / Ubuntu 22.04).</summary>
    private const string V2MountInfo = """
22 98 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
26 22 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
98 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw
""";

    private static CgroupHierarchy Find(List<CgroupHierarchy> hs, string key) => Assert.Single(hs, h => CgroupLayout.KeyOf(h) == key);

    [Fact]
    public void HybridMachine()
    {
        var hs = CgroupLayout.ParseMountInfo(HybridMountInfo);
        Assert.Equal(
            new[] { "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "name=systemd", "v2" },
            hs.Select(CgroupLayout.KeyOf));
        var mem = Find(hs, "memory");
        Assert.Equal("/sys/fs/cgroup/memory", mem.MountPoint);
        Assert.Equal("/", mem.MountRoot);
        Assert.False(mem.IsV2);
        Assert.Equal(new[] { "memory" }, mem.Controllers);
        Assert.Equal(new[] { "name=systemd" }, Find(hs, "name=systemd").Controllers);
        var v2 = Find(hs, "v2");
        Assert.True(v2.IsV2);
        Assert.Empty(v2.Controllers);
        Assert.Equal("/sys/fs/cgroup/unified", v2.MountPoint);
        Assert.Equal(CgroupMode.Hybrid, CgroupLayout.ModeOf(hs));
    }

    [Fact]
    public void NonCgroupMountsAreIgnored()
    {
        var hs = CgroupLayout.ParseMountInfo(HybridMountInfo);
        Assert.DoesNotContain(hs, h => h.MountPoint == "/sys/fs/cgroup" || h.MountPoint.StartsWith("/run") || h.MountPoint == "/proc");
    }

    [Fact]
    public void V1Machine()
    {
        var hs = CgroupLayout.ParseMountInfo(V1MountInfo);
        Assert.Equal(new[] { "name=systemd", "cpu,cpuacct", "net_cls,net_prio", "memory", "cpuset" }, hs.Select(CgroupLayout.KeyOf));
        var cpu = Find(hs, "cpu,cpuacct");
        Assert.Equal(new[] { "cpu", "cpuacct" }, cpu.Controllers);
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", cpu.MountPoint);
        // xattr, release_agent= and clone_children are mount options, not controllers.
        Assert.Equal(new[] { "name=systemd" }, Find(hs, "name=systemd").Controllers);
        Assert.Equal(new[] { "cpuset" }, Find(hs, "cpuset").Controllers);
        Assert.Equal(CgroupMode.V1, CgroupLayout.ModeOf(hs));
    }

    [Fact]
    public void HierarchyMountedTwiceIsUsedOnce()
    {
        var hs = CgroupLayout.ParseMountInfo(V1MountInfo);
        Assert.Equal("/sys/fs/cgroup/memory", Find(hs, "memory").MountPoint);
    }

    [Fact]
    public void EscapedMountPoint()
    {
        const string text = "33 25 0:28 /a\\040b /mnt/with\\040space\\011tab\\134back rw,relatime - cgroup cgroup rw,memory\n";
        var h = Assert.Single(CgroupLayout.ParseMountInfo(text));
        Assert.Equal("/mnt/with space\ttab\\back", h.MountPoint);
        Assert.Equal("/a b", h.MountRoot);
    }

    [Fact]
    public void EscapedBackslashIsNotReadAsAnotherEscape()
    {
        // "\134040" is a backslash followed by the text "040", not a space.
        const string text = "33 25 0:28 / /mnt/x\\134040y rw - cgroup cgroup rw,memory\n";
        Assert.Equal("/mnt/x\\040y", Assert.Single(CgroupLayout.ParseMountInfo(text)).MountPoint);
    }

    [Fact]
    public void PureV2Machine()
    {
        var hs = CgroupLayout.ParseMountInfo(V2MountInfo);
        var h = Assert.Single(hs);
        Assert.True(h.IsV2);
        Assert.Equal("/sys/fs/cgroup", h.MountPoint);
        Assert.Equal("/", h.MountRoot);
        Assert.Empty(h.Controllers);
        Assert.Equal(CgroupMode.V2, CgroupLayout.ModeOf(hs));
    }

    [Fact]
    public void PrefixIsPrependedToMountPoints()
    {
        var hs = CgroupLayout.ParseMountInfo(V2MountInfo, "/proc/1/root");
        Assert.Equal("/proc/1/root/sys/fs/cgroup", Assert.Single(hs).MountPoint);
    }

    [Fact]
    public void NonRootMountRoot()
    {
        // Inside a container with a private cgroup namespace view of the host's hierarchy.
        const string text = "40 31 0:37 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n";
        var h = Assert.Single(CgroupLayout.ParseMountInfo(text));
        Assert.Equal("/docker/abc", h.MountRoot);
    }

    [Fact]
    public void V1MountWithoutControllersIsSkipped()
    {
        const string text = "40 31 0:37 / /x rw - cgroup cgroup rw,xattr,noprefix\n";
        Assert.Empty(CgroupLayout.ParseMountInfo(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("garbage")]
    [InlineData("1 2 3 4")]
    [InlineData("40 31 0:37 / /x rw cgroup cgroup rw,memory")]
    [InlineData("40 31 0:37 / /x rw - cgroup")]
    public void MalformedLinesAreSkipped(string text)
    {
        var hs = CgroupLayout.ParseMountInfo(text);
        Assert.Empty(hs);
        Assert.Equal(CgroupMode.None, CgroupLayout.ModeOf(hs));
    }

    [Fact]
    public void ModeOfEachCombination()
    {
        var v1 = new CgroupHierarchy("/a", "/", false, new[] { "memory" });
        var v2 = new CgroupHierarchy("/b", "/", true, Array.Empty<string>());
        Assert.Equal(CgroupMode.None, CgroupLayout.ModeOf(Array.Empty<CgroupHierarchy>()));
        Assert.Equal(CgroupMode.V1, CgroupLayout.ModeOf(new[] { v1 }));
        Assert.Equal(CgroupMode.V2, CgroupLayout.ModeOf(new[] { v2 }));
        Assert.Equal(CgroupMode.Hybrid, CgroupLayout.ModeOf(new[] { v1, v2 }));
        Assert.Equal(CgroupMode.Hybrid, CgroupLayout.ModeOf(new[] { v2, v1 }));
    }

    [Fact]
    public void KeyOf()
    {
        Assert.Equal("v2", CgroupLayout.KeyOf(new CgroupHierarchy("/a", "/", true, Array.Empty<string>())));
        Assert.Equal("cpu,cpuacct", CgroupLayout.KeyOf(new CgroupHierarchy("/a", "/", false, new[] { "cpu", "cpuacct" })));
    }

    [Fact]
    public void ProcCgroupOfThisMachine()
    {
        var map = CgroupLayout.ParseProcCgroup(HybridProcCgroup);
        Assert.Equal(10, map.Count);
        Assert.Equal("/", map["name=systemd"]);
        Assert.Equal("/process_api/b125ca11827a0cf4102c7948d91b9dc1", map["memory"]);
        Assert.Equal("/", map["v2"]);
        // Every hierarchy of the mountinfo has its line, under the same key.
        foreach (var h in CgroupLayout.ParseMountInfo(HybridMountInfo)) Assert.True(map.ContainsKey(CgroupLayout.KeyOf(h)), CgroupLayout.KeyOf(h));
    }

    [Fact]
    public void ProcCgroupCoMountedAndV2()
    {
        var map = CgroupLayout.ParseProcCgroup("12:cpu,cpuacct:/user.slice\n1:name=systemd:/user.slice/session-1.scope\n0::/x/y\n");
        Assert.Equal("/user.slice", map["cpu,cpuacct"]);
        Assert.Equal("/user.slice/session-1.scope", map["name=systemd"]);
        Assert.Equal("/x/y", map["v2"]);
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void ProcCgroupPathMayContainColons()
    {
        var map = CgroupLayout.ParseProcCgroup("0::/a:b:c\n");
        Assert.Equal("/a:b:c", map["v2"]);
    }

    [Fact]
    public void ProcCgroupSkipsMalformedLines()
    {
        var map = CgroupLayout.ParseProcCgroup("garbage\n3:memory\n\n0::/ok\n");
        Assert.Equal(new[] { "v2" }, map.Keys);
    }

    [Theory]
    [InlineData("/abs/path", "c1", "/caller", "/abs/path")]
    [InlineData("/abs/../x//y/./z/", "c1", "/caller", "/x/y/z")]
    [InlineData("/../../etc", "c1", "/caller", "/etc")]
    [InlineData("rel/x", "c1", "/caller", "/caller/rel/x")]
    [InlineData("rel/x", "c1", "/caller/", "/caller/rel/x")]
    [InlineData("rel/x", "c1", "/", "/rel/x")]
    [InlineData(null, "c1", "/caller", "/caller/c1")]
    [InlineData("", "c1", "/caller", "/caller/c1")]
    [InlineData("", "c1", "/", "/c1")]
    [InlineData("a/./b/../c", "c1", "/p", "/p/a/c")]
    public void InnerPath(string? cgroupsPath, string id, string caller, string expected) =>
        Assert.Equal(expected, CgroupLayout.InnerPath(cgroupsPath, id, caller));

    [Fact]
    public void RelativeInnerPathCannotClimbAboveCallerCgroup()
    {
        Assert.Equal("/a/b/x", CgroupLayout.InnerPath("../../x", "c1", "/a/b"));
        Assert.Equal("/a/b/x", CgroupLayout.InnerPath("y/../../../x", "c1", "/a/b"));
    }

    [Fact]
    public void DirOfWithRootMount()
    {
        var h = new CgroupHierarchy("/sys/fs/cgroup/memory", "/", false, new[] { "memory" });
        Assert.Equal("/sys/fs/cgroup/memory/a/b", CgroupLayout.DirOf(h, "/a/b"));
        Assert.Equal("/sys/fs/cgroup/memory/etc", CgroupLayout.DirOf(h, "/../../etc"));
        Assert.Equal("/sys/fs/cgroup/memory", CgroupLayout.DirOf(h, "/").TrimEnd('/'));
        var slash = new CgroupHierarchy("/sys/fs/cgroup/", "/", true, Array.Empty<string>());
        Assert.Equal("/sys/fs/cgroup/x", CgroupLayout.DirOf(slash, "/x"));
    }

    [Fact]
    public void DirOfWithNonRootMount()
    {
        var h = new CgroupHierarchy("/sys/fs/cgroup/memory", "/docker/abc", false, new[] { "memory" });
        // The mount shows /docker/abc at its top: paths under it lose that prefix.
        Assert.Equal("/sys/fs/cgroup/memory/x/y", CgroupLayout.DirOf(h, "/docker/abc/x/y"));
        Assert.Equal("/sys/fs/cgroup/memory", CgroupLayout.DirOf(h, "/docker/abc").TrimEnd('/'));
        // A sibling sharing the name prefix is not under the root.
        Assert.Equal("/sys/fs/cgroup/memory/docker/abcdef", CgroupLayout.DirOf(h, "/docker/abcdef"));
        Assert.Equal("/sys/fs/cgroup/memory/other", CgroupLayout.DirOf(h, "/other"));
    }

    [Fact]
    public void DirOfAfterParseWithPrefix()
    {
        var h = Find(CgroupLayout.ParseMountInfo(HybridMountInfo, "/proc/1/root"), "memory");
        Assert.Equal("/proc/1/root/sys/fs/cgroup/memory/process_api/c1", CgroupLayout.DirOf(h, "/process_api/c1"));
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("//", "/")]
    [InlineData("a/b", "/a/b")]
    [InlineData("/a/b/", "/a/b")]
    [InlineData("//a///b//", "/a/b")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/..", "/")]
    [InlineData("/../../a/..", "/")]
    [InlineData("../x", "/x")]
    [InlineData("/a/.../b", "/a/.../b")]
    [InlineData("/a/..b", "/a/..b")]
    public void Clean(string input, string expected) => Assert.Equal(expected, CgroupLayout.Clean(input));

    [Theory]
    [InlineData("v2", false, "/sys/fs/cgroup/unified")]
    [InlineData("v2", true, "/sys/fs/cgroup")]
    [InlineData("pids", false, "/sys/fs/cgroup/pids")]
    [InlineData("cpu,cpuacct", false, "/sys/fs/cgroup/cpu,cpuacct")]
    [InlineData("name=systemd", false, "/sys/fs/cgroup/systemd")]
    public void UsualMountPoint(string key, bool pureV2, string expected) =>
        Assert.Equal(expected, CgroupLayout.UsualMountPoint(key, pureV2));

    [Theory]
    [InlineData("v2", "unified")]
    [InlineData("memory", "memory")]
    [InlineData("net_cls,net_prio", "net_cls,net_prio")]
    [InlineData("name=systemd", "systemd")]
    public void DirName(string key, string expected) => Assert.Equal(expected, CgroupLayout.DirName(key));
}
