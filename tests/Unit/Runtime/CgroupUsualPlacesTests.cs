using System.Runtime.Versioning;
using Runcs.Cgroups;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>
/// The hierarchies found at the usual mount points (no /proc/self/mountinfo) are the ones
/// mountinfo names, on this machine's layout: same keys, same mount points, root "/".
/// </summary>
[SupportedOSPlatform("linux")]
public class CgroupUsualPlacesTests
{
    [Fact]
    public void UsualPlaces_AgreeWithMountInfo()
    {
        var usual = CgroupMounts.AtUsualPlaces();
        var fromMountInfo = CgroupLayout.ParseMountInfo(File.ReadAllText("/proc/self/mountinfo"));
        if (usual == null)
        {
            // Another layout: then nothing may be claimed, and mountinfo decides.
            Assert.True(fromMountInfo.Count == 0 || fromMountInfo.Any(h => !h.MountPoint.StartsWith("/sys/fs/cgroup", StringComparison.Ordinal) || h.MountRoot != "/"),
                "a standard layout was not recognized");
            return;
        }
        Assert.NotEmpty(usual);
        var want = fromMountInfo.ToDictionary(CgroupLayout.KeyOf, h => (h.MountPoint, h.MountRoot, h.IsV2));
        foreach (var h in usual)
        {
            var key = CgroupLayout.KeyOf(h);
            Assert.True(want.TryGetValue(key, out var m), $"hierarchy {key} at {h.MountPoint} is not in mountinfo");
            Assert.Equal(m, (h.MountPoint, h.MountRoot, h.IsV2));
        }
    }
}
