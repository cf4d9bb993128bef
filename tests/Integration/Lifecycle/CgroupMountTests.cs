using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>
/// The default config's cgroup mount ("ro", "nosuid", "noexec", "nodev", "relatime") on this cgroup v1
/// host: a tmpfs with one bind per hierarchy, every one of them read-only with those flags (they are
/// set on the whole tree at once), so the container can read its cgroup files and write none.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CgroupMountTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public CgroupMountTests(Runcs rt) => _rt = rt;

    [Fact]
    public void EveryHierarchyBind_IsReadOnly_WithTheMountsFlags()
    {
        using var b = Bundle.Create("sh", "-c",
            "awk '$5 ~ \"^/sys/fs/cgroup\" { print $5, $6 }' /proc/self/mountinfo; echo ---; " +
            "cat /sys/fs/cgroup/pids/pids.max; echo 5 > /sys/fs/cgroup/pids/pids.max && echo WROTE; true");
        var r = _rt.Run("run", "--bundle", b.Dir, _rt.NewId("cgmount")).Ok();
        var parts = r.Stdout.Split("---");
        var mounts = parts[0].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(mounts.Length >= 3, "the tmpfs and the hierarchies: " + r);
        Assert.Contains(mounts, m => m.StartsWith("/sys/fs/cgroup/pids ", StringComparison.Ordinal));
        foreach (var m in mounts)
            Assert.True(m.EndsWith(" ro,nosuid,nodev,noexec,relatime", StringComparison.Ordinal), $"mount flags of '{m}': " + r);
        // Readable, not writable (read-only file system; the shell reports the failed redirection).
        Assert.Equal("max", parts[1].Trim().Split('\n')[0].Trim());
        Assert.DoesNotContain("WROTE", r.Stdout);
        Assert.Contains("Read-only file system", r.Stderr);
    }
}
