using OciRuntime.Spec;
using Runcs.Container;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>Paths in config.json made absolute against the bundle (runtime and init apply the same rule).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class BundleNormalizeTests
{
    private static OciRuntime.Spec.Spec S(string root, params Mount[] mounts) =>
        new() { Root = new Root { Path = root }, Mounts = mounts.ToList() };

    [Fact]
    public void RelativeRootAndBindSources_AreUnderTheBundle_OthersUntouched()
    {
        var spec = BundleLoader.Normalize(S("rootfs",
            new Mount { Destination = "/a", Source = "data", Options = new() { "rbind" } },
            new Mount { Destination = "/b", Source = "../other", Type = "bind" },
            new Mount { Destination = "/c", Source = "/abs", Options = new() { "bind" } },
            new Mount { Destination = "/proc", Source = "proc", Type = "proc" },
            new Mount { Destination = "/t", Source = "tmpfs", Type = "tmpfs" }), "/srv/bundle");

        Assert.Equal("/srv/bundle/rootfs", spec.Root!.Path);
        Assert.Equal("/srv/bundle/data", spec.Mounts![0].Source);
        Assert.Equal("/srv/other", spec.Mounts[1].Source);
        Assert.Equal("/abs", spec.Mounts[2].Source);
        Assert.Equal("proc", spec.Mounts[3].Source);
        Assert.Equal("tmpfs", spec.Mounts[4].Source);
    }

    [Fact]
    public void AbsoluteRoot_IsKept() =>
        Assert.Equal("/var/lib/x/rootfs", BundleLoader.Normalize(S("/var/lib/x/rootfs"), "/srv/bundle").Root!.Path);
}
